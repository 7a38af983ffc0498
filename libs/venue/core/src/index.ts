export * from './lib/venue-config';
export * from './lib/venue-context';
export * from './lib/venue-server';
export * from './lib/venue.module';
export * from './lib/store/migrations';
export * from './lib/store/answer-journal';
export * from './lib/results/result-sealer.service';
export type { VenueStatus } from './lib/http/venue-status.service';
