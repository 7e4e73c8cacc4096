import { Injectable } from '@nestjs/common';
import { AuditService } from '@cophub/audit';
import { Clock, decodeCursor, encodeCursor, isUniqueViolation, Sql, SqlPort } from '@cophub/core';
import { AuthUser, CommunityContext } from '@cophub/identity';
import { EntityManager } from 'typeorm';
import { FlagStatus } from '../db/enums';
import { CategoryRepository } from '../db/category.repository';
import { ModerationRepository } from '../db/moderation.repository';
import { ForumError, ForumErrorCode } from '../errors/forum.error';
import { ForumPolicy } from '../policies/forum.policy';
import { FlagPageView, FlagView, PostView, ThreadView } from '../contract/forum.views';
import { NotificationService } from '@cophub/notifications';
import { ForumEvents, forumEvent, PendingEvent } from './forum-events';
import { excerptOf, ForumNotifier } from './forum-notifier';
import { PostService } from './post.service';
import { ThreadService } from './thread.service';

/**
 * Pin, lock, move, hide, and the flag queue. Every action is a conditional update (so repeating it is
 * harmless and races settle in the database) and writes an audit row in the same transaction.
 */
@Injectable()
export class ModerationService {
  constructor(
    private readonly sql: SqlPort,
    private readonly moderation: ModerationRepository,
    private readonly categories: CategoryRepository,
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
    const changed = await this.sql.transaction(async (tx, manager) => {
      if (!(await this.moderation.setThreadFlag(tx, thread.communityId, threadId, column, value))) return false;
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
    const target = await this.categories.findIn(thread.communityId, categoryId);
    if (!target) throw new ForumError(ForumErrorCode.CategoryNotFound, 'Category not found in this community');
    if (target.id === thread.categoryId) return this.threads.view(user.id, threadId);
    await this.sql.transaction(async (tx, manager) => {
      await this.moderation.moveThread(tx, thread.communityId, threadId, target.id);
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
    tx: Sql,
    manager: EntityManager,
    actorId: string,
    post: { id: string; communityId: string; threadId: string },
    hidden: boolean,
    reason: string | null,
  ): Promise<number | null> {
    const version = hidden
      ? await this.moderation.hidePost(tx, post.communityId, post.id, this.clock.now(), actorId, reason)
      : await this.moderation.unhidePost(tx, post.communityId, post.id);
    if (version === null) return null;
    if (hidden) {
      // Hiding a post settles every open flag on it.
      await this.moderation.actionOpenFlags(tx, post.communityId, post.id, actorId, this.clock.now());
    }
    await this.audit.record(manager, {
      communityId: post.communityId,
      actorId,
      action: hidden ? 'forum.post.hide' : 'forum.post.unhide',
      targetType: 'forum_post',
      targetId: post.id,
      data: { threadId: post.threadId, ...(reason ? { reason } : {}) },
    });
    return version;
  }

  async setHidden(user: AuthUser, postId: string, hidden: boolean, reason?: string): Promise<PostView> {
    const { post, context } = await this.policy.post(user, postId);
    ForumPolicy.assertModerator(context);
    const version = await this.sql.transaction((tx, manager) =>
      this.hideInTx(tx, manager, user.id, post, hidden, reason ?? null),
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
      const { id, notices } = await this.sql.transaction(async (tx, manager) => {
        const flagId = await this.moderation.insertFlag(tx, {
          communityId: post.communityId,
          postId,
          reporterId: user.id,
          reason: reason.trim(),
          at: this.clock.now(),
        });
        const notices = await this.notifier.forFlag(manager, {
          flagId,
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
        return { id: flagId, notices };
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
    let before: { at: unknown; id: unknown } | undefined;
    if (cursor) {
      const [at, id] = decodeCursor(cursor, ['date', 'uuid']);
      before = { at, id };
    }
    const rows = await this.moderation.flags(context.community.id, status, limit, before);
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
    await this.sql.transaction(async (tx, manager) => {
      const flag = await this.moderation.lockFlag(tx, context.community.id, flagId);
      if (!flag) throw new ForumError(ForumErrorCode.FlagNotFound, 'Flag not found');
      if (flag.status !== FlagStatus.Open)
        throw new ForumError(ForumErrorCode.FlagResolved, 'This flag is already resolved');
      if (action === 'hide') {
        const version = await this.hideInTx(
          tx,
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
      await this.moderation.resolveFlag(
        tx,
        context.community.id,
        flagId,
        action === 'hide' ? FlagStatus.Actioned : FlagStatus.Dismissed,
        context.userId,
        this.clock.now(),
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
