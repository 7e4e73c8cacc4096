/**
 * TypeORM's `query()` on PostgreSQL answers in two shapes: plain rows for SELECT and INSERT (with or
 * without RETURNING), but `[rows, rowCount]` for UPDATE and DELETE. Reading one shape where the other
 * comes back silently gives wrong numbers (`[rows, n].length` is always 2) or `undefined` ids, so every
 * statement whose result is read goes through these functions instead of indexing the raw answer.
 */

/** Anything with TypeORM's `query(sql, params)`: a DataSource, an EntityManager or a QueryRunner. */
export interface Queryable {
  query(sql: string, parameters?: unknown[]): Promise<unknown>;
}

export interface QueryOutcome<T> {
  /** The rows returned (by SELECT or by RETURNING); empty when the statement returns none. */
  rows: T[];
  /** Rows affected: the row count of UPDATE/DELETE, otherwise the number of rows returned. */
  count: number;
}

function isCountedResult(raw: unknown): raw is [unknown[], number] {
  return Array.isArray(raw) && raw.length === 2 && Array.isArray(raw[0]) && typeof raw[1] === 'number';
}

/** Normalises a raw `query()` answer. Rows are objects, never numbers, so the two shapes cannot be confused. */
export function readQueryResult<T>(raw: unknown): QueryOutcome<T> {
  if (isCountedResult(raw)) return { rows: raw[0] as T[], count: raw[1] };
  const rows = Array.isArray(raw) ? (raw as T[]) : [];
  return { rows, count: rows.length };
}

/** Runs a statement and answers its rows and affected-row count, whatever kind of statement it is. */
export async function runQuery<T = Record<string, unknown>>(
  db: Queryable,
  sql: string,
  parameters: unknown[] = [],
): Promise<QueryOutcome<T>> {
  return readQueryResult<T>(await db.query(sql, parameters));
}

/** Runs a statement and answers the rows it returned (SELECT, or INSERT/UPDATE/DELETE … RETURNING). */
export async function queryRows<T = Record<string, unknown>>(
  db: Queryable,
  sql: string,
  parameters: unknown[] = [],
): Promise<T[]> {
  return (await runQuery<T>(db, sql, parameters)).rows;
}

/**
 * A statement PostgreSQL keeps prepared: on each connection it is parsed, analysed and planned once
 * (a named prepared statement in node-postgres) instead of on every call. For statements on hot paths
 * whose planning costs as much as running them, such as the one-statement forum reply (its CTEs took
 * longer to plan than to execute). A name stands for one text for the life of the process.
 */
export interface NamedStatement {
  readonly name: string;
  readonly text: string;
}

const namedTexts = new Map<string, string>();

export function namedStatement(name: string, text: string): NamedStatement {
  if (name.length > 63) throw new Error(`statement name ${name} is longer than PostgreSQL's 63 characters`);
  const known = namedTexts.get(name);
  if (known !== undefined && known !== text) throw new Error(`statement name ${name} is already used for another text`);
  namedTexts.set(name, text);
  return Object.freeze({ name, text });
}

/**
 * Runs a named statement and answers its rows. TypeORM hands the query through to node-postgres as
 * it is, and node-postgres takes a `{ name, text }` config (it copies it before adding the values).
 */
export async function queryNamed<T = Record<string, unknown>>(
  db: Queryable,
  statement: NamedStatement,
  parameters: unknown[] = [],
): Promise<T[]> {
  return queryRows<T>(db, { name: statement.name, text: statement.text } as unknown as string, parameters);
}
