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
  /** Statements that take effect on their own (autocommit writes and COMMIT) now running, with how to cancel each. */
  private readonly committing = new Set<() => void>();
  private pending = false;

  /** `expire` answers the request (503); it is called at most once. */
  constructor(
    readonly timeoutMs: number,
    private readonly expire: () => void,
  ) {}

  /**
   * Called when the time is up. Expires at once unless a write has already committed (answering 503
   * then would invite a duplicate on retry) or a COMMIT is under way (then its outcome decides).
   */
  expireWhenSafe(): void {
    if (this.tookEffect || this.expired) return;
    if (this.committing.size > 0) {
      // Ask PostgreSQL to cancel them: a cancelled statement took no effect (then 503), and one that
      // committed before the cancel arrived answers its real outcome.
      this.pending = true;
      for (const cancel of this.committing) cancel();
      return;
    }
    this.expired = true;
    this.expire();
  }

  beginCommitting(cancel: () => void): void {
    this.committing.add(cancel);
  }

  endCommitting(cancel: () => void, succeeded: boolean): void {
    this.committing.delete(cancel);
    if (succeeded) this.tookEffect = true;
    if (this.committing.size > 0 || !this.pending) return;
    this.pending = false;
    if (this.tookEffect) return;
    this.expired = true;
    this.expire();
  }
}

export const requestDeadlines = new AsyncLocalStorage<RequestDeadline>();

/** Every request now running, so a shutdown at its deadline can end their database work cleanly. */
export const runningRequests = new Set<RequestDeadline>();

/**
 * Ends every running request as if its deadline had passed: statements that may commit are cancelled
 * in PostgreSQL and nothing more may commit. Used when the process must exit (shutdown deadline), so
 * no statement commits after its client has been cut off.
 */
export function expireRunningRequests(): void {
  for (const deadline of runningRequests) deadline.expireWhenSafe();
}

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
    // A named statement (`queryNamed`) arrives as node-postgres's `{ name, text }` config.
    const text = typeof sql === 'string' ? sql : (sql as { text: string }).text;
    // ROLLBACK is always allowed: it is how a refused transaction gives back its locks and connection.
    if (deadline.expired && !ROLLBACK.test(text)) throw new RequestDeadlineError(deadline.timeoutMs);
    const commits = this.isTransactionActive ? COMMIT.test(text) : !READ_ONLY.test(text);
    if (!commits) return query.call(this, sql, parameters, useStructuredResult);
    const cancel = () => {
      // Read when cancelling: a fresh runner connects inside `query`, after this wrapper started.
      const backend = (this.databaseConnection as { processID?: number } | undefined)?.processID;
      if (!backend) return;
      void requestDeadlines
        .exit(() => this.connection.query('SELECT pg_cancel_backend($1)', [backend]))
        .catch(() => undefined);
    };
    deadline.beginCommitting(cancel);
    let succeeded = false;
    try {
      const result: unknown = await query.call(this, sql, parameters, useStructuredResult);
      succeeded = true;
      return result;
    } finally {
      deadline.endCommitting(cancel, succeeded);
    }
  } as typeof query;
}
