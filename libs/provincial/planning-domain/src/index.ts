export * from './lib/venue-rules';
export * from './lib/seat-allocator';
export * from './lib/exam-plan';
export * from './lib/photo-rules';
export * from './lib/incident-decision';
