import { AsyncLocalStorage } from 'node:async_hooks';
import type { QueryRunner } from 'typeorm';
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

/** The text of a statement as a query runner receives it: a named statement arrives as `{ name, text }`. */
function textOf(statement: unknown): string {
  return typeof statement === 'string' ? statement : ((statement as { text?: string } | null)?.text ?? '');
}

/**
 * Runs one statement of `runner` under the deadline of the request whose code is running (none outside
 * a request: then it just runs). Refused once the deadline has passed, ROLLBACK aside (it is how a refused
 * transaction gives back its locks and connection). A statement that takes effect on its own (COMMIT, or a
 * write outside a transaction) is registered while it runs, so a deadline passing meanwhile cancels it in
 * PostgreSQL: cancelled, it took no effect (503); finished, the request answers its real outcome.
 */
export async function underRequestDeadline<T>(
  runner: QueryRunner,
  statement: unknown,
  run: () => Promise<T>,
): Promise<T> {
  const deadline = requestDeadlines.getStore();
  if (!deadline) return run();
  const text = textOf(statement);
  if (deadline.expired && !ROLLBACK.test(text)) throw new RequestDeadlineError(deadline.timeoutMs);
  const commits = runner.isTransactionActive ? COMMIT.test(text) : !READ_ONLY.test(text);
  if (!commits) return run();
  const cancel = () => {
    // Read when cancelling: a runner connects inside its first `query`, after this started.
    const backend = (runner as { databaseConnection?: { processID?: number } }).databaseConnection?.processID;
    if (!backend) return;
    void requestDeadlines
      .exit(() => runner.connection.query('SELECT pg_cancel_backend($1)', [backend]))
      .catch(() => undefined);
  };
  deadline.beginCommitting(cancel);
  let succeeded = false;
  try {
    const result = await run();
    succeeded = true;
    return result;
  } finally {
    deadline.endCommitting(cancel, succeeded);
  }
}
