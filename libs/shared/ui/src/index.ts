export * from './lib/server-clock';
export * from './lib/countdown';
export * from './lib/time-format';
export * from './lib/i18n';
