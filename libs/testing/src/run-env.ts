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

export function uniqueSuffix(): string {
  return randomBytes(4).toString('hex');
}
