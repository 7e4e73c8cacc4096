import { Injectable } from '@nestjs/common';
import { Columns, Queryable, Sql, SqlPort } from '@cophub/core';

export type ReplyTokenRow = Columns<'forum_reply_tokens', 'user_id' | 'thread_id' | 'community_id' | 'expires_at'>;

/** `forum_reply_tokens`: one reply address per member and thread, with its expiry. */
@Injectable()
export class ReplyTokenRepository {
  constructor(private readonly sql: SqlPort) {}

  /** Each member's token for the thread, created or with its expiry pushed forward, in the caller's transaction. */
  issue(
    db: Queryable,
    userIds: string[],
    thread: { id: string; communityId: string },
    days: number,
  ): Promise<Array<{ id: string; user_id: string }>> {
    return Sql.over(db).rows<{ id: string; user_id: string }>(
      `INSERT INTO forum_reply_tokens (user_id, thread_id, community_id, expires_at)
       SELECT u, $2, $3, now() + make_interval(days => $4) FROM unnest($1::uuid[]) AS u
       ON CONFLICT (user_id, thread_id) DO UPDATE SET expires_at = EXCLUDED.expires_at
       RETURNING id, user_id`,
      [userIds, thread.id, thread.communityId, days],
    );
  }

  find(id: string): Promise<ReplyTokenRow | null> {
    return this.sql.maybeOne<ReplyTokenRow>(
      'SELECT user_id, thread_id, community_id, expires_at FROM forum_reply_tokens WHERE id = $1',
      [id],
    );
  }
}
