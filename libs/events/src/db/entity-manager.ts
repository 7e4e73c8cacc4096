import { Sql } from '@cophub/core';
import { DataSource, EntityManager } from 'typeorm';

/** The TypeORM manager behind a port binding: the transaction's, or the pool's for the pool-bound port. */
export function entityManager(db: Sql): EntityManager {
  const queryable = db.queryable;
  return queryable instanceof DataSource ? queryable.manager : (queryable as EntityManager);
}
