import { applyMigrations, assertServicesReachable } from '../../core/src';
import { ALL_MIGRATIONS } from '../../schema/src/migrations';
import { createDatabase, dropDatabasesLike, testRunDatabases } from './db/test-database';
import { PG_BASE_URL, REDIS_URL, uniqueSuffix } from './run-env';

/**
 * Jest global set-up: stop with one clear line when PostgreSQL or Redis is down, then make this run's
 * template database with every migration applied. Test files copy it (see createTestDatabase).
 */
export default async function globalSetup(): Promise<void> {
  try {
    await assertServicesReachable({ databaseUrl: `${PG_BASE_URL}/postgres`, redisUrl: REDIS_URL });
  } catch (error) {
    process.stderr.write(`\n${(error as Error).message}\n`);
    process.exit(1);
  }
  const runId = `${Date.now().toString(36)}r${uniqueSuffix()}`;
  // Databases left by runs that were killed more than a day ago.
  await dropStaleRuns();
  const templateDb = `cophub_tpl_${runId}`;
  const url = await createDatabase(templateDb);
  await applyMigrations(url, ALL_MIGRATIONS);
  process.env.COPHUB_TEST_RUN_ID = runId;
  process.env.COPHUB_TEST_TEMPLATE_DB = templateDb;
}

async function dropStaleRuns(): Promise<void> {
  const dayAgo = Date.now() - 86_400_000;
  for (const datname of await testRunDatabases()) {
    const stamp = /^cophub_(?:tpl|t)_([0-9a-z]+)r[0-9a-f]{8}/.exec(datname)?.[1];
    const created = stamp ? parseInt(stamp, 36) : NaN;
    if (Number.isFinite(created) && created < dayAgo) await dropDatabasesLike(datname);
  }
}
