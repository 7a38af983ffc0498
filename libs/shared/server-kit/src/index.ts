export * from './lib/domain-error';
export * from './lib/config';
export * from './lib/logger';
export * from './lib/http-errors.filter';
export * from './lib/health';
export * from './lib/key-store';
export * from './lib/ops.controller';
export * from './lib/cjk-font';
