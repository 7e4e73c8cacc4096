export * from './search.types';
export * from './search.service';
export * from './search.module';
