import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, QueryRunner } from 'typeorm';
import type { IsolationLevel } from 'typeorm/driver/types/IsolationLevel';
import type { ReplicationMode } from 'typeorm/driver/types/ReplicationMode';
import { NamedStatement, Queryable, QueryOutcome, readQueryResult } from './query-result';
import { underRequestDeadline } from './request-deadline';

/** A statement: its text, or a named statement PostgreSQL keeps prepared per connection (`namedStatement`). */
export type Statement = string | NamedStatement;

function toQuery(statement: Statement): string {
  // node-postgres takes a `{ name, text }` config where TypeORM passes a string through; it copies it before use.
  return typeof statement === 'string'
    ? statement
    : ({ name: statement.name, text: statement.text } as unknown as string);
}

function describe(statement: Statement): string {
  const text = typeof statement === 'string' ? statement : `${statement.name}: ${statement.text}`;
  return text.replace(/\s+/g, ' ').trim().slice(0, 120);
}

/** A statement that had to return exactly one row (or at most one) returned another number: a bug, never a user's fault. */
export class UnexpectedRowCountError extends Error {
  constructor(statement: Statement, expected: string, got: number) {
    super(`expected ${expected} row(s), got ${got}: ${describe(statement)}`);
    this.name = 'UnexpectedRowCountError';
  }
}

/**
 * The one way repositories talk to PostgreSQL: every statement, hand-tuned or not, answers through these
 * methods with one result shape, whatever kind of statement it is (TypeORM answers SELECT and UPDATE differently).
 * A `Sql` is bound to the pool or to one transaction; repositories take an optional `Sql` so a service can run
 * several of their statements in one transaction (`sql.transaction(tx => …)`).
 *
 * Every statement of the port answers to the request's deadline (`request-deadline.ts`): the port's
 * connections check it before each statement, so once a request's `REQUEST_TIMEOUT_MS` has passed its
 * further statements are refused and its transactions roll back, COMMIT included.
 */
export class Sql {
  constructor(protected readonly db: Queryable) {}

  /** The same port bound to a transaction's manager or query runner. */
  static over(db: Queryable): Sql {
    return db instanceof Sql ? db : new Sql(db);
  }

  /** Rows and affected-row count (the row count of UPDATE/DELETE, else the rows returned). */
  async exec<T = Record<string, unknown>>(
    statement: Statement,
    params: readonly unknown[] = [],
  ): Promise<QueryOutcome<T>> {
    return readQueryResult<T>(await this.db.query(toQuery(statement), params as unknown[]));
  }

  /** The rows a SELECT, or a write with RETURNING, answered. */
  async rows<T = Record<string, unknown>>(statement: Statement, params: readonly unknown[] = []): Promise<T[]> {
    return (await this.exec<T>(statement, params)).rows;
  }

  /** Exactly one row: anything else is a bug in the statement or its caller. */
  async one<T = Record<string, unknown>>(statement: Statement, params: readonly unknown[] = []): Promise<T> {
    const rows = await this.rows<T>(statement, params);
    if (rows.length !== 1) throw new UnexpectedRowCountError(statement, 'exactly 1', rows.length);
    return rows[0];
  }

  /** The row, or null when there is none; more than one is a bug. */
  async maybeOne<T = Record<string, unknown>>(
    statement: Statement,
    params: readonly unknown[] = [],
  ): Promise<T | null> {
    const rows = await this.rows<T>(statement, params);
    if (rows.length > 1) throw new UnexpectedRowCountError(statement, 'at most 1', rows.length);
    return rows[0] ?? null;
  }

  /** How many rows a write changed (or a SELECT returned). */
  async count(statement: Statement, params: readonly unknown[] = []): Promise<number> {
    return (await this.exec(statement, params)).count;
  }

  /**
   * TypeORM's entity manager on this binding, for the repositories that still read and write entities:
   * the transaction's own manager, or (on the pool-bound port) one whose every statement answers to the
   * request's deadline like the port's.
   */
  get manager(): EntityManager {
    const db = this.db as Queryable & { manager?: EntityManager };
    if (db instanceof EntityManager) return db;
    if (db.manager instanceof EntityManager) return db.manager;
    throw new Error('this binding of the port has no entity manager');
  }

  query(sql: string, parameters?: unknown[]): Promise<unknown> {
    return this.db.query(sql, parameters);
  }
}

/**
 * A connection of the port: every statement on it answers to the request's deadline, TypeORM's own
 * included (START TRANSACTION, COMMIT, an entity manager's reads and writes).
 */
function deadlineBound(runner: QueryRunner): QueryRunner {
  const query = runner.query.bind(runner) as (...args: unknown[]) => Promise<unknown>;
  runner.query = ((statement: string, ...rest: unknown[]) =>
    underRequestDeadline(runner, statement, () => query(statement, ...rest))) as QueryRunner['query'];
  return runner;
}

/**
 * The data source as the port uses it: TypeORM takes a query runner from `createQueryRunner` for every
 * statement on the pool, every transaction and every entity-manager call, so each of those runs on a
 * deadline-bound connection. Only the port holds this view; the application's DataSource is left as it is.
 */
function deadlineBoundSource(dataSource: DataSource): DataSource {
  return new Proxy(dataSource, {
    get(target, property, receiver) {
      if (property === 'createQueryRunner') {
        return (mode?: ReplicationMode) => deadlineBound(target.createQueryRunner(mode));
      }
      return Reflect.get(target, property, receiver) as unknown;
    },
  });
}

/**
 * The pool-bound port, injected into repositories. `transaction` runs `work` in one transaction on one
 * connection; like every statement of the port, its statements and its COMMIT answer to the request's deadline,
 * so a transaction whose deadline passes before COMMIT rolls back.
 */
@Injectable()
export class SqlPort extends Sql {
  constructor(@InjectDataSource() dataSource: DataSource) {
    super(deadlineBoundSource(dataSource).createEntityManager());
  }

  transaction<T>(work: (tx: Sql, manager: EntityManager) => Promise<T>, isolation?: IsolationLevel): Promise<T> {
    const run = (manager: EntityManager) => work(new Sql(manager), manager);
    return isolation ? this.manager.transaction(isolation, run) : this.manager.transaction(run);
  }
}
