import { Injectable } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { Clock, CommonError, CommonErrorCode, decodeCursor, encodeCursor, Queryable } from '@cophub/core';
import { AuthUser, CommunityContext } from '@cophub/identity';
import { ForumCache } from '../cache/forum-cache';
import { SubscriptionLevel, TITLE_MAX_LENGTH } from '../db/enums';
import { CategoryRepository } from '../db/category.repository';
import { ListedThread, ThreadRepository } from '../db/thread.repository';
import { SharedThread, sharedThreadOf, threadViewOf, toThreadView } from '../contract/forum.mappers';
import { ForumError, ForumErrorCode } from '../errors/forum.error';
import { ForumPolicy } from '../policies/forum.policy';
import { ThreadPageView, ThreadView } from '../contract/forum.views';
import { ForumEvents, forumEvent } from './forum-events';
import { extractMentionHandles } from '../domain/mentions';
import { RenderedBody, renderPostBody } from '../domain/post-body';
import { PostFanoutQueue } from '../jobs/post-fanout.queue';
import { etagMatches } from './thread-pages.service';

/** A thread list read: the page (null when the caller's `If-None-Match` still holds) and its ETag. */
export interface ThreadListResult {
  etag: string;
  page: ThreadPageView | null;
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
    private readonly threads: ThreadRepository,
    private readonly categories: CategoryRepository,
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
    let after: { pinned: boolean; lastPostAt: unknown; id: unknown } | undefined;
    if (cursor) {
      const [pinned, lastPostAt, id] = decodeCursor(cursor, ['number', 'date', 'uuid']);
      after = { pinned: pinned === 1, lastPostAt, id };
    }
    const rows = await this.threads.listed({
      userId: context.userId,
      communityId: context.community.id,
      limit,
      categoryId: filter.categoryId,
      after,
    });
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

    const summaries = await this.summaries(context.community.id, rows);
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
  private async summaries(communityId: string, rows: ListedThread[]): Promise<Map<string, SharedThread>> {
    const found = new Map<string, SharedThread>();
    const missing: string[] = [];
    for (const row of rows) {
      const cached = this.cache.peek<SharedThread>(`thread:${row.id}:${row.version}`);
      if (cached) found.set(row.id, cached);
      else missing.push(row.id);
    }
    if (missing.length) {
      const loaded = await this.threads.shared(communityId, missing);
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
    const row = await this.threads.withMarks(userId, threadId);
    if (!row) throw new ForumError(ForumErrorCode.ThreadNotFound, 'Thread not found');
    return toThreadView(row);
  }

  /**
   * One query gives the thread's version, the caller's membership, read position and subscription;
   * the shared summary comes from the cache by (id, version), as in thread lists. Anyone who is not
   * plainly an approved member, and deleted threads, go through the policy's full check.
   */
  async get(user: AuthUser, threadId: string): Promise<ThreadView> {
    const row = await this.threads.forReader(threadId, user.id);
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
    const row = await this.threads.sharedOne(threadId);
    return row ? sharedThreadOf(row) : null;
  }

  /** A new thread is its first post: both rows, the author's watch and read state commit together. */
  async create(context: CommunityContext, input: NewThreadInput): Promise<ThreadView> {
    const title = checkedTitle(input.title);
    const category = await this.categories.findIn(context.community.id, input.categoryId);
    if (!category) throw new ForumError(ForumErrorCode.CategoryNotFound, 'Category not found');
    ForumPolicy.assertMayPostIn(category, context);
    const body = renderPostBody(input.body);
    return this.published(context, await this.insert(undefined, context, category.id, title, body));
  }

  /**
   * The thread, its first post, the author's watch and read position and the fan-out outbox row, in
   * one statement (so one transaction, or part of the caller's); mentioned members are notified by
   * the fan-out job once `published` has run after the commit. The answer is built from what the
   * statement returned: no read after the commit that could fail and turn a created thread into a 500
   * (and a retry into a duplicate).
   */
  async insert(
    db: Queryable | undefined,
    context: CommunityContext,
    categoryId: string,
    title: string,
    body: RenderedBody,
  ): Promise<InsertedThread> {
    const now = this.clock.now();
    const row = await this.threads.insert(
      {
        communityId: context.community.id,
        categoryId,
        authorId: context.userId,
        title,
        now,
        source: body.source,
        html: body.html,
        text: body.text,
        handles: extractMentionHandles(body.text),
      },
      db,
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
    await this.threads.markRead(thread.communityId, user.id, thread.id, postNumber);
    return this.view(user.id, threadId);
  }

  /** "Mark all read" for a community (or one category), in one statement. */
  async markAllRead(context: CommunityContext, categoryId?: string): Promise<number> {
    return this.threads.markAllRead(context.community.id, context.userId, categoryId ?? null);
  }

  /** Watch, mute, or go back to the default (`null`: notified only when mentioned or quoted). */
  async subscribe(user: AuthUser, threadId: string, level: SubscriptionLevel | null): Promise<ThreadView> {
    const { thread } = await this.policy.thread(user, threadId);
    if (level === null) await this.threads.unsubscribe(thread.communityId, user.id, thread.id);
    else await this.threads.subscribe(thread.communityId, user.id, thread.id, level);
    return this.view(user.id, threadId);
  }
}
