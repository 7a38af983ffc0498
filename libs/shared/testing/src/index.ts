export * from './lib/simulated-candidate';
export * from './lib/fixtures';
export * from './lib/sitting';
export * from './lib/load-report';
export * from './lib/resilient-candidate';
export * from './lib/fault-test';
export * from './lib/venue-http';
export * from './lib/cutting-proxy';
