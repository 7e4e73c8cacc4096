import { DataSource } from 'typeorm';
import { dataSourceOptions } from './data-source-options';
import type { MigrationClass } from './migration-class';

/**
 * Applies the pending ones of `migrations` (in timestamp order, each in its own transaction); answers the names
 * applied. Core does not know the modules: `@cophub/schema` passes every module's list (`runMigrations` there).
 */
export async function applyMigrations(
  url: string,
  migrations: MigrationClass[],
  log: (line: string) => void = () => undefined,
): Promise<string[]> {
  const dataSource = new DataSource(
    dataSourceOptions({ url, poolSize: 2, applicationName: 'cophub-migrate', migrations }),
  );
  await dataSource.initialize();
  try {
    const applied = await dataSource.runMigrations({ transaction: 'each' });
    for (const migration of applied) log(`applied ${migration.name}`);
    return applied.map((m) => m.name);
  } finally {
    await dataSource.destroy();
  }
}

/** The names of `migrations` not yet applied to the database at `url` (nothing is changed). */
export async function pendingMigrations(url: string, migrations: MigrationClass[]): Promise<string[]> {
  const dataSource = new DataSource(
    dataSourceOptions({ url, poolSize: 1, applicationName: 'cophub-migrate', migrations }),
  );
  await dataSource.initialize();
  try {
    const [{ exists }] = (await dataSource.query(
      `SELECT to_regclass('schema_migrations') IS NOT NULL AS exists`,
    )) as Array<{ exists: boolean }>;
    const rows = exists
      ? ((await dataSource.query('SELECT name FROM schema_migrations')) as Array<{ name: string }>)
      : [];
    const executed = new Set(rows.map((row) => row.name));
    return migrations.map((m) => new m().name ?? m.name).filter((name) => !executed.has(name));
  } finally {
    await dataSource.destroy();
  }
}
