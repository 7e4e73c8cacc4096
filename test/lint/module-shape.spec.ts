import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { hitsOf, lint } from './lint';

/**
 * The lint rules that keep the module shape of docs/architecture.md: SQL only in db/ and no file over 400
 * lines in the modules listed in SHAPED_MODULES (eslint.config.mjs), and no import cycle anywhere in the
 * server code.
 */
const sqlCall =
  "export async function pages(db: { query: (sql: string) => Promise<unknown> }) {\n  return db.query('SELECT 1');\n}\n";
const entityCall =
  'export function pages(manager: { getRepository: (e: unknown) => unknown }) {\n  return manager.getRepository(Object);\n}\n';
const queryBuilder =
  "export function pages(repo: { createQueryBuilder: (a: string) => unknown }) {\n  return repo.createQueryBuilder('p');\n}\n";
const statements = (n: number) =>
  Array.from({ length: n }, (_, i) => `export const line${i} = ${i};`).join('\n') + '\n';

describe('module shape lint rules', () => {
  jest.setTimeout(120_000);

  it('refuses SQL, entity repositories and query builders outside db/ in a shaped module', async () => {
    const path = 'libs/pages/src/services/example.service.ts';
    expect(hitsOf('no-restricted-syntax', await lint(path, sqlCall))).toHaveLength(1);
    expect(hitsOf('no-restricted-properties', await lint(path, entityCall))).toHaveLength(1);
    expect(hitsOf('no-restricted-properties', await lint(path, queryBuilder))).toHaveLength(1);
  });

  it('lets repositories and statements in db/ run SQL', async () => {
    const messages = await lint(
      'libs/pages/src/db/example.repository.ts',
      sqlCall + entityCall.replace('pages', 'entity'),
    );
    expect(hitsOf('no-restricted-syntax', messages)).toEqual([]);
    expect(hitsOf('no-restricted-properties', messages)).toEqual([]);
  });

  it('lets a medium spec read the rows its service wrote', async () => {
    expect(
      hitsOf('no-restricted-syntax', await lint('libs/pages/src/services/example.medium-spec.ts', sqlCall)),
    ).toEqual([]);
  });

  it('leaves modules that do not have the shape yet alone', async () => {
    expect(hitsOf('no-restricted-syntax', await lint('libs/polls/src/services/example.service.ts', sqlCall))).toEqual(
      [],
    );
  });

  it("refuses export * in a library's index, and takes named exports", async () => {
    const starred = "export * from './services/page.service';\n";
    const named =
      "export { PageService } from './services/page.service';\nexport type { PageInput } from './services/page.service';\n";
    for (const lib of ['pages', 'testing']) {
      const hits = hitsOf('no-restricted-syntax', await lint(`libs/${lib}/src/index.ts`, starred));
      expect(hits).toHaveLength(1);
      expect(hits[0].message).toMatch(/Name each export/);
      expect(hitsOf('no-restricted-syntax', await lint(`libs/${lib}/src/index.ts`, named))).toEqual([]);
    }
    // Only the index: a file inside a library may gather its folder's exports.
    expect(hitsOf('no-restricted-syntax', await lint('libs/pages/src/contract/all.ts', starred))).toEqual([]);
    // An index still may not run SQL.
    expect(hitsOf('no-restricted-syntax', await lint('libs/pages/src/index.ts', sqlCall))).toHaveLength(1);
  });

  it('leaves the polls index alone until polls has the shape', async () => {
    expect(
      hitsOf('no-restricted-syntax', await lint('libs/polls/src/index.ts', "export * from './polls.module';\n")),
    ).toEqual([]);
  });

  it('refuses a file of more than 400 lines of code in a shaped module, blank lines and comments aside', async () => {
    const path = 'libs/pages/src/services/example.service.ts';
    expect(hitsOf('max-lines', await lint(path, statements(401)))).toHaveLength(1);
    const padded = statements(400)
      .split('\n')
      .map((line) => `${line}\n\n// why this line is here`)
      .join('\n');
    expect(hitsOf('max-lines', await lint(path, padded))).toEqual([]);
    expect(hitsOf('max-lines', await lint('libs/pages/src/db/rows.generated.ts', statements(600)))).toEqual([]);
  });

  it('refuses an import cycle: the calendar links importing the event emails that import them', async () => {
    // The calendar links once took the event's address and place from the event emails, which import the
    // calendar links: linting that version of the file reports the cycle (it fails on the previous code).
    const path = 'libs/events/src/domain/add-to-calendar.ts';
    const current = readFileSync(join(__dirname, '..', '..', path), 'utf8');
    expect(hitsOf('import-x/no-cycle', await lint(path, current))).toEqual([]);
    const cyclic = current.replace("from './event-links'", "from '../services/event-mail'");
    expect(cyclic).not.toBe(current);
    const hits = hitsOf('import-x/no-cycle', await lint(path, cyclic));
    expect(hits).toHaveLength(1);
    expect(hits[0].message).toMatch(/cycle/i);
  });
});
