export * from './lib/clock';
export * from './lib/room-timeline';
export * from './lib/scoring';
export * from './lib/identity';
export * from './lib/answer-sequence';
export * from './lib/answer-chain';
export * from './lib/answer-rules';
export * from './lib/ticket-qr';
