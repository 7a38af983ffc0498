export * from './lib/errors';
export * from './lib/common';
export * from './lib/items';
export * from './lib/venue-package';
export * from './lib/result-package';
export * from './lib/exam-socket';
export * from './lib/provincial-api';
export * from './lib/completeness';
