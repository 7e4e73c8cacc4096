import { Client } from 'pg';
import type { DataSourceOptions } from 'typeorm';
import type { MigrationClass } from './migration-class';
import { SnakeNamingStrategy } from './snake-naming.strategy';

export interface DatabaseOptions {
  url: string;
  entities?: DataSourceOptions['entities'];
  /** Every module's migrations (`ALL_MIGRATIONS` from `@cophub/schema`); only the migration runner needs them. */
  migrations?: MigrationClass[];
  poolSize?: number;
  applicationName?: string;
  /** Longest wait for a pool connection; past it the pool throws and the API answers 503. */
  poolWaitMs?: number;
  /** Server-side limits per connection, so a slow query or a held lock cannot pin a connection. */
  statementTimeoutMs?: number;
  lockTimeoutMs?: number;
}

/**
 * pg emits 'error' on a client whose connection the server ends while it runs no query (PostgreSQL
 * restarting: "terminating connection due to administrator command"), and Node ends the process when
 * nothing listens at that instant. The pool and TypeORM attach listeners for most of a client's life
 * but not every instant of it: under write load a PostgreSQL restart found such an instant and an
 * API exited (the fault suite's postgres-restart). Every pool client listens from birth; the pool and
 * the queries still see the error and drop the connection.
 */
export class PoolClient extends Client {
  constructor(config?: ConstructorParameters<typeof Client>[0]) {
    super(config);
    this.on('error', () => undefined);
  }
}

/** The one place TypeORM is configured: no `synchronize`, migrations only by command. */
export function dataSourceOptions(options: DatabaseOptions): DataSourceOptions {
  return {
    type: 'postgres',
    // gen_random_uuid() is built into PostgreSQL 13+, so no extension is needed.
    uuidExtension: 'pgcrypto',
    url: options.url,
    entities: options.entities ?? [],
    migrations: options.migrations ?? [],
    migrationsTableName: 'schema_migrations',
    migrationsRun: false,
    synchronize: false,
    namingStrategy: new SnakeNamingStrategy(),
    // Failed queries surface as errors the caller handles or the exception filter logs with an id.
    logging: false,
    extra: {
      Client: PoolClient,
      max: options.poolSize ?? 20,
      application_name: options.applicationName ?? 'cophub',
      connectionTimeoutMillis: options.poolWaitMs ?? 5_000,
      ...(options.statementTimeoutMs ? { statement_timeout: options.statementTimeoutMs } : {}),
      ...(options.lockTimeoutMs ? { lock_timeout: options.lockTimeoutMs } : {}),
      // A transaction left open by a crashed request must not hold its locks and connection forever.
      idle_in_transaction_session_timeout: 60_000,
    },
  };
}
