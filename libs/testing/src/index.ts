export * from './run-env';
export * from './test-env';
export * from './test-database';
export * from './smtp-sink';
export * from './test-stack';
export * from './factories';
export * from './pg-round-trips';
