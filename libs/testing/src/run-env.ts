/** Plain constants of a test run (no product imports: jest's global set-up loads this without path aliases). */
import { randomBytes } from 'node:crypto';

export const PG_BASE_URL = process.env.TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432';
export const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

/** Set by jest's global set-up: the run's id and the migrated template database every test file copies. */
export function testRun(): { runId: string; templateDb: string } {
  const runId = process.env.COPHUB_TEST_RUN_ID;
  const templateDb = process.env.COPHUB_TEST_TEMPLATE_DB;
  if (!runId || !templateDb) throw new Error('test run not set up: run tests through jest (npm test)');
  return { runId, templateDb };
}

/**
 * The one setting that stretches every wait in the tests: jest's test timeout, `eventually`, the SMTP
 * sink's waits and the browser's default timeout. `TEST_TIME_SCALE=3 npm test` on a slow, busy machine.
 */
export const TIME_SCALE = Math.max(1, Number(process.env.TEST_TIME_SCALE) || 1);

export function scaled(ms: number): number {
  return Math.round(ms * TIME_SCALE);
}

export function uniqueSuffix(): string {
  return randomBytes(4).toString('hex');
}
