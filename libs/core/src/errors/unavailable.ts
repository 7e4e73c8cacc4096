import { QueryFailedError } from 'typeorm';

/**
 * Failures that say "a dependency is slow, busy or briefly gone", not "this request is wrong" or "our
 * code is wrong". They answer 503 with `Retry-After` so that clients and load balancers back off and
 * retry (with their `Idempotency-Key`), instead of a 500 that reads as a bug.
 */
export interface Unavailability {
  reason:
    | 'pool_exhausted'
    | 'statement_timeout'
    | 'lock_timeout'
    | 'database_unavailable'
    | 'redis_unavailable'
    | 'request_deadline'
    | 'conflict_retry'
    | 'storage_unavailable';
  retryAfterSeconds: number;
  message: string;
}

/** Thrown when a request has run past `REQUEST_TIMEOUT_MS`: its remaining queries (and its COMMIT) are refused. */
export class RequestDeadlineError extends Error {
  constructor(readonly timeoutMs: number) {
    super(`The request took longer than ${timeoutMs} ms`);
    this.name = 'RequestDeadlineError';
  }
}

/**
 * The file store (an S3 bucket, an Azure Blob container) is down, refused us or did not answer in time
 * (`STORAGE_TIMEOUT_MS`). Storage adapters turn their client's errors into this, so a store outage answers
 * 503 with `Retry-After` like a database or Redis outage, and is never mistaken for one of those.
 */
export class StorageUnavailableError extends Error {
  constructor(
    readonly operation: string,
    cause?: unknown,
  ) {
    const detail = cause instanceof Error ? cause.message || cause.name : cause ? String(cause) : '';
    super(`File storage unavailable (${operation})${detail ? `: ${detail}` : ''}`, { cause });
    this.name = 'StorageUnavailableError';
  }
}

/** PostgreSQL SQLSTATE classes and codes that mean "try again shortly". */
const RETRYABLE_PG_CODES: Record<string, Unavailability['reason']> = {
  '57014': 'statement_timeout', // query_canceled: statement_timeout fired
  '55P03': 'lock_timeout', // lock_not_available: lock_timeout fired
  '40001': 'conflict_retry', // serialization_failure
  '40P01': 'conflict_retry', // deadlock_detected
  '53300': 'database_unavailable', // too_many_connections
  '57P01': 'database_unavailable', // admin_shutdown (server restarting)
  '57P02': 'database_unavailable', // crash_shutdown
  '57P03': 'database_unavailable', // cannot_connect_now (starting up / recovering)
};

/** Socket-level failures node-postgres and ioredis report while a server restarts. */
const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENOTFOUND']);

function driverErrorOf(error: unknown): { code?: string; message?: string; name?: string } | null {
  if (error instanceof QueryFailedError) return error.driverError as { code?: string; message?: string };
  if (error && typeof error === 'object') return error as { code?: string; message?: string; name?: string };
  return null;
}

export function unavailabilityOf(error: unknown): Unavailability | null {
  if (error instanceof RequestDeadlineError) {
    return {
      reason: 'request_deadline',
      retryAfterSeconds: 2,
      message: 'The service is busy: the request took too long. Please retry shortly.',
    };
  }
  if (error instanceof StorageUnavailableError) {
    return {
      reason: 'storage_unavailable',
      retryAfterSeconds: 5,
      message: 'File storage is briefly unavailable. Please retry shortly.',
    };
  }
  const driver = driverErrorOf(error);
  if (!driver) return null;
  const message = String(driver.message ?? (error as Error).message ?? '');
  const code = driver.code ? String(driver.code) : '';
  if (/timeout exceeded when trying to connect/i.test(message)) {
    return { reason: 'pool_exhausted', retryAfterSeconds: 1, message: 'The service is busy. Please retry shortly.' };
  }
  const pgReason = RETRYABLE_PG_CODES[code] ?? (code.startsWith('08') ? 'database_unavailable' : undefined);
  if (pgReason) {
    const retryAfterSeconds = pgReason === 'database_unavailable' ? 5 : pgReason === 'statement_timeout' ? 3 : 1;
    return { reason: pgReason, retryAfterSeconds, message: 'The service is busy or restarting. Please retry shortly.' };
  }
  if (
    NETWORK_CODES.has(code) ||
    // Last alternative: a database closed to connections for maintenance (ALLOW_CONNECTIONS false).
    /Connection terminated|not queryable|Connection is closed|terminating connection|not currently accepting connections/i.test(
      message,
    )
  ) {
    const redis = /redis|Connection is closed/i.test(message) || driver.name === 'MaxRetriesPerRequestError';
    return {
      reason: redis ? 'redis_unavailable' : 'database_unavailable',
      retryAfterSeconds: 5,
      message: 'A service the request needs is briefly unavailable. Please retry shortly.',
    };
  }
  if (driver.name === 'MaxRetriesPerRequestError') {
    return {
      reason: 'redis_unavailable',
      retryAfterSeconds: 5,
      message: 'A service the request needs is briefly unavailable. Please retry shortly.',
    };
  }
  return null;
}

/** Disk full or quota exceeded while writing: the server cannot store it, the client did nothing wrong (507). */
export function isStorageFull(error: unknown): boolean {
  const code = error && typeof error === 'object' && 'code' in error ? (error as { code: unknown }).code : undefined;
  return code === 'ENOSPC' || code === 'EDQUOT';
}

/**
 * PostgreSQL refused a value as such: class 22 (data exception: NUL in text 22021, numeric out of range
 * 22003, invalid text representation 22P02, value too long 22001, bad datetime 22008) and a NULL
 * into a NOT NULL column (23502). These come from input, so they are the client's 400, not a 500.
 */
export function isRefusedValue(error: unknown): boolean {
  if (!(error instanceof QueryFailedError)) return false;
  const code = String((error.driverError as { code?: string }).code ?? '');
  return code.startsWith('22') || code === '23502';
}
