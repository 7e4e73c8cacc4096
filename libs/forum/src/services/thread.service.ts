import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { createHash } from 'node:crypto';
import { Clock, CommonError, CommonErrorCode, decodeCursor, encodeCursor, Queryable, queryRows } from '@cophub/core';
import { AuthUser, CommunityContext, CommunityRole } from '@cophub/identity';
import { DataSource } from 'typeorm';
import { ForumCache } from '../cache/forum-cache';
import { SubscriptionLevel, TITLE_MAX_LENGTH } from '../entities/enums';
import { ForumCategory } from '../entities/category.entity';
import { ForumError, ForumErrorCode } from '../errors/forum.error';
import { ForumPolicy } from '../policies/forum.policy';
import { ThreadPageView, ThreadView } from '../views';
import { ForumEvents, forumEvent } from './forum-events';
import { extractMentionHandles } from './mentions';
import { RenderedBody, renderPostBody } from './post-body';
import { PostFanoutQueue } from './post-fanout';
import { MENTIONED } from './sql';
import { etagMatches } from './thread-pages.service';

export interface ThreadRow {
  id: string;
  community_id: string;
  category_id: string;
  title: string;
  author_id: string | null;
  author_name: string | null;
  pinned: boolean;
  locked: boolean;
  post_count: number;
  last_post_at: Date;
  created_at: Date;
  deleted_at: Date | null;
  last_read_post_number: number | null;
  subscription: SubscriptionLevel | null;
}

export const THREAD_COLUMNS = `t.id, t.community_id, t.category_id, t.title, t.author_id, u.display_name AS author_name,
  t.pinned, t.locked, t.post_count, t.last_post_at, t.created_at, t.deleted_at,
  rs.last_read_post_number, s.level AS subscription`;

export const THREAD_JOINS = `LEFT JOIN users u ON u.id = t.author_id
  LEFT JOIN forum_read_states rs ON rs.thread_id = t.id AND rs.user_id = $1
  LEFT JOIN forum_subscriptions s ON s.thread_id = t.id AND s.user_id = $1`;

/** A thread as every member sees it in lists (cached per thread and version). */
export interface SharedThread {
  id: string;
  communityId: string;
  categoryId: string;
  title: string;
  authorId: string | null;
  authorName: string | null;
  pinned: boolean;
  locked: boolean;
  postCount: number;
  lastPostAt: string;
  createdAt: string;
  deleted: boolean;
}

function sharedThreadOf(row: Omit<ThreadRow, 'last_read_post_number' | 'subscription'>): SharedThread {
  return {
    id: row.id,
    communityId: row.community_id,
    categoryId: row.category_id,
    title: row.title,
    authorId: row.author_id,
    authorName: row.author_name,
    pinned: row.pinned,
    locked: row.locked,
    postCount: row.post_count,
    lastPostAt: row.last_post_at.toISOString(),
    createdAt: row.created_at.toISOString(),
    deleted: row.deleted_at !== null,
  };
}

/** The shared summary plus the reader's own read position and subscription. */
function threadViewOf(
  thread: SharedThread,
  lastReadPostNumber: number | null,
  subscription: SubscriptionLevel | null,
): ThreadView {
  const lastRead = Number(lastReadPostNumber ?? 0);
  const unread = Math.max(thread.postCount - lastRead, 0);
  return {
    id: thread.id,
    communityId: thread.communityId,
    categoryId: thread.categoryId,
    title: thread.title,
    author: { id: thread.authorId, displayName: thread.authorName ?? 'Former member' },
    pinned: thread.pinned,
    locked: thread.locked,
    postCount: thread.postCount,
    lastPostAt: thread.lastPostAt,
    createdAt: thread.createdAt,
    lastReadPostNumber: lastRead,
    unreadCount: unread,
    firstUnreadPostNumber: unread > 0 ? lastRead + 1 : null,
    subscription,
    ...(thread.deleted ? { deleted: true } : {}),
  };
}

export function toThreadView(row: ThreadRow): ThreadView {
  return threadViewOf(sharedThreadOf(row), row.last_read_post_number, row.subscription);
}

/** A thread list read: the page (null when the caller's `If-None-Match` still holds) and its ETag. */
export interface ThreadListResult {
  etag: string;
  page: ThreadPageView | null;
}

interface ListedThread {
  id: string;
  version: number;
  last_read_post_number: number | null;
  subscription: SubscriptionLevel | null;
}

export interface NewThreadInput {
  categoryId: string;
  title: string;
  body: string;
}

/** What `ThreadService.insert` wrote, for `published` to announce after the commit. */
export interface InsertedThread {
  threadId: string;
  postId: string;
  categoryId: string;
  title: string;
  authorName: string | null;
  createdAt: Date;
  lastPostAt: Date;
}

/** A thread title, trimmed, or a 400 when it is blank or too long. */
export function checkedTitle(raw: string): string {
  const title = raw.trim();
  if (!title || title.length > TITLE_MAX_LENGTH) {
    throw new CommonError(CommonErrorCode.BadRequest, `A title needs 1 to ${TITLE_MAX_LENGTH} characters`);
  }
  return title;
}

@Injectable()
export class ThreadService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly policy: ForumPolicy,
    private readonly clock: Clock,
    private readonly fanout: PostFanoutQueue,
    private readonly events: ForumEvents,
    private readonly cache: ForumCache,
  ) {}

  /**
   * Latest activity first, pinned threads on top; keyset over (pinned, last_post_at, id). One query
   * gives the page's threads in order with their versions and the reader's read positions and
   * subscriptions; each thread's shared summary comes from the cache by (id, version), the misses
   * loaded together. Every change to a summary bumps its version, so no instance shows a stale one.
   */
  async list(
    context: CommunityContext,
    filter: { categoryId?: string },
    limit: number,
    cursor?: string,
    ifNoneMatch?: string,
  ): Promise<ThreadListResult> {
    const params: unknown[] = [context.userId, context.community.id, limit + 1];
    let where = 't.community_id = $2 AND t.deleted_at IS NULL';
    if (filter.categoryId) {
      params.push(filter.categoryId);
      where += ` AND t.category_id = $${params.length}`;
    }
    if (cursor) {
      const [pinned, lastPostAt, id] = decodeCursor(cursor, ['number', 'date', 'uuid']);
      params.push(pinned === 1, lastPostAt, id);
      where += ` AND (t.pinned, t.last_post_at, t.id) < ($${params.length - 2}, $${params.length - 1}, $${params.length})`;
    }
    const rows: ListedThread[] = await this.dataSource.query(
      `SELECT t.id, t.version, rs.last_read_post_number, s.level AS subscription
         FROM forum_threads t
         LEFT JOIN forum_read_states rs ON rs.thread_id = t.id AND rs.user_id = $1
         LEFT JOIN forum_subscriptions s ON s.thread_id = t.id AND s.user_id = $1
        WHERE ${where}
        ORDER BY t.pinned DESC, t.last_post_at DESC, t.id DESC
        LIMIT $3`,
      params,
    );
    const etag = `W/"${createHash('sha1')
      .update(
        [
          context.community.id,
          filter.categoryId ?? '',
          cursor ?? '',
          limit,
          context.userId,
          ...rows.map((r) => `${r.id}:${r.version}:${r.last_read_post_number ?? 0}:${r.subscription ?? ''}`),
        ].join('|'),
      )
      .digest('base64url')}"`;
    if (etagMatches(ifNoneMatch, etag)) return { etag, page: null };

    const summaries = await this.summaries(rows);
    const more = rows.length > limit;
    const items = (more ? rows.slice(0, limit) : rows).map((r) =>
      threadViewOf(summaries.get(r.id)!, r.last_read_post_number, r.subscription),
    );
    const last = items[items.length - 1];
    return {
      etag,
      page: { items, nextCursor: more ? encodeCursor([last.pinned ? 1 : 0, last.lastPostAt, last.id]) : null },
    };
  }

  /** Shared summaries of the listed threads: from the cache where held, the rest in one query. */
  private async summaries(rows: ListedThread[]): Promise<Map<string, SharedThread>> {
    const found = new Map<string, SharedThread>();
    const missing: string[] = [];
    for (const row of rows) {
      const cached = this.cache.peek<SharedThread>(`thread:${row.id}:${row.version}`);
      if (cached) found.set(row.id, cached);
      else missing.push(row.id);
    }
    if (missing.length) {
      const loaded: Array<ThreadRow & { version: number }> = await this.dataSource.query(
        `SELECT t.id, t.community_id, t.category_id, t.title, t.author_id, u.display_name AS author_name,
                t.pinned, t.locked, t.post_count, t.last_post_at, t.created_at, t.deleted_at, t.version
           FROM forum_threads t LEFT JOIN users u ON u.id = t.author_id
          WHERE t.id = ANY($1::uuid[])`,
        [missing],
      );
      for (const row of loaded) {
        // Keyed by the version actually read: if a write landed in between, this is that newer version.
        const shared = sharedThreadOf(row);
        this.cache.put(`thread:${row.id}:${row.version}`, shared);
        found.set(row.id, shared);
      }
    }
    return found;
  }

  async view(userId: string, threadId: string): Promise<ThreadView> {
    const [row] = (await this.dataSource.query(
      `SELECT ${THREAD_COLUMNS} FROM forum_threads t ${THREAD_JOINS} WHERE t.id = $2`,
      [userId, threadId],
    )) as ThreadRow[];
    if (!row) throw new ForumError(ForumErrorCode.ThreadNotFound, 'Thread not found');
    return toThreadView(row);
  }

  /**
   * One query gives the thread's version, the caller's membership, read position and subscription;
   * the shared summary comes from the cache by (id, version), as in thread lists. Anyone who is not
   * plainly an approved member, and deleted threads, go through the policy's full check.
   */
  async get(user: AuthUser, threadId: string): Promise<ThreadView> {
    const [row] = (await this.dataSource.query(
      `SELECT t.version, t.deleted_at, m.status, m.role, rs.last_read_post_number, s.level AS subscription
         FROM forum_threads t
         LEFT JOIN memberships m ON m.community_id = t.community_id AND m.user_id = $2
         LEFT JOIN forum_read_states rs ON rs.thread_id = t.id AND rs.user_id = $2
         LEFT JOIN forum_subscriptions s ON s.thread_id = t.id AND s.user_id = $2
        WHERE t.id = $1`,
      [threadId, user.id],
    )) as Array<{
      version: number;
      deleted_at: Date | null;
      status: string | null;
      role: CommunityRole | null;
      last_read_post_number: number | null;
      subscription: SubscriptionLevel | null;
    }>;
    if (!row || user.isAdmin || row.status !== 'approved' || !row.role || row.deleted_at) {
      await this.policy.thread(user, threadId);
      return this.view(user.id, threadId);
    }
    const summary = await this.cache.get(`thread:${threadId}:${row.version}`, () => this.summary(threadId));
    if (!summary) throw new ForumError(ForumErrorCode.ThreadNotFound, 'Thread not found');
    return threadViewOf(summary, row.last_read_post_number, row.subscription);
  }

  /** One thread's shared summary as it is now (null once it is gone). */
  private async summary(threadId: string): Promise<SharedThread | null> {
    const [row] = (await this.dataSource.query(
      `SELECT t.id, t.community_id, t.category_id, t.title, t.author_id, u.display_name AS author_name,
              t.pinned, t.locked, t.post_count, t.last_post_at, t.created_at, t.deleted_at
         FROM forum_threads t LEFT JOIN users u ON u.id = t.author_id
        WHERE t.id = $1`,
      [threadId],
    )) as ThreadRow[];
    return row ? sharedThreadOf(row) : null;
  }

  /** A new thread is its first post: both rows, the author's watch and read state commit together. */
  async create(context: CommunityContext, input: NewThreadInput): Promise<ThreadView> {
    const title = checkedTitle(input.title);
    const category = await this.dataSource
      .getRepository(ForumCategory)
      .findOne({ where: { id: input.categoryId, communityId: context.community.id } });
    if (!category) throw new ForumError(ForumErrorCode.CategoryNotFound, 'Category not found');
    ForumPolicy.assertMayPostIn(category, context);
    const body = renderPostBody(input.body);
    return this.published(context, await this.insert(this.dataSource, context, category.id, title, body));
  }

  /**
   * The thread, its first post, the author's watch and read position and the fan-out outbox row, in
   * one statement (so one transaction, or part of the caller's); mentioned members are notified by
   * the fan-out job once `published` has run after the commit. The answer is built from what the
   * statement returned: no read after the commit that could fail and turn a created thread into a 500
   * (and a retry into a duplicate).
   */
  async insert(
    db: Queryable,
    context: CommunityContext,
    categoryId: string,
    title: string,
    body: RenderedBody,
  ): Promise<InsertedThread> {
    const now = this.clock.now();
    const [row] = await queryRows<{ post_id: string; thread_id: string; created_at: Date; author_name: string | null }>(
      db,
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
        context.community.id,
        categoryId,
        context.userId,
        title,
        now,
        body.source,
        body.html,
        body.text,
        extractMentionHandles(body.text),
      ],
    );
    return {
      threadId: row.thread_id,
      postId: row.post_id,
      categoryId,
      title,
      authorName: row.author_name,
      createdAt: row.created_at,
      lastPostAt: now,
    };
  }

  /** After the thread's transaction committed: start its fan-out and tell category and community rooms. */
  published(context: CommunityContext, thread: InsertedThread): ThreadView {
    const { threadId, categoryId } = thread;
    this.fanout.enqueue(thread.postId);
    const created = forumEvent('category', categoryId, 'thread.created', { threadId, categoryId });
    this.events.publish([created, { ...created, room: 'community', id: context.community.id }]);
    return toThreadView({
      id: threadId,
      community_id: context.community.id,
      category_id: categoryId,
      title: thread.title,
      author_id: context.userId,
      author_name: thread.authorName,
      pinned: false,
      locked: false,
      post_count: 1,
      last_post_at: thread.lastPostAt,
      created_at: thread.createdAt,
      deleted_at: null,
      last_read_post_number: 1,
      subscription: SubscriptionLevel.Watching,
    });
  }

  /** Read position only moves forward and never past the last post. */
  async markRead(user: AuthUser, threadId: string, postNumber: number): Promise<ThreadView> {
    const { thread } = await this.policy.thread(user, threadId);
    await this.dataSource.query(
      `INSERT INTO forum_read_states (user_id, thread_id, community_id, last_read_post_number, updated_at)
       SELECT $1, t.id, t.community_id, LEAST($3::int, t.post_count), now() FROM forum_threads t WHERE t.id = $2
       ON CONFLICT (user_id, thread_id) DO UPDATE
         SET last_read_post_number = GREATEST(forum_read_states.last_read_post_number, EXCLUDED.last_read_post_number),
             updated_at = now()`,
      [user.id, thread.id, postNumber],
    );
    return this.view(user.id, threadId);
  }

  /** "Mark all read" for a community (or one category), in one statement. */
  async markAllRead(context: CommunityContext, categoryId?: string): Promise<number> {
    const rows = (await this.dataSource.query(
      `INSERT INTO forum_read_states (user_id, thread_id, community_id, last_read_post_number, updated_at)
       SELECT $1, t.id, t.community_id, t.post_count, now() FROM forum_threads t
        WHERE t.community_id = $2 AND t.deleted_at IS NULL AND ($3::uuid IS NULL OR t.category_id = $3)
       ON CONFLICT (user_id, thread_id) DO UPDATE
         SET last_read_post_number = GREATEST(forum_read_states.last_read_post_number, EXCLUDED.last_read_post_number),
             updated_at = now()
       RETURNING thread_id`,
      [context.userId, context.community.id, categoryId ?? null],
    )) as unknown[];
    return rows.length;
  }

  /** Watch, mute, or go back to the default (`null`: notified only when mentioned or quoted). */
  async subscribe(user: AuthUser, threadId: string, level: SubscriptionLevel | null): Promise<ThreadView> {
    const { thread } = await this.policy.thread(user, threadId);
    if (level === null) {
      await this.dataSource.query('DELETE FROM forum_subscriptions WHERE user_id = $1 AND thread_id = $2', [
        user.id,
        thread.id,
      ]);
    } else {
      await this.dataSource.query(
        `INSERT INTO forum_subscriptions (user_id, thread_id, community_id, level) VALUES ($1, $2, $3, $4)
         ON CONFLICT (user_id, thread_id) DO UPDATE SET level = EXCLUDED.level, updated_at = now()`,
        [user.id, thread.id, thread.communityId, level],
      );
    }
    return this.view(user.id, threadId);
  }
}
