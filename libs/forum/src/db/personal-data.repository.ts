import { Injectable } from '@nestjs/common';
import { PersonalRow, SqlPort } from '@cophub/core';

/** A member's own rows in the forum's tables, as their data export shows them, and what closing their account removes. */
@Injectable()
export class ForumPersonalDataRepository {
  constructor(private readonly sql: SqlPort) {}

  threads(userId: string): Promise<PersonalRow[]> {
    return this.sql.rows(
      `SELECT t.id, c.slug AS community, t.title, t.created_at AS "createdAt", t.deleted_at AS "deletedAt"
                 FROM forum_threads t JOIN communities c ON c.id = t.community_id
                WHERE t.author_id = $1 ORDER BY t.created_at, t.id`,
      [userId],
    );
  }

  /** One page of the member's posts, in id order after `after`. */
  posts(userId: string, after: string | null, size: number): Promise<Array<PersonalRow & { id: string }>> {
    return this.sql.rows<PersonalRow & { id: string }>(
      `SELECT p.id, t.title AS thread, p.post_number AS "postNumber", p.body_source AS markdown,
                          p.created_at AS "createdAt", p.edited_at AS "editedAt", p.deleted_at AS "deletedAt"
                     FROM forum_posts p JOIN forum_threads t ON t.id = p.thread_id
                    WHERE p.author_id = $1 AND ($2::uuid IS NULL OR p.id > $2::uuid)
                    ORDER BY p.id LIMIT $3`,
      [userId, after, size],
    );
  }

  earlierVersions(userId: string): Promise<PersonalRow[]> {
    return this.sql.rows(
      `SELECT post_id AS "postId", version, body_source AS markdown, created_at AS "editedAt"
                 FROM forum_post_revisions WHERE edited_by = $1 ORDER BY created_at, id`,
      [userId],
    );
  }

  reactions(userId: string): Promise<PersonalRow[]> {
    return this.sql.rows(
      'SELECT post_id AS "postId", kind, created_at AS "createdAt" FROM forum_reactions WHERE user_id = $1 ORDER BY created_at',
      [userId],
    );
  }

  flags(userId: string): Promise<PersonalRow[]> {
    return this.sql.rows(
      `SELECT post_id AS "postId", reason, status, created_at AS "createdAt"
                 FROM forum_flags WHERE reporter_id = $1 ORDER BY created_at`,
      [userId],
    );
  }

  mentions(userId: string): Promise<PersonalRow[]> {
    return this.sql.rows('SELECT post_id AS "postId", handle FROM forum_post_mentions WHERE user_id = $1', [userId]);
  }

  bookmarks(userId: string): Promise<PersonalRow[]> {
    return this.sql.rows(
      'SELECT post_id AS "postId", created_at AS "createdAt" FROM forum_bookmarks WHERE user_id = $1 ORDER BY created_at',
      [userId],
    );
  }

  subscriptions(userId: string): Promise<PersonalRow[]> {
    return this.sql.rows('SELECT thread_id AS "threadId", level FROM forum_subscriptions WHERE user_id = $1', [userId]);
  }

  /** Every column of the member's read positions but their own id. */
  async readStates(userId: string): Promise<PersonalRow[]> {
    const rows = await this.sql.rows<Record<string, unknown>>('SELECT * FROM forum_read_states WHERE user_id = $1', [
      userId,
    ]);
    return rows.map(({ user_id: _user, ...rest }) => rest as PersonalRow);
  }

  replyAddresses(userId: string): Promise<PersonalRow[]> {
    return this.sql.rows(
      'SELECT thread_id AS "threadId", created_at AS "createdAt", expires_at AS "expiresAt" FROM forum_reply_tokens WHERE user_id = $1 ORDER BY created_at',
      [userId],
    );
  }

  /** Mentions keep the post's text true under a placeholder handle; private lists and reply addresses go. */
  async close(userId: string, placeholderHandle: string): Promise<void> {
    await this.sql.exec('UPDATE forum_post_mentions SET handle = $2 WHERE user_id = $1', [userId, placeholderHandle]);
    for (const table of ['forum_bookmarks', 'forum_subscriptions', 'forum_read_states', 'forum_reply_tokens']) {
      await this.sql.exec(`DELETE FROM ${table} WHERE user_id = $1`, [userId]);
    }
  }
}
