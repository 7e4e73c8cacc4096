import { loadConfig, loadDotEnv } from '../config/app-config';
import { assertServicesReachable, runMain } from '../startup/service-check';
import { runMigrations } from './run-migrations';

/** `npm run migrate`: creates the database if needed and applies every pending migration to DATABASE_URL. */
runMain(async () => {
  loadDotEnv();
  const config = loadConfig();
  await assertServicesReachable(config, { redis: false });
  await ensureDatabase(config.databaseUrl);
  const applied = await runMigrations(config.databaseUrl, (line) => console.log(line));
  console.log(applied.length ? `${applied.length} migration(s) applied` : 'database schema is up to date');
});

async function ensureDatabase(url: string): Promise<void> {
  const { Client } = await import('pg');
  const target = new URL(url);
  const name = decodeURIComponent(target.pathname.replace(/^\//, ''));
  const admin = new URL(url);
  admin.pathname = '/postgres';
  const client = new Client({ connectionString: admin.toString() });
  await client.connect();
  try {
    const exists = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (!exists.rowCount) {
      await client.query(`CREATE DATABASE "${name.replace(/"/g, '""')}"`);
      console.log(`created database ${name}`);
    }
  } finally {
    await client.end();
  }
}
