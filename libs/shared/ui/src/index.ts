export * from './lib/server-clock';
export * from './lib/countdown';
export * from './lib/time-format';
export * from './lib/i18n';
export * from './lib/store';
export * from './lib/client-socket';
/** Test double; tree-shaken out of production bundles. */
export * from './lib/fake-client-socket';
