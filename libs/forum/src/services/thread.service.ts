import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Clock, CommonError, CommonErrorCode, decodeCursor, toPage } from '@cophub/core';
import { AuthUser, CommunityContext } from '@cophub/identity';
import { NotificationService } from '@cophub/notifications';
import { DataSource } from 'typeorm';
import { SubscriptionLevel, TITLE_MAX_LENGTH } from '../entities/enums';
import { ForumCategory } from '../entities/category.entity';
import { ForumError, ForumErrorCode } from '../errors/forum.error';
import { ForumPolicy } from '../policies/forum.policy';
import { ThreadPageView, ThreadView } from '../views';
import { ForumEvents, forumEvent } from './forum-events';
import { ForumNotifier } from './forum-notifier';
import { renderPostBody } from './post-body';

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

export function toThreadView(row: ThreadRow): ThreadView {
  const lastRead = Number(row.last_read_post_number ?? 0);
  const unread = Math.max(row.post_count - lastRead, 0);
  return {
    id: row.id,
    communityId: row.community_id,
    categoryId: row.category_id,
    title: row.title,
    author: { id: row.author_id, displayName: row.author_name ?? 'Former member' },
    pinned: row.pinned,
    locked: row.locked,
    postCount: row.post_count,
    lastPostAt: row.last_post_at.toISOString(),
    createdAt: row.created_at.toISOString(),
    lastReadPostNumber: lastRead,
    unreadCount: unread,
    firstUnreadPostNumber: unread > 0 ? lastRead + 1 : null,
    subscription: row.subscription,
    ...(row.deleted_at ? { deleted: true } : {}),
  };
}

export interface NewThreadInput {
  categoryId: string;
  title: string;
  body: string;
}

@Injectable()
export class ThreadService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly policy: ForumPolicy,
    private readonly clock: Clock,
    private readonly notifier: ForumNotifier,
    private readonly notifications: NotificationService,
    private readonly events: ForumEvents,
  ) {}

  /** Latest activity first, pinned threads on top; keyset over (pinned, last_post_at, id). */
  async list(
    context: CommunityContext,
    filter: { categoryId?: string },
    limit: number,
    cursor?: string,
  ): Promise<ThreadPageView> {
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
    const rows: ThreadRow[] = await this.dataSource.query(
      `SELECT ${THREAD_COLUMNS} FROM forum_threads t ${THREAD_JOINS}
        WHERE ${where}
        ORDER BY t.pinned DESC, t.last_post_at DESC, t.id DESC
        LIMIT $3`,
      params,
    );
    const page = toPage(rows, limit, (r) => [r.pinned ? 1 : 0, r.last_post_at.toISOString(), r.id]);
    return { items: page.items.map(toThreadView), nextCursor: page.nextCursor };
  }

  async view(userId: string, threadId: string): Promise<ThreadView> {
    const [row] = (await this.dataSource.query(
      `SELECT ${THREAD_COLUMNS} FROM forum_threads t ${THREAD_JOINS} WHERE t.id = $2`,
      [userId, threadId],
    )) as ThreadRow[];
    if (!row) throw new ForumError(ForumErrorCode.ThreadNotFound, 'Thread not found');
    return toThreadView(row);
  }

  async get(user: AuthUser, threadId: string): Promise<ThreadView> {
    await this.policy.thread(user, threadId);
    return this.view(user.id, threadId);
  }

  /** A new thread is its first post: both rows, the author's watch and read state commit together. */
  async create(context: CommunityContext, input: NewThreadInput): Promise<ThreadView> {
    const title = input.title.trim();
    if (!title || title.length > TITLE_MAX_LENGTH) {
      throw new CommonError(CommonErrorCode.BadRequest, `A title needs 1 to ${TITLE_MAX_LENGTH} characters`);
    }
    const category = await this.dataSource
      .getRepository(ForumCategory)
      .findOne({ where: { id: input.categoryId, communityId: context.community.id } });
    if (!category) throw new ForumError(ForumErrorCode.CategoryNotFound, 'Category not found');
    ForumPolicy.assertMayPostIn(category, context);
    const body = renderPostBody(input.body);
    const now = this.clock.now();

    const { threadId, notified } = await this.dataSource.transaction(async (manager) => {
      const [thread] = (await manager.query(
        `INSERT INTO forum_threads (community_id, category_id, author_id, title, post_count, last_post_at)
         VALUES ($1, $2, $3, $4, 1, $5) RETURNING id`,
        [context.community.id, category.id, context.userId, title, now],
      )) as Array<{ id: string }>;
      const [post] = (await manager.query(
        `INSERT INTO forum_posts (community_id, thread_id, post_number, author_id, body_source, body_html, body_text, created_at, updated_at)
         VALUES ($1, $2, 1, $3, $4, $5, $6, $7, $7) RETURNING id`,
        [context.community.id, thread.id, context.userId, body.source, body.html, body.text, now],
      )) as Array<{ id: string }>;
      await manager.query(
        `INSERT INTO forum_subscriptions (user_id, thread_id, community_id, level) VALUES ($1, $2, $3, 'watching')`,
        [context.userId, thread.id, context.community.id],
      );
      await manager.query(
        `INSERT INTO forum_read_states (user_id, thread_id, community_id, last_read_post_number) VALUES ($1, $2, $3, 1)`,
        [context.userId, thread.id, context.community.id],
      );
      const notified = await this.notifier.forNewPost(manager, {
        communityId: context.community.id,
        communitySlug: context.community.slug,
        threadId: thread.id,
        threadTitle: title,
        postId: post.id,
        postNumber: 1,
        bodyText: body.text,
        authorId: context.userId,
        quotedPostId: null,
      });
      return { threadId: thread.id, postId: post.id, notified };
    });
    await this.notifications.dispatch(notified);
    const created = forumEvent('category', category.id, 'thread.created', { threadId, categoryId: category.id });
    this.events.publish([created, { ...created, room: 'community', id: context.community.id }]);
    return this.view(context.userId, threadId);
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
