import { Injectable } from '@nestjs/common';
import { CamelRow, Columns, Queryable, Row, Sql, SqlPort } from '@cophub/core';
import { CommunityRole } from '@cophub/identity';
import { SubscriptionLevel } from './enums';
import { MENTIONED } from './forum.sql';

/** A thread with the reader's read position and subscription. */
export type ThreadRow = Columns<
  'forum_threads',
  | 'id'
  | 'community_id'
  | 'category_id'
  | 'title'
  | 'author_id'
  | 'pinned'
  | 'locked'
  | 'post_count'
  | 'last_post_at'
  | 'created_at'
  | 'deleted_at'
> & {
  author_name: Row<'users'>['display_name'] | null;
  last_read_post_number: Row<'forum_read_states'>['last_read_post_number'] | null;
  subscription: SubscriptionLevel | null;
};

/** A thread's shared columns (what every member sees) and its version. */
export type SharedThreadRow = Omit<ThreadRow, 'last_read_post_number' | 'subscription'> & { version: number };

/** A thread row as the policy and the services check it. */
export type ThreadRecord = Omit<CamelRow<'forum_threads'>, 'search'>;

/** A listed thread: its version and the reader's marks; the rest comes from the cache. */
export interface ListedThread {
  id: string;
  version: number;
  last_read_post_number: number | null;
  subscription: SubscriptionLevel | null;
}

/** A thread's version with the reader's membership and marks (see `ThreadService.get`). */
export interface ThreadReadRow {
  version: Row<'forum_threads'>['version'];
  deleted_at: Row<'forum_threads'>['deleted_at'];
  status: Row<'memberships'>['status'] | null;
  role: CommunityRole | null;
  last_read_post_number: number | null;
  subscription: SubscriptionLevel | null;
}

export interface ThreadListQuery {
  userId: string;
  communityId: string;
  limit: number;
  categoryId?: string;
  after?: { pinned: boolean; lastPostAt: unknown; id: unknown };
}

export interface ThreadInsert {
  communityId: string;
  categoryId: string;
  authorId: string;
  title: string;
  now: Date;
  source: string;
  html: string;
  text: string;
  handles: string[];
}

const THREAD_COLUMNS = `t.id, t.community_id, t.category_id, t.title, t.author_id, u.display_name AS author_name,
  t.pinned, t.locked, t.post_count, t.last_post_at, t.created_at, t.deleted_at,
  rs.last_read_post_number, s.level AS subscription`;

const THREAD_JOINS = `LEFT JOIN users u ON u.id = t.author_id
  LEFT JOIN forum_read_states rs ON rs.thread_id = t.id AND rs.user_id = $1
  LEFT JOIN forum_subscriptions s ON s.thread_id = t.id AND s.user_id = $1`;

const THREAD_RECORD = `id, community_id AS "communityId", category_id AS "categoryId", author_id AS "authorId", title,
  pinned, locked, post_count AS "postCount", last_post_at AS "lastPostAt", deleted_at AS "deletedAt", version,
  created_at AS "createdAt", updated_at AS "updatedAt"`;

/** Every statement on `forum_threads`, the readers' read positions and their subscriptions. */
@Injectable()
export class ThreadRepository {
  constructor(private readonly sql: SqlPort) {}

  /** A thread by id, in any community (item routes find the community from it). */
  find(threadId: string): Promise<ThreadRecord | null> {
    return this.sql.maybeOne<ThreadRecord>(`SELECT ${THREAD_RECORD} FROM forum_threads WHERE id = $1`, [threadId]);
  }

  /** Latest activity first, pinned threads on top; keyset over (pinned, last_post_at, id); one row more than asked. */
  listed(query: ThreadListQuery): Promise<ListedThread[]> {
    const params: unknown[] = [query.userId, query.communityId, query.limit + 1];
    let where = 't.community_id = $2 AND t.deleted_at IS NULL';
    if (query.categoryId) {
      params.push(query.categoryId);
      where += ` AND t.category_id = $${params.length}`;
    }
    if (query.after) {
      params.push(query.after.pinned, query.after.lastPostAt, query.after.id);
      where += ` AND (t.pinned, t.last_post_at, t.id) < ($${params.length - 2}, $${params.length - 1}, $${params.length})`;
    }
    return this.sql.rows<ListedThread>(
      `SELECT t.id, t.version, rs.last_read_post_number, s.level AS subscription
         FROM forum_threads t
         LEFT JOIN forum_read_states rs ON rs.thread_id = t.id AND rs.user_id = $1
         LEFT JOIN forum_subscriptions s ON s.thread_id = t.id AND s.user_id = $1
        WHERE ${where}
        ORDER BY t.pinned DESC, t.last_post_at DESC, t.id DESC
        LIMIT $3`,
      params,
    );
  }

  /** The shared columns of the community's threads of `ids`, with the version read. */
  shared(communityId: string, ids: string[]): Promise<SharedThreadRow[]> {
    return this.sql.rows<SharedThreadRow>(
      `SELECT t.id, t.community_id, t.category_id, t.title, t.author_id, u.display_name AS author_name,
              t.pinned, t.locked, t.post_count, t.last_post_at, t.created_at, t.deleted_at, t.version
         FROM forum_threads t LEFT JOIN users u ON u.id = t.author_id
        WHERE t.id = ANY($1::uuid[]) AND t.community_id = $2`,
      [ids, communityId],
    );
  }

  /** One thread's shared columns as they are now. */
  sharedOne(threadId: string): Promise<Omit<SharedThreadRow, 'version'> | null> {
    return this.sql.maybeOne<Omit<SharedThreadRow, 'version'>>(
      `SELECT t.id, t.community_id, t.category_id, t.title, t.author_id, u.display_name AS author_name,
              t.pinned, t.locked, t.post_count, t.last_post_at, t.created_at, t.deleted_at
         FROM forum_threads t LEFT JOIN users u ON u.id = t.author_id
        WHERE t.id = $1`,
      [threadId],
    );
  }

  /** The thread with the reader's marks. */
  withMarks(userId: string, threadId: string, db: Sql = this.sql): Promise<ThreadRow | null> {
    return db.maybeOne<ThreadRow>(`SELECT ${THREAD_COLUMNS} FROM forum_threads t ${THREAD_JOINS} WHERE t.id = $2`, [
      userId,
      threadId,
    ]);
  }

  /** The thread's version, the reader's membership of its community, read position and subscription. */
  forReader(threadId: string, userId: string): Promise<ThreadReadRow | null> {
    return this.sql.maybeOne<ThreadReadRow>(
      `SELECT t.version, t.deleted_at, m.status, m.role, rs.last_read_post_number, s.level AS subscription
         FROM forum_threads t
         LEFT JOIN memberships m ON m.community_id = t.community_id AND m.user_id = $2
         LEFT JOIN forum_read_states rs ON rs.thread_id = t.id AND rs.user_id = $2
         LEFT JOIN forum_subscriptions s ON s.thread_id = t.id AND s.user_id = $2
        WHERE t.id = $1`,
      [threadId, userId],
    );
  }

  /**
   * The thread, its first post, the author's watch and read position and the fan-out outbox row, in
   * one statement (so one transaction, or part of the caller's).
   */
  insert(
    thread: ThreadInsert,
    db: Queryable = this.sql,
  ): Promise<{ post_id: string; thread_id: string; created_at: Date; author_name: string | null }> {
    return Sql.over(db).one<{ post_id: string; thread_id: string; created_at: Date; author_name: string | null }>(
      `WITH t AS (
         INSERT INTO forum_threads (community_id, category_id, author_id, title, post_count, last_post_at)
         VALUES ($1, $2, $3, $4, 1, $5) RETURNING id, community_id, created_at),
       p AS (
         INSERT INTO forum_posts (community_id, thread_id, post_number, author_id, body_source, body_html, body_text, created_at, updated_at)
         SELECT t.community_id, t.id, 1, $3, $6, $7, $8, $5, $5 FROM t RETURNING id, thread_id, community_id),
       ${MENTIONED('p', '$9')},
       watch AS (
         INSERT INTO forum_subscriptions (user_id, thread_id, community_id, level)
         SELECT $3, t.id, t.community_id, 'watching' FROM t),
       seen AS (
         INSERT INTO forum_read_states (user_id, thread_id, community_id, last_read_post_number)
         SELECT $3, t.id, t.community_id, 1 FROM t),
       fanout AS (
         INSERT INTO forum_post_fanouts (post_id, created_at) SELECT p.id, $5 FROM p)
       SELECT p.id AS post_id, p.thread_id, t.created_at, (SELECT display_name FROM users WHERE id = $3) AS author_name
         FROM p JOIN t ON t.id = p.thread_id`,
      [
        thread.communityId,
        thread.categoryId,
        thread.authorId,
        thread.title,
        thread.now,
        thread.source,
        thread.html,
        thread.text,
        thread.handles,
      ],
    );
  }

  /** Read position only moves forward and never past the last post. */
  async markRead(communityId: string, userId: string, threadId: string, postNumber: number): Promise<void> {
    await this.sql.exec(
      `INSERT INTO forum_read_states (user_id, thread_id, community_id, last_read_post_number, updated_at)
       SELECT $1, t.id, t.community_id, LEAST($3::int, t.post_count), now() FROM forum_threads t WHERE t.id = $2 AND t.community_id = $4
       ON CONFLICT (user_id, thread_id) DO UPDATE
         SET last_read_post_number = GREATEST(forum_read_states.last_read_post_number, EXCLUDED.last_read_post_number),
             updated_at = now()`,
      [userId, threadId, postNumber, communityId],
    );
  }

  /** "Mark all read" for a community (or one category); answers how many threads it covered. */
  markAllRead(communityId: string, userId: string, categoryId: string | null): Promise<number> {
    return this.sql.count(
      `INSERT INTO forum_read_states (user_id, thread_id, community_id, last_read_post_number, updated_at)
       SELECT $1, t.id, t.community_id, t.post_count, now() FROM forum_threads t
        WHERE t.community_id = $2 AND t.deleted_at IS NULL AND ($3::uuid IS NULL OR t.category_id = $3)
       ON CONFLICT (user_id, thread_id) DO UPDATE
         SET last_read_post_number = GREATEST(forum_read_states.last_read_post_number, EXCLUDED.last_read_post_number),
             updated_at = now()
       RETURNING thread_id`,
      [userId, communityId, categoryId],
    );
  }

  async unsubscribe(communityId: string, userId: string, threadId: string): Promise<void> {
    await this.sql.exec('DELETE FROM forum_subscriptions WHERE user_id = $1 AND thread_id = $2 AND community_id = $3', [
      userId,
      threadId,
      communityId,
    ]);
  }

  async subscribe(communityId: string, userId: string, threadId: string, level: SubscriptionLevel): Promise<void> {
    await this.sql.exec(
      `INSERT INTO forum_subscriptions (user_id, thread_id, community_id, level) VALUES ($1, $2, $3, $4)
       ON CONFLICT (user_id, thread_id) DO UPDATE SET level = EXCLUDED.level, updated_at = now()`,
      [userId, threadId, communityId, level],
    );
  }

  /** Deletes the thread (with its first post). */
  async markDeleted(tx: Sql, communityId: string, threadId: string, at: Date): Promise<void> {
    await tx.exec(
      'UPDATE forum_threads SET deleted_at = $2 WHERE id = $1 AND deleted_at IS NULL AND community_id = $3',
      [threadId, at, communityId],
    );
  }

  /** The community of a thread that is not deleted (for room access). */
  async communityOfLive(threadId: string): Promise<string | null> {
    const row = await this.sql.maybeOne<{ community_id: string }>(
      'SELECT community_id FROM forum_threads WHERE id = $1 AND deleted_at IS NULL',
      [threadId],
    );
    return row?.community_id ?? null;
  }
}
