import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { AuditService } from '@cophub/audit';
import { Clock, decodeCursor, encodeCursor, isUniqueViolation, queryRows } from '@cophub/core';
import { AuthUser, CommunityContext } from '@cophub/identity';
import { DataSource, EntityManager } from 'typeorm';
import { FlagStatus } from '../entities/enums';
import { ForumCategory } from '../entities/category.entity';
import { ForumError, ForumErrorCode } from '../errors/forum.error';
import { ForumPolicy } from '../policies/forum.policy';
import { FlagPageView, FlagView, PostView, ThreadView } from '../views';
import { NotificationService } from '@cophub/notifications';
import { ForumEvents, forumEvent, PendingEvent } from './forum-events';
import { excerptOf, ForumNotifier } from './forum-notifier';
import { PostService } from './post.service';
import { BUMP_THREAD_OF_POST } from './sql';
import { ThreadService } from './thread.service';

/**
 * Pin, lock, move, hide, and the flag queue. Every action is a conditional update (so repeating it is
 * harmless and races settle in the database) and writes an audit row in the same transaction.
 */
@Injectable()
export class ModerationService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly policy: ForumPolicy,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly events: ForumEvents,
    private readonly threads: ThreadService,
    private readonly posts: PostService,
    private readonly notifier: ForumNotifier,
    private readonly notifications: NotificationService,
  ) {}

  private async moderateThread(user: AuthUser, threadId: string) {
    const access = await this.policy.thread(user, threadId);
    ForumPolicy.assertModerator(access.context);
    return access;
  }

  async setPinned(user: AuthUser, threadId: string, pinned: boolean): Promise<ThreadView> {
    return this.setFlag(user, threadId, 'pinned', pinned, pinned ? 'forum.thread.pin' : 'forum.thread.unpin');
  }

  async setLocked(user: AuthUser, threadId: string, locked: boolean): Promise<ThreadView> {
    return this.setFlag(user, threadId, 'locked', locked, locked ? 'forum.thread.lock' : 'forum.thread.unlock');
  }

  private async setFlag(
    user: AuthUser,
    threadId: string,
    column: 'pinned' | 'locked',
    value: boolean,
    action: string,
  ): Promise<ThreadView> {
    const { thread } = await this.moderateThread(user, threadId);
    const changed = await this.dataSource.transaction(async (manager) => {
      const rows = await queryRows(
        manager,
        `UPDATE forum_threads SET ${column} = $2, version = version + 1, updated_at = now()
          WHERE id = $1 AND ${column} <> $2 RETURNING id`,
        [threadId, value],
      );
      if (!rows.length) return false;
      await this.audit.record(manager, {
        communityId: thread.communityId,
        actorId: user.id,
        action,
        targetType: 'forum_thread',
        targetId: threadId,
        data: { title: thread.title },
      });
      return true;
    });
    if (changed) {
      const payload = { threadId, categoryId: thread.categoryId, [column]: value };
      this.events.publish([
        forumEvent('thread', threadId, 'thread.updated', payload),
        forumEvent('category', thread.categoryId, 'thread.updated', payload),
      ]);
    }
    return this.threads.view(user.id, threadId);
  }

  async move(user: AuthUser, threadId: string, categoryId: string): Promise<ThreadView> {
    const { thread } = await this.moderateThread(user, threadId);
    const target = await this.dataSource
      .getRepository(ForumCategory)
      .findOne({ where: { id: categoryId, communityId: thread.communityId } });
    if (!target) throw new ForumError(ForumErrorCode.CategoryNotFound, 'Category not found in this community');
    if (target.id === thread.categoryId) return this.threads.view(user.id, threadId);
    await this.dataSource.transaction(async (manager) => {
      await manager.query(
        'UPDATE forum_threads SET category_id = $2, version = version + 1, updated_at = now() WHERE id = $1',
        [threadId, target.id],
      );
      await this.audit.record(manager, {
        communityId: thread.communityId,
        actorId: user.id,
        action: 'forum.thread.move',
        targetType: 'forum_thread',
        targetId: threadId,
        data: { from: thread.categoryId, to: target.id },
      });
    });
    const events: PendingEvent[] = [thread.categoryId, target.id].map((id) =>
      forumEvent('category', id, 'thread.updated', { threadId, categoryId: target.id }),
    );
    events.push(forumEvent('thread', threadId, 'thread.updated', { threadId, categoryId: target.id }));
    this.events.publish(events);
    return this.threads.view(user.id, threadId);
  }

  private async hideInTx(
    manager: EntityManager,
    actorId: string,
    post: { id: string; communityId: string; threadId: string },
    hidden: boolean,
    reason: string | null,
  ): Promise<number | null> {
    const rows = hidden
      ? await queryRows<{ version: number }>(
          manager,
          `WITH changed AS (
             UPDATE forum_posts SET hidden_at = $2, hidden_by = $3, hidden_reason = $4, version = version + 1, updated_at = now()
              WHERE id = $1 AND hidden_at IS NULL RETURNING thread_id, version),
           bumped AS (${BUMP_THREAD_OF_POST('changed')})
           SELECT version FROM changed`,
          [post.id, this.clock.now(), actorId, reason],
        )
      : await queryRows<{ version: number }>(
          manager,
          `WITH changed AS (
             UPDATE forum_posts SET hidden_at = NULL, hidden_by = NULL, hidden_reason = NULL, version = version + 1, updated_at = now()
              WHERE id = $1 AND hidden_at IS NOT NULL RETURNING thread_id, version),
           bumped AS (${BUMP_THREAD_OF_POST('changed')})
           SELECT version FROM changed`,
          [post.id],
        );
    if (!rows.length) return null;
    if (hidden) {
      // Hiding a post settles every open flag on it.
      await manager.query(
        `UPDATE forum_flags SET status = 'actioned', resolved_by = $2, resolved_at = $3 WHERE post_id = $1 AND status = 'open'`,
        [post.id, actorId, this.clock.now()],
      );
    }
    await this.audit.record(manager, {
      communityId: post.communityId,
      actorId,
      action: hidden ? 'forum.post.hide' : 'forum.post.unhide',
      targetType: 'forum_post',
      targetId: post.id,
      data: { threadId: post.threadId, ...(reason ? { reason } : {}) },
    });
    return rows[0].version;
  }

  async setHidden(user: AuthUser, postId: string, hidden: boolean, reason?: string): Promise<PostView> {
    const { post, context } = await this.policy.post(user, postId);
    ForumPolicy.assertModerator(context);
    const version = await this.dataSource.transaction((manager) =>
      this.hideInTx(manager, user.id, post, hidden, reason ?? null),
    );
    if (version !== null) {
      this.events.publish([
        forumEvent('thread', post.threadId, 'post.hidden', {
          threadId: post.threadId,
          postId,
          postNumber: post.postNumber,
          version,
          hidden,
        }),
      ]);
    }
    return this.posts.get(user, postId);
  }

  /**
   * A member reports a post. One open flag per member per post (partial unique index). The
   * community's moderators and co-chairs are notified in the same transaction.
   */
  async flag(user: AuthUser, postId: string, reason: string): Promise<{ id: string }> {
    const { post, thread, context } = await this.policy.post(user, postId);
    if (post.deletedAt) throw new ForumError(ForumErrorCode.PostDeleted, 'This post has been deleted');
    try {
      const { id, notices } = await this.dataSource.transaction(async (manager) => {
        const [row] = (await manager.query(
          `INSERT INTO forum_flags (community_id, post_id, reporter_id, reason, created_at) VALUES ($1, $2, $3, $4, $5) RETURNING id`,
          [post.communityId, postId, user.id, reason.trim(), this.clock.now()],
        )) as Array<{ id: string }>;
        const notices = await this.notifier.forFlag(manager, {
          flagId: row.id,
          communityId: post.communityId,
          communitySlug: context.community.slug,
          communityName: context.community.name,
          threadId: thread.id,
          threadTitle: thread.title,
          postNumber: post.postNumber,
          postText: post.bodyText,
          reason: reason.trim(),
          reporterId: user.id,
        });
        return { id: row.id, notices };
      });
      await this.notifications.dispatch(notices);
      return { id };
    } catch (error) {
      if (isUniqueViolation(error)) {
        throw new ForumError(ForumErrorCode.AlreadyFlagged, 'You have already flagged this post');
      }
      throw error;
    }
  }

  /** The moderation queue, newest first, keyset over (created_at, id). */
  async flags(context: CommunityContext, status: FlagStatus, limit: number, cursor?: string): Promise<FlagPageView> {
    ForumPolicy.assertModerator(context);
    const params: unknown[] = [context.community.id, status, limit + 1];
    let where = '';
    if (cursor) {
      const [at, id] = decodeCursor(cursor, ['date', 'uuid']);
      params.push(at, id);
      where = 'AND (f.created_at, f.id) < ($4, $5)';
    }
    const rows = (await this.dataSource.query(
      `SELECT f.id, f.post_id, f.reason, f.status, f.created_at, f.reporter_id, u.display_name AS reporter_name,
              p.thread_id, p.post_number, p.body_html, p.body_text, p.hidden_at, t.title AS thread_title
         FROM forum_flags f
         JOIN forum_posts p ON p.id = f.post_id
         JOIN forum_threads t ON t.id = p.thread_id
         LEFT JOIN users u ON u.id = f.reporter_id
        WHERE f.community_id = $1 AND f.status = $2 ${where}
        ORDER BY f.created_at DESC, f.id DESC LIMIT $3`,
      params,
    )) as Array<{
      id: string;
      post_id: string;
      reason: string;
      status: FlagStatus;
      created_at: Date;
      reporter_id: string | null;
      reporter_name: string | null;
      thread_id: string;
      post_number: number;
      body_html: string;
      body_text: string;
      hidden_at: Date | null;
      thread_title: string;
    }>;
    const more = rows.length > limit;
    const items: FlagView[] = (more ? rows.slice(0, limit) : rows).map((r) => ({
      id: r.id,
      postId: r.post_id,
      threadId: r.thread_id,
      threadTitle: r.thread_title,
      postNumber: r.post_number,
      excerpt: excerptOf(r.body_text, 200),
      url: `/c/${context.community.slug}/t/${r.thread_id}/${r.post_number}`,
      reason: r.reason,
      status: r.status,
      reporter: { id: r.reporter_id, displayName: r.reporter_name ?? 'Former member' },
      postHtml: r.body_html,
      postHidden: r.hidden_at !== null,
      createdAt: r.created_at.toISOString(),
    }));
    const last = items[items.length - 1];
    return { items, nextCursor: more ? encodeCursor([last.createdAt, last.id]) : null };
  }

  /** Dismiss a flag, or act on it by hiding the post (which settles the post's other open flags too). */
  async resolveFlag(context: CommunityContext, flagId: string, action: 'dismiss' | 'hide'): Promise<void> {
    ForumPolicy.assertModerator(context);
    const events: PendingEvent[] = [];
    await this.dataSource.transaction(async (manager) => {
      const [flag] = (await manager.query(
        `SELECT f.id, f.status, f.post_id, p.thread_id, p.post_number
           FROM forum_flags f JOIN forum_posts p ON p.id = f.post_id
          WHERE f.id = $1 AND f.community_id = $2 FOR UPDATE OF f`,
        [flagId, context.community.id],
      )) as Array<{ id: string; status: FlagStatus; post_id: string; thread_id: string; post_number: number }>;
      if (!flag) throw new ForumError(ForumErrorCode.FlagNotFound, 'Flag not found');
      if (flag.status !== FlagStatus.Open)
        throw new ForumError(ForumErrorCode.FlagResolved, 'This flag is already resolved');
      if (action === 'hide') {
        const version = await this.hideInTx(
          manager,
          context.userId,
          { id: flag.post_id, communityId: context.community.id, threadId: flag.thread_id },
          true,
          'flagged',
        );
        if (version !== null) {
          events.push(
            forumEvent('thread', flag.thread_id, 'post.hidden', {
              threadId: flag.thread_id,
              postId: flag.post_id,
              postNumber: flag.post_number,
              version,
              hidden: true,
            }),
          );
        }
      }
      await manager.query(
        `UPDATE forum_flags SET status = $2, resolved_by = $3, resolved_at = $4 WHERE id = $1 AND status = 'open'`,
        [flagId, action === 'hide' ? FlagStatus.Actioned : FlagStatus.Dismissed, context.userId, this.clock.now()],
      );
      await this.audit.record(manager, {
        communityId: context.community.id,
        actorId: context.userId,
        action: action === 'hide' ? 'forum.flag.action' : 'forum.flag.dismiss',
        targetType: 'forum_flag',
        targetId: flagId,
        data: { postId: flag.post_id },
      });
    });
    this.events.publish(events);
  }
}
