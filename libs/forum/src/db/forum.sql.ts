/**
 * Bumps the version of the thread of the post(s) a data-modifying CTE named `cte` returned (its rows
 * must carry `thread_id`), in the same statement: cached pages of that thread are then never served
 * again, on any instance. Used by every write that changes what a thread page shows.
 */
export function BUMP_THREAD_OF_POST(cte: string): string {
  return `UPDATE forum_threads SET version = version + 1 WHERE id IN (SELECT thread_id FROM ${cte})`;
}

/**
 * Resolves the handles a post mentions (`handles`, a `text[]` parameter, lower-cased) to approved
 * members of the post's community and records them against the post, as a CTE named `mentioned` over
 * the CTE `post` (its rows must carry `id`, `thread_id` and `community_id`). Returns `handle, user_id`.
 */
export function MENTIONED(post: string, handles: string): string {
  return `mentioned AS (
    INSERT INTO forum_post_mentions (post_id, user_id, community_id, thread_id, handle)
    SELECT ${post}.id, u.id, ${post}.community_id, ${post}.thread_id, lower(u.handle)
      FROM ${post}
      JOIN users u ON lower(u.handle) = ANY(${handles}::text[])
      JOIN memberships m ON m.user_id = u.id AND m.community_id = ${post}.community_id AND m.status = 'approved'
    RETURNING handle, user_id)`;
}

/** The mentions of the post in `alias`, as `[written, userId, currentHandle]` triples (see `linkMentions`). */
export function MENTIONS_OF(alias: string): string {
  return `(SELECT json_agg(json_build_array(pm.handle, pm.user_id, mu.handle))
             FROM forum_post_mentions pm JOIN users mu ON mu.id = pm.user_id WHERE pm.post_id = ${alias}.id) AS mentions`;
}
