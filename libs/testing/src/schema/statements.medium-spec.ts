import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from 'pg';
import { prepareStatement } from '../db/prepare';
import { createTestDatabase } from '../db/test-database';
import { Catalogue, collectStatements, isPreparable, renderCatalogue } from './statement-catalogue';

const ROOT = join(__dirname, '../../../..');
const CATALOGUE_DIR = join(ROOT, 'docs/statements');

/**
 * Every statement of the repositories and statement files, read from the code, must prepare against the
 * migrated schema (a copy of the run's template): a renamed column or a typo in a statement fails here, not
 * in front of a user. The catalogue of them (`docs/statements/<module>.sql`) must match what the code says;
 * `UPDATE_CATALOGUE=1` rewrites it.
 */
describe('the statement catalogue', () => {
  let catalogue: Catalogue;
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  let client: Client;

  beforeAll(async () => {
    catalogue = collectStatements(ROOT);
    database = await createTestDatabase();
    client = new Client({ connectionString: database.url });
    await client.connect();
  });

  afterAll(async () => {
    await client?.end();
    await database?.drop();
  });

  it('finds the statements of every module with repositories', () => {
    const modules = new Set(catalogue.statements.map((s) => s.module));
    for (const module of ['identity', 'forum', 'events', 'mail', 'mail-in', 'resources', 'pages', 'audit']) {
      expect(modules).toContain(module);
    }
    expect(catalogue.statements.length).toBeGreaterThan(200);
  });

  it('prepares every statement against the migrated schema', async () => {
    const failures: string[] = [];
    for (const statement of catalogue.statements) {
      if (!isPreparable(statement.text)) continue;
      try {
        await prepareStatement(client, statement.text);
      } catch (error) {
        failures.push(`${statement.sites.join(', ')}: ${(error as Error).message}`);
      }
    }
    expect(failures).toEqual([]);
  });

  it('matches the committed catalogue', () => {
    const files = renderCatalogue(catalogue);
    if (process.env.UPDATE_CATALOGUE === '1') {
      mkdirSync(CATALOGUE_DIR, { recursive: true });
      for (const file of readdirSync(CATALOGUE_DIR)) {
        if (file.endsWith('.sql') && !files.has(file.slice(0, -4))) rmSync(join(CATALOGUE_DIR, file));
      }
      for (const [module, text] of files) writeFileSync(join(CATALOGUE_DIR, `${module}.sql`), text);
      return;
    }
    const committed = new Map<string, string>();
    for (const file of readdirSync(CATALOGUE_DIR, { withFileTypes: true })) {
      if (file.isFile() && file.name.endsWith('.sql')) {
        committed.set(file.name.slice(0, -4), readFileSync(join(CATALOGUE_DIR, file.name), 'utf8'));
      }
    }
    const stale = [...new Set([...files.keys(), ...committed.keys()])].filter(
      (module) => files.get(module) !== committed.get(module),
    );
    // A statement changed: rerun this test with UPDATE_CATALOGUE=1 and commit docs/statements.
    expect(stale.map((module) => `docs/statements/${module}.sql`)).toEqual([]);
  });
});
