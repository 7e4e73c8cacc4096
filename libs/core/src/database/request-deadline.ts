import { AsyncLocalStorage } from 'node:async_hooks';
import { PostgresQueryRunner } from 'typeorm/driver/postgres/PostgresQueryRunner';
import { RequestDeadlineError } from '../errors/unavailable';

/**
 * The deadline of the HTTP request whose code is running. Once it has passed, every further query of
 * that request is refused, COMMIT included, so a request answered 503 can never commit afterwards:
 * its transaction rolls back and the client may retry safely.
 */
export class RequestDeadline {
  expired = false;
  /** A write of this request has committed: from then on it answers its real outcome, however late. */
  private tookEffect = false;
  /** Statements that take effect on their own (autocommit writes and COMMIT) now running. */
  private committing = 0;
  private pendingExpiry: (() => void) | null = null;

  constructor(readonly timeoutMs: number) {}

  /**
   * Called when the time is up. Expires at once unless a write has already committed (answering 503
   * then would invite a duplicate on retry) or a COMMIT is under way (then its outcome decides).
   */
  expireWhenSafe(expire: () => void): void {
    if (this.tookEffect) return;
    if (this.committing > 0) {
      this.pendingExpiry = expire;
      return;
    }
    this.expired = true;
    expire();
  }

  beginCommitting(): void {
    this.committing += 1;
  }

  endCommitting(succeeded: boolean): void {
    this.committing -= 1;
    if (succeeded) this.tookEffect = true;
    if (this.committing > 0 || !this.pendingExpiry) return;
    const expire = this.pendingExpiry;
    this.pendingExpiry = null;
    if (this.tookEffect) return;
    this.expired = true;
    expire();
  }
}

export const requestDeadlines = new AsyncLocalStorage<RequestDeadline>();

const ROLLBACK = /^\s*ROLLBACK/i;
const COMMIT = /^\s*COMMIT/i;
/** Statements that cannot change anything; everything else outside a transaction may be a write. */
const READ_ONLY = /^\s*(SELECT|SHOW|EXPLAIN)\b/i;
let installed = false;

/**
 * Puts the deadline check in front of every TypeORM PostgreSQL query. TypeORM has no hook for this,
 * and wrapping the query runner is the one place every repository, query builder and transaction
 * (START, COMMIT, ROLLBACK) goes through.
 */
export function installRequestDeadlineGuard(): void {
  if (installed) return;
  installed = true;
  const query = PostgresQueryRunner.prototype.query;
  PostgresQueryRunner.prototype.query = async function guardedQuery(
    this: PostgresQueryRunner,
    sql: string,
    parameters?: unknown[],
    useStructuredResult?: boolean,
  ) {
    const deadline = requestDeadlines.getStore();
    if (!deadline) return query.call(this, sql, parameters, useStructuredResult);
    // ROLLBACK is always allowed: it is how a refused transaction gives back its locks and connection.
    if (deadline.expired && !ROLLBACK.test(sql)) throw new RequestDeadlineError(deadline.timeoutMs);
    const commits = this.isTransactionActive ? COMMIT.test(sql) : !READ_ONLY.test(sql);
    if (!commits) return query.call(this, sql, parameters, useStructuredResult);
    deadline.beginCommitting();
    let succeeded = false;
    try {
      const result: unknown = await query.call(this, sql, parameters, useStructuredResult);
      succeeded = true;
      return result;
    } finally {
      deadline.endCommitting(succeeded);
    }
  } as typeof query;
}
