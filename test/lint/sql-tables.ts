import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import * as ts from 'typescript';

/**
 * Reads which tables a SQL text writes and reads, well enough to hold the table-ownership rule
 * (docs/architecture.md, module map): the statements of this product are hand-written in a few consistent styles
 * (upper-case keywords, `table alias` bindings, `alias.column` references), so patterns over the text find them.
 * It is a check, not a parser: what it cannot see (a table name built at run time) is not checked.
 */

export const ROOT = join(__dirname, '..', '..');

/** A SQL text as written in the source: a string or template literal, `${…}` parts resolved where they are constants. */
export interface SqlText {
  file: string;
  line: number;
  /** The module whose statement this is (`libs/<module>`; a seed statement file `seed/db/<module>.*.ts`). */
  module: string;
  /** The migration's class name when the text is in a migration file. */
  migration: string | null;
  text: string;
}

export type AccessKind = 'write' | 'read';

export interface TableAccess {
  table: string;
  kind: AccessKind;
  /** What the statement does: INSERT, UPDATE, DELETE, ALTER, CREATE, DROP, TRUNCATE, INDEX, TRIGGER, LOCK, COMMENT, FROM, JOIN, USING, REFERENCES. */
  verb: string;
}

const KEYWORDS = new Set(
  (
    'on where join left right inner outer full cross group order limit offset using set returning for window having ' +
    'union except intersect natural lateral and or when then else end as values select do tablesample only not ' +
    'is in with into from update delete insert default conflict references'
  ).split(' '),
);

const NAME = String.raw`(?:"?public"?\.)?"?([a-z_][a-z0-9_]*)"?`;

/** Literals and comments removed, so a word inside a message or a note is never taken for a table. */
export function stripSql(text: string): string {
  return text
    .replace(/--[^\n]*/g, ' ')
    .replace(/\/\*[\s\S]*?\*\//g, ' ')
    .replace(/'(?:[^']|'')*'/g, "''");
}

/** Names the statement defines for itself (`WITH name AS (…)`), which are not tables even when they share a name. */
function cteNames(text: string): Set<string> {
  const names = new Set<string>();
  for (const m of text.matchAll(
    /(?:\bWITH\s+(?:RECURSIVE\s+)?|,\s*)([a-z_][a-z0-9_]*)\s+AS\s+(?:NOT\s+)?(?:MATERIALIZED\s+)?\(/gi,
  )) {
    names.add(m[1].toLowerCase());
  }
  return names;
}

const WRITE_PATTERNS: Array<[string, RegExp]> = [
  ['INSERT', new RegExp(String.raw`\bINSERT\s+INTO\s+${NAME}`, 'gi')],
  [
    'UPDATE',
    new RegExp(
      String.raw`(?<!\b(?:ON|FOR|DO|OR|AFTER|BEFORE|OF|KEY)\s+)\bUPDATE\s+(?!(?:OF|NO|SET|CASCADE|RESTRICT)\b)(?:ONLY\s+)?${NAME}`,
      'gi',
    ),
  ],
  ['DELETE', new RegExp(String.raw`\bDELETE\s+FROM\s+(?:ONLY\s+)?${NAME}`, 'gi')],
  ['ALTER', new RegExp(String.raw`\bALTER\s+TABLE\s+(?:IF\s+EXISTS\s+)?(?:ONLY\s+)?${NAME}`, 'gi')],
  ['CREATE', new RegExp(String.raw`\bCREATE\s+(?:UNLOGGED\s+)?TABLE\s+(?:IF\s+NOT\s+EXISTS\s+)?${NAME}`, 'gi')],
  ['DROP', new RegExp(String.raw`\bDROP\s+TABLE\s+(?:IF\s+EXISTS\s+)?${NAME}`, 'gi')],
  ['TRUNCATE', new RegExp(String.raw`\bTRUNCATE\s+(?:TABLE\s+)?(?:ONLY\s+)?${NAME}`, 'gi')],
  [
    'INDEX',
    new RegExp(
      String.raw`\bCREATE\s+(?:UNIQUE\s+)?INDEX\s+(?:CONCURRENTLY\s+)?(?:IF\s+NOT\s+EXISTS\s+)?(?:"?[a-z0-9_]+"?\s+)?ON\s+(?:ONLY\s+)?${NAME}`,
      'gi',
    ),
  ],
  [
    'TRIGGER',
    new RegExp(
      String.raw`\b(?:CREATE\s+(?:OR\s+REPLACE\s+)?(?:CONSTRAINT\s+)?|DROP\s+)TRIGGER\s+(?:IF\s+EXISTS\s+)?"?[a-z0-9_]+"?[^;]*?\bON\s+${NAME}`,
      'gi',
    ),
  ],
  ['LOCK', new RegExp(String.raw`\bLOCK\s+(?:TABLE\s+)?(?:ONLY\s+)?${NAME}`, 'gi')],
  ['COMMENT', new RegExp(String.raw`\bCOMMENT\s+ON\s+(?:TABLE|COLUMN)\s+${NAME}`, 'gi')],
];

const READ_PATTERNS: Array<[string, RegExp]> = [
  ['JOIN', new RegExp(String.raw`\bJOIN\s+(?:LATERAL\s+)?(?:ONLY\s+)?${NAME}`, 'gi')],
  ['USING', new RegExp(String.raw`\bUSING\s+${NAME}`, 'gi')],
  ['REFERENCES', new RegExp(String.raw`\bREFERENCES\s+${NAME}`, 'gi')],
];

/** `FROM a x, b AS y, c` → every table of the list (a function call such as `unnest(…)` is not a table). */
function fromLists(text: string): string[] {
  const found: string[] = [];
  for (const m of text.matchAll(/\bFROM\s+/gi)) {
    let rest = text.slice(m.index! + m[0].length);
    for (;;) {
      const item = new RegExp(String.raw`^(?:ONLY\s+)?${NAME}\s*(\()?`, 'i').exec(rest);
      if (!item) break;
      if (!item[2]) found.push(item[1].toLowerCase());
      rest = rest.slice(item[0].length);
      if (item[2]) break;
      // An optional alias, then a comma for another table, or the end of the list.
      const alias = /^(?:AS\s+)?"?([a-z_][a-z0-9_]*)"?\s*/i.exec(rest);
      if (alias && !KEYWORDS.has(alias[1].toLowerCase())) rest = rest.slice(alias[0].length);
      const comma = /^,\s*/.exec(rest);
      if (!comma) break;
      rest = rest.slice(comma[0].length);
    }
  }
  return found;
}

/** Every access to a table in `known` that the text makes. */
export function tableAccesses(sql: string, known: ReadonlySet<string>): TableAccess[] {
  const text = stripSql(sql);
  const ctes = cteNames(text);
  const out: TableAccess[] = [];
  const add = (table: string, kind: AccessKind, verb: string) => {
    const name = table.toLowerCase();
    if (known.has(name) && !ctes.has(name)) out.push({ table: name, kind, verb });
  };
  for (const [verb, pattern] of WRITE_PATTERNS) for (const m of text.matchAll(pattern)) add(m[1], 'write', verb);
  for (const [verb, pattern] of READ_PATTERNS) for (const m of text.matchAll(pattern)) add(m[1], 'read', verb);
  for (const table of fromLists(text)) add(table, 'read', 'FROM');
  return out;
}

/** The names a table is known by in the text: the table itself and each alias it is bound to (`users u`, `users AS u`). */
export function bindingsOf(sql: string, table: string): string[] {
  const text = stripSql(sql);
  const names = new Set([table]);
  const pattern = new RegExp(
    String.raw`(?:\bFROM|\bJOIN|\bUPDATE|\bINTO|,)\s+(?:ONLY\s+)?"?${table}"?\s+(?:AS\s+)?"?([a-z_][a-z0-9_]*)"?`,
    'gi',
  );
  for (const m of text.matchAll(pattern)) if (!KEYWORDS.has(m[1].toLowerCase())) names.add(m[1].toLowerCase());
  return [...names];
}

/**
 * The columns of `table` the text uses: `alias.column` for each of its bindings, `REFERENCES table (column)`, and
 * bare words that are columns of the table and of no other table the statement reads (`*` when it takes them all).
 */
export function columnsUsed(
  sql: string,
  table: string,
  columns: ReadonlyMap<string, ReadonlySet<string>>,
  tablesRead: readonly string[],
): Set<string> {
  const text = stripSql(sql);
  const used = new Set<string>();
  for (const name of bindingsOf(sql, table)) {
    for (const m of text.matchAll(
      new RegExp(String.raw`(?<![a-z0-9_."])"?${name}"?\.(?:"?([a-z_][a-z0-9_]*)"?|(\*))`, 'gi'),
    )) {
      used.add((m[1] ?? m[2]).toLowerCase());
    }
  }
  for (const m of text.matchAll(new RegExp(String.raw`\bREFERENCES\s+"?${table}"?\s*\(([^)]*)\)`, 'gi'))) {
    for (const column of m[1].split(',')) used.add(column.replace(/"/g, '').trim().toLowerCase());
  }
  const own = columns.get(table) ?? new Set<string>();
  const others = tablesRead.filter((t) => t !== table).map((t) => columns.get(t) ?? new Set<string>());
  for (const m of text.matchAll(/(?<![a-z0-9_."$])"?([a-z_][a-z0-9_]*)"?(?![a-z0-9_]|"?\s*\.|\s*\()/gi)) {
    const word = m[1].toLowerCase();
    if (own.has(word) && !others.some((c) => c.has(word))) used.add(word);
  }
  return used;
}

function walk(dir: string, files: string[] = []): string[] {
  for (const entry of readdirSync(dir)) {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) walk(path, files);
    else if (entry.endsWith('.ts') && !/\.(spec|medium-spec|e2e-spec)\.ts$/.test(entry)) files.push(path);
  }
  return files;
}

/** The folders whose files hold statements: every `db/` folder of the libraries and the apps. */
export function statementFiles(root = ROOT): string[] {
  const files: string[] = [];
  const dbFolders = (dir: string): void => {
    for (const entry of readdirSync(dir)) {
      const path = join(dir, entry);
      if (!statSync(path).isDirectory() || entry === 'node_modules') continue;
      if (entry === 'db') walk(path, files);
      else dbFolders(path);
    }
  };
  for (const top of ['libs', 'apps']) {
    for (const pkg of readdirSync(join(root, top))) {
      const src = join(root, top, pkg, 'src');
      if (statSync(join(root, top, pkg)).isDirectory() && pkg !== 'web') {
        try {
          dbFolders(src);
        } catch {
          // a package without src/
        }
      }
    }
  }
  return files.sort();
}

/** Which module a statement file speaks for. */
export function moduleOf(file: string, root = ROOT): string {
  const parts = relative(root, file).split(sep);
  if (parts[0] === 'libs') return parts[1];
  const seed = parts.indexOf('seed');
  if (seed >= 0 && parts[seed + 1] === 'db') return parts[parts.length - 1].split('.')[0];
  return `apps/${parts[1]}`;
}

/** Top-level `const NAME = '…'` / `` `…` `` of a file, so `${NAME}` inside another statement reads as its text. */
function constants(source: ts.SourceFile): Map<string, ts.Expression> {
  const found = new Map<string, ts.Expression>();
  for (const statement of source.statements) {
    if (!ts.isVariableStatement(statement)) continue;
    for (const d of statement.declarationList.declarations) {
      if (ts.isIdentifier(d.name) && d.initializer) found.set(d.name.text, d.initializer);
    }
  }
  return found;
}

function textOf(node: ts.Node, consts: Map<string, ts.Expression>, depth = 0): string | null {
  if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) return node.text;
  if (ts.isTemplateExpression(node)) {
    let text = node.head.text;
    for (const span of node.templateSpans) {
      const inner = ts.isIdentifier(span.expression) ? consts.get(span.expression.text) : undefined;
      const resolved = inner && depth < 5 ? textOf(inner, consts, depth + 1) : null;
      text += (resolved ?? ' __expr__ ') + span.literal.text;
    }
    return text;
  }
  return null;
}

/** The string and template literals of one file's source that touch a known table (every literal when `known` is null). */
export function sqlTextsOf(
  file: string,
  sourceText: string,
  module: string,
  known: ReadonlySet<string> | null,
): SqlText[] {
  const out: SqlText[] = [];
  const source = ts.createSourceFile(file, sourceText, ts.ScriptTarget.ES2022, true);
  const consts = constants(source);
  const migration = /(^|[/\\])db[/\\]migrations[/\\]/.test(file)
    ? (/export class (\w+) implements MigrationInterface/.exec(sourceText)?.[1] ?? null)
    : null;
  const visit = (node: ts.Node): void => {
    const text = textOf(node, consts);
    if (text !== null) {
      if (!known || tableAccesses(text, known).length) {
        const line = source.getLineAndCharacterOfPosition(node.getStart()).line + 1;
        out.push({ file, line, module, migration, text });
      }
      if (!ts.isTemplateExpression(node)) return;
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return out;
}

/** Every string and template literal of the statement files that touches a known table. */
export function sqlTexts(known: ReadonlySet<string>, files = statementFiles(), root = ROOT): SqlText[] {
  return files.flatMap((file) =>
    sqlTextsOf(relative(root, file), readFileSync(file, 'utf8'), moduleOf(file, root), known),
  );
}

const COLUMN_DECORATORS = new Set([
  'Column',
  'PrimaryColumn',
  'PrimaryGeneratedColumn',
  'CreateDateColumn',
  'UpdateDateColumn',
  'DeleteDateColumn',
  'VersionColumn',
]);

const snake = (name: string) => name.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase();

export interface EntityTable {
  table: string;
  module: string;
  file: string;
  columns: Set<string>;
}

/** Every `@Entity('table')` class of the libraries, with its module and columns (snake-cased as the naming strategy does). */
export function entityTables(root = ROOT): EntityTable[] {
  const out: EntityTable[] = [];
  for (const lib of readdirSync(join(root, 'libs'))) {
    const src = join(root, 'libs', lib, 'src');
    let files: string[];
    try {
      files = walk(src);
    } catch {
      continue;
    }
    for (const file of files) {
      const text = readFileSync(file, 'utf8');
      if (!text.includes('@Entity(')) continue;
      const source = ts.createSourceFile(file, text, ts.ScriptTarget.ES2022, true);
      source.forEachChild((node) => {
        if (!ts.isClassDeclaration(node)) return;
        const entity = ts
          .getDecorators(node)
          ?.find((d) => ts.isCallExpression(d.expression) && d.expression.expression.getText() === 'Entity');
        if (!entity) return;
        const arg = (entity.expression as ts.CallExpression).arguments[0];
        if (!arg || !ts.isStringLiteral(arg)) return;
        const columns = new Set<string>();
        for (const member of node.members) {
          if (!ts.isPropertyDeclaration(member) || !ts.isIdentifier(member.name)) continue;
          for (const d of ts.getDecorators(member) ?? []) {
            if (!ts.isCallExpression(d.expression) || !COLUMN_DECORATORS.has(d.expression.expression.getText()))
              continue;
            const options = d.expression.arguments.find(ts.isObjectLiteralExpression);
            const named = options?.properties.find(
              (p): p is ts.PropertyAssignment => ts.isPropertyAssignment(p) && p.name.getText() === 'name',
            );
            columns.add(
              named && ts.isStringLiteral(named.initializer) ? named.initializer.text : snake(member.name.text),
            );
          }
        }
        out.push({ table: arg.text, module: lib, file: relative(root, file), columns });
      });
    }
  }
  return out;
}
