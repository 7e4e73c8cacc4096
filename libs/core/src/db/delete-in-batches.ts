import type { Queryable } from './query-result';

/**
 * Repeats a batched DELETE (… LIMIT n inside, n as its last parameter) until a batch deletes fewer than `batch`
 * rows; returns the total. The statement is the calling module's, on its own table.
 */
export async function deleteInBatches(db: Queryable, sql: string, params: unknown[], batch = 1000): Promise<number> {
  let total = 0;
  for (;;) {
    const [, count] = (await db.query(sql, [...params, batch])) as [unknown, number];
    total += count;
    if (count < batch) return total;
  }
}
