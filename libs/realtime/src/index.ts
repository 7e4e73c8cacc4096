export * from './rooms';
export * from './realtime.publisher';
export * from './realtime.module';
