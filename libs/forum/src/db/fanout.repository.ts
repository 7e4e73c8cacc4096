import { Injectable } from '@nestjs/common';
import { Columns, Row, Sql, SqlPort } from '@cophub/core';

/** A new post as its fan-out reads it. */
export type FanoutPostRow = Columns<
  'forum_posts',
  | 'id'
  | 'community_id'
  | 'thread_id'
  | 'post_number'
  | 'author_id'
  | 'body_text'
  | 'quoted_post_id'
  | 'hidden_at'
  | 'deleted_at'
> &
  Columns<'forum_threads', 'title'> & {
    thread_deleted_at: Row<'forum_threads'>['deleted_at'];
    slug: Row<'communities'>['slug'];
  };

/** The `forum_post_fanouts` outbox: posts that still owe their notifications. */
@Injectable()
export class FanoutRepository {
  constructor(private readonly sql: SqlPort) {}

  /** Claims (deletes) the post's outbox row; false when another run already did. */
  async claim(tx: Sql, postId: string): Promise<boolean> {
    const rows = await tx.rows('DELETE FROM forum_post_fanouts WHERE post_id = $1 RETURNING post_id', [postId]);
    return rows.length > 0;
  }

  post(tx: Sql, postId: string): Promise<FanoutPostRow | null> {
    return tx.maybeOne<FanoutPostRow>(
      `SELECT p.id, p.community_id, p.thread_id, p.post_number, p.author_id, p.body_text, p.quoted_post_id,
                p.hidden_at, p.deleted_at, t.title, t.deleted_at AS thread_deleted_at, c.slug
           FROM forum_posts p JOIN forum_threads t ON t.id = p.thread_id JOIN communities c ON c.id = p.community_id
          WHERE p.id = $1`,
      [postId],
    );
  }

  /** Posts owing fan-out after `after`, in id order. */
  pending(after: string, limit: number): Promise<Array<{ id: string }>> {
    return this.sql.rows<{ id: string }>(
      'SELECT post_id AS id FROM forum_post_fanouts WHERE post_id > $1 ORDER BY post_id LIMIT $2',
      [after, limit],
    );
  }
}
