import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { dataSourceOptions, loadDotEnv } from '@cophub/core';
import { ALL_ENTITIES } from '@cophub/schema';

/** For the TypeORM CLI only (`npm run migration:generate`): the schema diff needs every entity. */
loadDotEnv();
export default new DataSource(
  dataSourceOptions({
    url: process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/cophub',
    entities: ALL_ENTITIES,
  }),
);
