export * from './lib/venue-rules';
export * from './lib/seat-allocator';
