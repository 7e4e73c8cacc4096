import { assertServicesReachable, ensureDatabase, loadConfig, loadDotEnv, runMain } from '@cophub/core';
import { runMigrations } from './run-migrations';

/** `npm run migrate`: creates the database if needed and applies every pending migration to DATABASE_URL. */
runMain(async () => {
  loadDotEnv();
  const config = loadConfig();
  await assertServicesReachable(config, { redis: false });
  await ensureDatabase(config.databaseUrl, (line) => console.log(line));
  const applied = await runMigrations(config.databaseUrl, (line) => console.log(line));
  console.log(applied.length ? `${applied.length} migration(s) applied` : 'database schema is up to date');
});
