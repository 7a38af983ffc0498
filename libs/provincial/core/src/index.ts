export * from './lib/provincial-config';
export * from './lib/provincial-context';
export * from './lib/provincial-server';
export * from './lib/provincial.module';
export * from './lib/store/migrations';
