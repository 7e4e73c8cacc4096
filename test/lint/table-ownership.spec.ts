import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { IDENTITY_PUBLISHED_COLUMNS } from '../../libs/identity/src/db/published';
import {
  columnsUsed,
  entityTables,
  ROOT,
  SqlText,
  sqlTexts,
  sqlTextsOf,
  statementFiles,
  stripSql,
  tableAccesses,
} from './sql-tables';

/**
 * Table ownership (docs/architecture.md, module map): a module's statements write only its own tables, and read
 * another module's only through identity's published columns (`libs/identity/src/db/published.ts`). Every SQL
 * text in the `db/` folders is read (repositories, statement files, migrations, the seed's statement files) and
 * checked against the owner of each table it touches: the module whose `@Entity` it is, or the list below.
 */

/** Tables without an entity, with their owner. */
const TABLES_WITHOUT_ENTITIES: Record<string, string> = {
  idempotency_keys: 'core',
  schema_migrations: 'core',
  typeorm_metadata: 'core',
  mail_reply_confirmations: 'mail-in',
  /** Dropped by `AnonymousBallotsSealed`; still named by the migrations before it. */
  poll_pending_ballots: 'polls',
};

/** TypeORM's own bookkeeping (generated columns), which any migration it generates writes. */
const MIGRATION_BOOKKEEPING = new Set(['typeorm_metadata']);

/** Libraries that are no module and own nothing: test support writes fixtures into any table. */
const SUPPORT = new Set(['testing']);

/**
 * Migrations that ran before the rule, each with the other modules' tables it touched. They are history (a
 * migration is never edited): the only exceptions, one by one, each also listed in docs/architecture.md.
 */
const HISTORIC_CROSSINGS: Record<string, string[]> = {
  Foundation1795339334972: ['audit_log', 'mail_outbox'],
  ResourceEventLink1795426214540: ['events'],
  ForumSpeed1795755476473: ['users'],
  MailIn1795760406294: ['forum_reply_tokens', 'forum_threads', 'mail_outbox', 'mail_suppressions', 'resources'],
  MemberHandles1795850100000: ['forum_post_mentions', 'forum_posts', 'forum_threads'],
  MailReplyConfirmations1795900000001: ['forum_posts', 'forum_threads'],
  ReservedHandleLookalikes1795910000000: ['mail_outbox', 'notification_preferences', 'notifications'],
};

const PUBLISHED: Record<string, readonly string[]> = IDENTITY_PUBLISHED_COLUMNS;

const entities = entityTables();
const owners = new Map<string, string>(Object.entries(TABLES_WITHOUT_ENTITIES));
for (const e of entities) owners.set(e.table, e.module);
const columns = new Map(entities.map((e) => [e.table, e.columns]));
const known = new Set(owners.keys());

interface Crossing {
  where: string;
  migration: string | null;
  table: string;
  what: string;
}

function crossingsOf(texts: SqlText[]): Crossing[] {
  const found = new Map<string, Crossing>();
  for (const sql of texts) {
    if (SUPPORT.has(sql.module)) continue;
    const accesses = tableAccesses(sql.text, known);
    const read = [...new Set(accesses.map((a) => a.table))];
    for (const access of accesses) {
      const owner = owners.get(access.table)!;
      if (owner === sql.module) continue;
      if (sql.migration && MIGRATION_BOOKKEEPING.has(access.table)) continue;
      let what = `${sql.module} ${access.kind === 'write' ? 'writes' : 'reads'} ${access.table}, a table of ${owner} (${access.verb})`;
      if (owner === 'identity' && access.kind === 'read' && PUBLISHED[access.table]) {
        const unpublished = [...columnsUsed(sql.text, access.table, columns, read)].filter(
          (c) => !PUBLISHED[access.table].includes(c),
        );
        if (!unpublished.length) continue;
        what = `${sql.module} reads ${access.table}.${unpublished.sort().join(', ')}, not among identity's published columns`;
      }
      const where = `${sql.file}:${sql.line}`;
      found.set(`${where} ${what}`, { where, migration: sql.migration, table: access.table, what });
    }
  }
  return [...found.values()];
}

const isHistoric = (c: Crossing) => !!c.migration && (HISTORIC_CROSSINGS[c.migration] ?? []).includes(c.table);

/** Lines of source as a module's statement file would hold them. */
function statementsIn(module: string, body: string, file = `libs/${module}/src/db/example.repository.ts`): SqlText[] {
  return sqlTextsOf(file, body, module, known);
}

describe('table ownership', () => {
  const texts = sqlTexts(known);
  const crossings = crossingsOf(texts);

  it('knows every table’s owner: one module per entity table, and every table a migration creates', () => {
    const declared = new Map<string, string[]>();
    for (const e of entities) declared.set(e.table, [...(declared.get(e.table) ?? []), e.module]);
    expect([...declared].filter(([, modules]) => modules.length > 1)).toEqual([]);
    const created = new Set<string>();
    // Every migration file, not only the texts that touch a known table.
    for (const file of statementFiles().filter((f) => /[/\\]db[/\\]migrations[/\\]\d{13}-/.test(f))) {
      for (const sql of sqlTextsOf(file, readFileSync(file, 'utf8'), '', null)) {
        for (const m of stripSql(sql.text).matchAll(/\bCREATE\s+TABLE\s+(?:IF\s+NOT\s+EXISTS\s+)?"?([a-z_]+)"?/gi)) {
          created.add(m[1]);
        }
      }
    }
    expect([...created].filter((t) => !owners.has(t))).toEqual([]);
    expect(created.size).toBeGreaterThanOrEqual(50);
  });

  it('reads the statements of every module’s db/ folder and every migration', () => {
    const modules = new Set(texts.map((t) => t.module));
    for (const module of [
      'core',
      'audit',
      'identity',
      'mail',
      'notifications',
      'forum',
      'events',
      'resources',
      'pages',
    ]) {
      expect(modules).toContain(module);
    }
    const migrations = new Set(texts.map((t) => t.migration).filter(Boolean));
    expect(migrations.size).toBeGreaterThanOrEqual(27);
    // The seed's statement files, each read as the statements of the module it names.
    const seed = texts.filter((t) => t.file.startsWith('apps/api/src/seed/db/'));
    expect(new Set(seed.map((t) => t.module))).toEqual(new Set(['identity', 'forum', 'polls', 'events', 'pages']));
  });

  it('finds no statement writing another module’s table, or reading one beyond identity’s published columns', () => {
    expect(crossings.filter((c) => !isHistoric(c)).map((c) => `${c.where} ${c.what}`)).toEqual([]);
  });

  it('allows only the historic migrations named in docs/architecture.md, each for the tables it touched', () => {
    const used = new Map<string, Set<string>>();
    for (const c of crossings.filter(isHistoric))
      used.set(c.migration!, (used.get(c.migration!) ?? new Set()).add(c.table));
    // No stale exception: each one still matches what its migration does.
    expect(Object.fromEntries([...used].map(([m, tables]) => [m, [...tables].sort()]))).toEqual(HISTORIC_CROSSINGS);
    const doc = readFileSync(join(ROOT, 'docs', 'architecture.md'), 'utf8');
    for (const [migration, tables] of Object.entries(HISTORIC_CROSSINGS)) {
      const row = doc.split('\n').find((line) => line.includes(`\`${migration}\``));
      expect({ migration, documented: !!row }).toEqual({ migration, documented: true });
      for (const table of tables)
        expect({ migration, table, documented: row!.includes(`\`${table}\``) }).toMatchObject({ documented: true });
    }
  });

  it('fires on a statement that writes another module’s table, in a repository or a new migration', () => {
    const bad = statementsIn(
      'mail',
      "export const clear = (db: Sql, id: string) => db.exec(`DELETE FROM notification_preferences WHERE user_id = ${'$1'}`, [id]);\n",
    );
    expect(crossingsOf(bad).map((c) => c.what)).toEqual([
      'mail writes notification_preferences, a table of notifications (DELETE)',
      'mail reads notification_preferences, a table of notifications (FROM)',
    ]);
    const migration = statementsIn(
      'events',
      `import { MigrationInterface, QueryRunner } from 'typeorm';
       export class EventLinks1799000000000 implements MigrationInterface {
         async up(q: QueryRunner) { await q.query('ALTER TABLE "resources" ADD "event_title" text'); }
         async down(q: QueryRunner) { await q.query('ALTER TABLE "resources" DROP COLUMN "event_title"'); }
       }`,
      'libs/events/src/db/migrations/1799000000000-EventLinks.ts',
    );
    const found = crossingsOf(migration);
    // `up` and `down` both change the table; a new migration is no historic exception.
    expect(found.map((c) => `${c.where} ${c.what}`)).toEqual([
      'libs/events/src/db/migrations/1799000000000-EventLinks.ts:3 events writes resources, a table of resources (ALTER)',
      'libs/events/src/db/migrations/1799000000000-EventLinks.ts:4 events writes resources, a table of resources (ALTER)',
    ]);
    expect(found.filter((c) => !isHistoric(c))).toHaveLength(2);
  });

  it('holds a seed statement file to the tables of the module it names', () => {
    const file = 'apps/api/src/seed/db/pages.sql.ts';
    const seed = sqlTextsOf(file, "const SQL = 'INSERT INTO forum_posts (thread_id) VALUES ($1)';", 'pages', known);
    expect(crossingsOf(seed).map((c) => c.what)).toEqual(['pages writes forum_posts, a table of forum (INSERT)']);
  });

  it('fires on a read of another module’s table, and of identity’s columns that are not published', () => {
    expect(
      crossingsOf(statementsIn('forum', "const SQL = 'SELECT 1 FROM notifications n WHERE n.user_id = $1';")).map(
        (c) => c.what,
      ),
    ).toEqual(['forum reads notifications, a table of notifications (FROM)']);
    expect(
      crossingsOf(
        statementsIn(
          'events',
          'const SQL = `SELECT u.display_name, u.password_hash FROM event_rsvps r JOIN users u ON u.id = r.user_id`;',
        ),
      ).map((c) => c.what),
    ).toEqual(["events reads users.password_hash, not among identity's published columns"]);
    expect(
      crossingsOf(statementsIn('pages', "const SQL = 'SELECT is_admin FROM users WHERE id = $1';")).map((c) => c.what),
    ).toEqual(["pages reads users.is_admin, not among identity's published columns"]);
    expect(
      crossingsOf(statementsIn('resources', "const SQL = 'SELECT 1 FROM refresh_tokens WHERE user_id = $1';")).map(
        (c) => c.what,
      ),
    ).toEqual(['resources reads refresh_tokens, a table of identity (FROM)']);
  });

  it('lets a module join identity’s published columns, and write and read its own tables', () => {
    const good = statementsIn(
      'events',
      `const A = \`SELECT u.id AS user_id, u.email, u.display_name FROM event_rsvps r JOIN users u ON u.id = r.user_id
                   JOIN memberships m ON m.user_id = u.id AND m.community_id = r.community_id AND m.status = 'approved'\`;
       const B = 'UPDATE events SET going_count = going_count + 1 WHERE id = $1';
       const C = 'SELECT name, slug FROM communities WHERE id = $1';`,
    );
    expect(good).toHaveLength(3);
    expect(crossingsOf(good)).toEqual([]);
  });
});
