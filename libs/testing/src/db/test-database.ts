import { Client } from 'pg';
import { PG_BASE_URL, testRun, uniqueSuffix } from '../run-env';

async function admin<T>(fn: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: `${PG_BASE_URL}/postgres` });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * A fresh database for one test file, copied from the run's migrated template (fast: no migrations
 * per file). Copies are serialised by PostgreSQL; a busy template is retried.
 */
export async function createTestDatabase(): Promise<{ name: string; url: string; drop: () => Promise<void> }> {
  const { runId, templateDb } = testRun();
  const name = `cophub_t_${runId}_${uniqueSuffix()}`;
  for (let attempt = 0; ; attempt += 1) {
    try {
      await admin((c) => c.query(`CREATE DATABASE "${name}" TEMPLATE "${templateDb}"`));
      break;
    } catch (error) {
      // 55006: the template is being copied by another test file right now.
      if ((error as { code?: string }).code !== '55006' || attempt > 50) throw error;
      await sleep(100 + Math.random() * 200);
    }
  }
  return { name, url: `${PG_BASE_URL}/${name}`, drop: () => dropDatabase(name) };
}

export async function dropDatabase(name: string): Promise<void> {
  await admin((c) => c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`));
}

export async function dropDatabasesLike(prefix: string): Promise<void> {
  await admin(async (c) => {
    const { rows } = await c.query<{ datname: string }>('SELECT datname FROM pg_database WHERE datname LIKE $1', [
      `${prefix}%`,
    ]);
    for (const row of rows) await c.query(`DROP DATABASE IF EXISTS "${row.datname}" WITH (FORCE)`);
  });
}

export async function createDatabase(name: string): Promise<string> {
  await admin((c) => c.query(`CREATE DATABASE "${name}"`));
  return `${PG_BASE_URL}/${name}`;
}

/** Databases of test runs (templates and per-file copies), by name: for clearing what killed runs left behind. */
export async function testRunDatabases(): Promise<string[]> {
  return admin(async (c) => {
    const { rows } = await c.query<{ datname: string }>(
      "SELECT datname FROM pg_database WHERE datname ~ '^cophub_(tpl|t)_[0-9a-z]+r[0-9a-f]{8}'",
    );
    return rows.map((row) => row.datname);
  });
}
