import { QueryFailedError } from 'typeorm';

/** PostgreSQL error codes the domain reacts to. */
export const PG_UNIQUE_VIOLATION = '23505';
export const PG_FOREIGN_KEY_VIOLATION = '23503';
export const PG_CHECK_VIOLATION = '23514';
export const PG_SERIALIZATION_FAILURE = '40001';
export const PG_DEADLOCK = '40P01';

/**
 * Data exceptions PostgreSQL raises for a value a client sent that no check before it caught (a number
 * beyond `integer`, text that is not a valid UUID or contains NUL): the request's fault, so a 400,
 * never a 500. The input checks refuse these first; this is the net under them.
 */
const CLIENT_DATA_ERRORS: Record<string, string> = {
  '22003': 'A number in the request is out of range',
  '22P02': 'A value in the request is not in the expected format',
  '22P05': 'The request contains a character that cannot be stored',
  '22021': 'The request contains a character that cannot be stored',
};

/** The message for a client-caused data exception, or null for any other error. */
export function clientDataErrorMessage(error: unknown): string | null {
  if (!(error instanceof QueryFailedError)) return null;
  return CLIENT_DATA_ERRORS[(error.driverError as { code?: string }).code ?? ''] ?? null;
}

export function pgErrorCode(error: unknown): string | undefined {
  if (error instanceof QueryFailedError) return (error.driverError as { code?: string }).code;
  if (error && typeof error === 'object' && 'code' in error) return String((error as { code: unknown }).code);
  return undefined;
}

export function isUniqueViolation(error: unknown, constraint?: string): boolean {
  if (pgErrorCode(error) !== PG_UNIQUE_VIOLATION) return false;
  if (!constraint) return true;
  const driverError = error instanceof QueryFailedError ? error.driverError : error;
  return (driverError as { constraint?: string }).constraint === constraint;
}
