import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Catalogue, collectStatements, normaliseStatement, renderCatalogue } from './statement-catalogue';

/** A tiny project: a port, a statement file and a repository using them the ways the real ones do. */
function project(): string {
  const root = mkdtempSync(join(tmpdir(), 'catalogue-'));
  const db = join(root, 'libs/demo/src/db');
  mkdirSync(db, { recursive: true });
  writeFileSync(
    join(root, 'tsconfig.json'),
    JSON.stringify({ compilerOptions: { strict: true, target: 'ES2022', module: 'commonjs', types: [] } }),
  );
  writeFileSync(
    join(db, 'port.ts'),
    `export class Sql { rows(text: string | { name: string; text: string }, params: unknown[] = []): unknown[] { return [text, params]; } }
export function namedStatement(name: string, text: string) { return { name, text }; }
export function deleteInBatches(db: Sql, sql: string): unknown[] { return db.rows(sql); }`,
  );
  writeFileSync(
    join(db, 'demo.statements.ts'),
    `import { namedStatement } from './port';
export const COLUMNS = 'id, title';
export function BY(column: string): string { return \`WHERE \${column} = $1\`; }
export const NOTE_BY_ID = \`SELECT \${COLUMNS} FROM notes \${BY('id')}\`;
export const NAMED = namedStatement('demo_named', 'SELECT 1 AS one');`,
  );
  writeFileSync(
    join(db, 'demo.repository.ts'),
    `import { deleteInBatches, Sql } from './port';
import { NAMED, NOTE_BY_ID } from './demo.statements';
export class DemoRepository {
  constructor(private readonly sql: Sql) {}
  byId() { return this.sql.rows(NOTE_BY_ID, ['x']); }
  named() { return this.sql.rows(NAMED); }
  count(open: boolean) { return this.sql.rows(open ? 'SELECT count(*) FROM notes' : 'SELECT 0'); }
  purge() { return deleteInBatches(this.sql, 'DELETE FROM notes WHERE id IN (SELECT id FROM notes LIMIT $1)'); }
  filtered(title?: string) {
    let where = '';
    if (title) where = 'WHERE title = $1';
    return this.sql.rows(\`SELECT id FROM notes \${where}\`);
  }
  notSql(list: string[]) { return list.join(', '); }
}`,
  );
  return root;
}

describe('collectStatements', () => {
  let root: string;
  let catalogue: Catalogue;

  beforeAll(() => {
    root = project();
    catalogue = collectStatements(root);
  });

  afterAll(() => {
    rmSync(root, { recursive: true, force: true });
  });

  it('resolves constant texts, statement-building functions, named statements and both branches of a choice', () => {
    const { statements } = catalogue;
    const byText = new Map(statements.map((s) => [s.text, s]));
    expect(byText.get('SELECT id, title FROM notes WHERE id = $1')?.sites).toEqual([
      'libs/demo/src/db/demo.repository.ts DemoRepository.byId',
      'libs/demo/src/db/demo.statements.ts NOTE_BY_ID',
    ]);
    expect(byText.get('SELECT 1 AS one')).toMatchObject({ name: 'demo_named', module: 'demo' });
    expect(byText.has('SELECT count(*) FROM notes')).toBe(true);
    expect(byText.has('SELECT 0')).toBe(true);
    expect(byText.get('DELETE FROM notes WHERE id IN (SELECT id FROM notes LIMIT $1)')?.sites).toEqual([
      'libs/demo/src/db/demo.repository.ts DemoRepository.purge',
    ]);
    // A fragment of a statement file is not a statement.
    expect(byText.has('id, title')).toBe(false);
  });

  it('lists a text built at run time with the reason, and the port passing a statement through', () => {
    const { skipped } = catalogue;
    expect(skipped).toEqual(
      expect.arrayContaining([
        {
          module: 'demo',
          site: 'libs/demo/src/db/demo.repository.ts DemoRepository.filtered',
          reason: '`where` is a run-time value',
        },
        expect.objectContaining({ site: 'libs/demo/src/db/port.ts deleteInBatches' }),
      ]),
    );
    expect(renderCatalogue(catalogue).get('demo')).toContain(
      '--   libs/demo/src/db/demo.repository.ts DemoRepository.filtered: `where` is a run-time value',
    );
  });
});

describe('normaliseStatement', () => {
  it('drops the indentation the code gave a statement', () => {
    expect(normaliseStatement('SELECT id\n        FROM notes\n         WHERE id = $1  \n')).toBe(
      'SELECT id\nFROM notes\n WHERE id = $1',
    );
  });
});
