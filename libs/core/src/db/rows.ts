import type { Selectable } from 'kysely';
import type { DB } from './schema.generated';

/**
 * Row types generated from the migrated schema (`schema.generated.ts`, `npm run db:types`; CI runs
 * `db:types:check`). Types only: statements stay plain SQL through the port, and Kysely is never loaded.
 */
export type { DB };

/** A row of `table` as a statement answers it (`SELECT *`, `RETURNING *`): each column's select type. */
export type Row<T extends keyof DB> = Selectable<DB[T]>;

/** Some columns of a row of `table`, under their own names. */
export type Columns<T extends keyof DB, K extends keyof Row<T>> = Pick<Row<T>, K>;

type CamelCase<S extends string> = S extends `${infer Head}_${infer Tail}`
  ? `${Head}${Capitalize<CamelCase<Tail>>}`
  : S;

/** A row of `table` with its columns under camel-case names, as statements that alias `col AS "col"` answer it. */
export type CamelRow<T extends keyof DB> = { [K in keyof Row<T> & string as CamelCase<K>]: Row<T>[K] };
