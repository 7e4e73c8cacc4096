import { applyMigrations } from '@cophub/core';
import { ALL_MIGRATIONS } from './migrations';

/** Applies every module's pending migrations to the database at `url`; answers the names applied. */
export function runMigrations(url: string, log: (line: string) => void = () => undefined): Promise<string[]> {
  return applyMigrations(url, ALL_MIGRATIONS, log);
}
