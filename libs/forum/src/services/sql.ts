/**
 * Bumps the version of the thread of the post(s) a data-modifying CTE named `cte` returned (its rows
 * must carry `thread_id`), in the same statement: cached pages of that thread are then never served
 * again, on any instance. Used by every write that changes what a thread page shows.
 */
export function BUMP_THREAD_OF_POST(cte: string): string {
  return `UPDATE forum_threads SET version = version + 1 WHERE id IN (SELECT thread_id FROM ${cte})`;
}
