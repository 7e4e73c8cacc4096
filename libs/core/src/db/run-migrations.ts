import { DataSource } from 'typeorm';
import { dataSourceOptions } from './data-source-options';

/** Applies pending migrations; used by the `migrate` command, the demo start script and test set-up. */
export async function runMigrations(url: string, log: (line: string) => void = () => undefined): Promise<string[]> {
  const dataSource = new DataSource(dataSourceOptions({ url, poolSize: 2, applicationName: 'cophub-migrate' }));
  await dataSource.initialize();
  try {
    const applied = await dataSource.runMigrations({ transaction: 'each' });
    for (const migration of applied) log(`applied ${migration.name}`);
    return applied.map((m) => m.name);
  } finally {
    await dataSource.destroy();
  }
}
