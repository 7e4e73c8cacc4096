import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import type { IsolationLevel } from 'typeorm/driver/types/IsolationLevel';
import { NamedStatement, Queryable, QueryOutcome, readQueryResult } from './query-result';

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

  /** The query interface of this binding, for the few TypeORM APIs that need one. */
  get queryable(): Queryable {
    return this.db;
  }

  query(sql: string, parameters?: unknown[]): Promise<unknown> {
    return this.db.query(sql, parameters);
  }
}

/**
 * The pool-bound port, injected into repositories. `transaction` runs `work` in one transaction on one
 * connection (TypeORM's, so the request deadline and the pool's limits apply to it like to any statement).
 */
@Injectable()
export class SqlPort extends Sql {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {
    super(dataSource);
  }

  transaction<T>(work: (tx: Sql, manager: EntityManager) => Promise<T>, isolation?: IsolationLevel): Promise<T> {
    const run = (manager: EntityManager) => work(new Sql(manager), manager);
    return isolation ? this.dataSource.transaction(isolation, run) : this.dataSource.transaction(run);
  }
}
