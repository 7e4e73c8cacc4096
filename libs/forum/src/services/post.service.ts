import { Injectable } from '@nestjs/common';
import { AuditService } from '@cophub/audit';
import { EMPTY_NOTIFY_RESULT, NotificationService, NotifyResult } from '@cophub/notifications';
import { Clock, Queryable, Sql, SqlPort } from '@cophub/core';
import { AuthUser, CommunityContext } from '@cophub/identity';
import { EntityManager } from 'typeorm';
import { PostRepository, ReaderPostRow } from '../db/post.repository';
import { ThreadRepository } from '../db/thread.repository';
import { ReplyRow } from '../db/post.statements';
import { ForumError, ForumErrorCode } from '../errors/forum.error';
import { ForumPolicy, PostAccess } from '../policies/forum.policy';
import { PostView, RevisionView } from '../contract/forum.views';
import { ForumEvents, forumEvent } from './forum-events';
import { ForumNotifier } from './forum-notifier';
import { quoteHtml, RenderedBody, renderPostBody } from '../domain/post-body';
import { PostFanoutQueue } from '../jobs/post-fanout.queue';
import { extractMentionHandles } from '../domain/mentions';
import { sharedPostOf, viewOfPost } from '../contract/forum.mappers';

function toPostView(row: ReaderPostRow, viewerId: string, moderator: boolean): PostView {
  return viewOfPost(sharedPostOf(row), viewerId, moderator, {
    reactions: row.my_reactions,
    bookmarked: row.bookmarked,
  });
}

interface WrittenReply {
  row: ReplyRow;
  html: string;
  source: string;
  categoryId: string;
  moderator: boolean;
}

export interface ReplyInput {
  body: string;
  quotePostId?: string;
}

@Injectable()
export class PostService {
  constructor(
    private readonly sql: SqlPort,
    private readonly posts: PostRepository,
    private readonly threads: ThreadRepository,
    private readonly policy: ForumPolicy,
    private readonly clock: Clock,
    private readonly fanout: PostFanoutQueue,
    private readonly events: ForumEvents,
    private readonly audit: AuditService,
    private readonly notifier: ForumNotifier,
    private readonly notifications: NotificationService,
  ) {}

  async get(user: AuthUser, postId: string): Promise<PostView> {
    const { moderator } = await this.policy.post(user, postId);
    return this.view(user.id, postId, moderator);
  }

  private async view(userId: string, postId: string, moderator: boolean, db: Sql = this.sql): Promise<PostView> {
    const row = await this.posts.view(userId, postId, db);
    if (!row) throw new ForumError(ForumErrorCode.PostNotFound, 'Post not found');
    return toPostView(row, userId, moderator);
  }

  /**
   * A reply. An approved member's reply without a quote is one round trip (`MEMBER_REPLY`: the
   * permission checks and the write in one statement). Anyone else, a quote, or a reply that
   * statement refused goes the long way: one read of the thread, category, membership and quoted
   * post (`replyTarget`, which gives the exact error), then `REPLY`. Markdown is rendered before
   * any lock is taken, and watchers, mentioned and quoted members are notified by the fan-out job
   * after the commit.
   */
  async reply(user: AuthUser, threadId: string, input: ReplyInput): Promise<PostView> {
    const { post, announce } = await this.replyWithin(this.sql, user, threadId, input);
    announce();
    return post;
  }

  /**
   * The same reply, written in the caller's transaction (an emailed reply is stored with its
   * Message-ID in one transaction, so a crash cannot keep one without the other). The caller runs
   * `announce` (fan-out job, live events) once it has committed.
   */
  async replyWithin(
    manager: Queryable,
    user: AuthUser,
    threadId: string,
    input: ReplyInput,
  ): Promise<{ post: PostView; announce: () => void }> {
    const written =
      (await this.replyAsMember(manager, user, threadId, input)) ??
      (await this.replyAfterCheck(manager, user, threadId, input));
    const { row, html, source, categoryId, moderator } = written;
    const announce = () => {
      this.fanout.enqueue(row.id);
      this.events.publish([
        forumEvent('thread', threadId, 'post.created', {
          threadId,
          postId: row.id,
          postNumber: row.post_number,
          version: row.version,
        }),
        forumEvent('category', categoryId, 'thread.updated', {
          threadId,
          categoryId,
          postCount: row.post_number,
        }),
      ]);
    };
    const post = toPostView(
      {
        ...row,
        author_id: user.id,
        body_html: html,
        body_source: source,
        quoted_post_id: input.quotePostId ?? null,
        edited_at: null,
        hidden_at: null,
        hidden_reason: null,
        deleted_at: null,
        my_reactions: [],
        bookmarked: false,
      },
      user.id,
      moderator,
    );
    return { post, announce };
  }

  /**
   * The common case in one statement; null when it does not apply (an admin, a quote, a body the
   * long way must refuse in its own order) or the statement found the reply not allowed.
   */
  private async replyAsMember(
    manager: Queryable,
    user: AuthUser,
    threadId: string,
    input: ReplyInput,
  ): Promise<WrittenReply | null> {
    if (user.isAdmin || input.quotePostId) return null;
    let body: RenderedBody;
    try {
      body = renderPostBody(input.body);
    } catch {
      // Refused either way; the long way checks access first, so the caller hears the same error as ever.
      return null;
    }
    const row = await this.posts.memberReply(manager, threadId, user.id, this.clock.now(), {
      source: body.source,
      html: body.html,
      text: body.text,
      handles: extractMentionHandles(body.text),
    });
    if (!row) return null;
    return {
      row,
      html: body.html,
      source: body.source,
      categoryId: row.category_id,
      moderator: ForumPolicy.isModerator({ role: row.role }),
    };
  }

  private async replyAfterCheck(
    manager: Queryable,
    user: AuthUser,
    threadId: string,
    input: ReplyInput,
  ): Promise<WrittenReply> {
    const target = await this.replyTarget(user, threadId, input.quotePostId ?? null);
    const body = renderPostBody(input.body);
    const html = target.quote ? target.quote + body.html : body.html;
    const row = await this.posts.reply(
      manager,
      {
        threadId,
        userId: user.id,
        quotePostId: input.quotePostId ?? null,
        moderator: target.moderator,
        now: this.clock.now(),
      },
      { source: body.source, html, text: body.text, handles: extractMentionHandles(body.text) },
    );
    // The thread was locked (or deleted) between the check and the write.
    if (!row) throw new ForumError(ForumErrorCode.ThreadLocked, 'This thread is locked');
    return { row, html, source: body.source, categoryId: target.categoryId, moderator: target.moderator };
  }

  /**
   * May this user reply here, and with what quote? One query answers it for approved members; anyone
   * else (admins, pending, suspended, outsiders, unknown threads) goes through the policy's full check,
   * which gives the exact error. The quoted post must be in the same community and visible to the quoter.
   */
  private async replyTarget(
    user: AuthUser,
    threadId: string,
    quotePostId: string | null,
  ): Promise<{ categoryId: string; moderator: boolean; quote: string | null }> {
    const row = await this.posts.replyTarget(threadId, user.id, quotePostId);
    let context: Pick<CommunityContext, 'role'>;
    if (row && !user.isAdmin && row.status === 'approved' && row.role) {
      context = { role: row.role };
    } else {
      context = (await this.policy.thread(user, threadId)).context;
    }
    if (!row) throw new ForumError(ForumErrorCode.ThreadNotFound, 'Thread not found');
    const moderator = ForumPolicy.isModerator(context);
    if (row.deleted_at) throw new ForumError(ForumErrorCode.ThreadNotFound, 'Thread not found');
    ForumPolicy.assertMayPostIn({ postPolicy: row.post_policy, name: row.category_name }, context);
    if (row.locked && !moderator) throw new ForumError(ForumErrorCode.ThreadLocked, 'This thread is locked');
    let quote: string | null = null;
    if (quotePostId) {
      if (!row.quote_id || row.quote_deleted_at || (row.quote_hidden_at && !moderator)) {
        throw new ForumError(ForumErrorCode.InvalidQuote, 'The quoted post does not exist or cannot be quoted');
      }
      quote = quoteHtml(row.quote_id, row.quote_author ?? 'Former member', row.quote_html!);
    }
    return { categoryId: row.category_id, moderator, quote };
  }

  /**
   * Edit: the text being replaced goes to the history table, and the version check makes two editors
   * racing each other get a 409 instead of one silently overwriting the other.
   */
  async edit(user: AuthUser, postId: string, input: { body: string; version?: number }): Promise<PostView> {
    const access = await this.policy.post(user, postId);
    ForumPolicy.assertMayChange(access);
    const { post, thread, moderator } = access;
    if (post.deletedAt) throw new ForumError(ForumErrorCode.PostDeleted, 'This post has been deleted');
    if (thread.locked && !moderator) throw new ForumError(ForumErrorCode.ThreadLocked, 'This thread is locked');
    const body = renderPostBody(input.body);
    let html = body.html;
    if (post.quotedPostId) {
      // Keep the quote block the post was written with (it is the part before the author's own HTML).
      const quoteEnd = post.bodyHtml.indexOf('</blockquote>');
      if (post.bodyHtml.startsWith('<blockquote data-post-id=') && quoteEnd > 0) {
        html = post.bodyHtml.slice(0, quoteEnd + '</blockquote>'.length) + html;
      }
    }
    const now = this.clock.now();
    // The answer is read inside the transaction, before COMMIT: a read after the commit could fail and
    // report a saved edit as an error.
    const { version, answer, notices } = await this.sql.transaction(async (tx, manager) => {
      const locked = await this.posts.lockForEdit(tx, post.communityId, postId);
      if (locked.deleted_at) throw new ForumError(ForumErrorCode.PostDeleted, 'This post has been deleted');
      if (input.version !== undefined && input.version !== locked.version) {
        throw new ForumError(
          ForumErrorCode.VersionConflict,
          `The post changed since you opened it (now version ${locked.version}); reload and edit again`,
        );
      }
      await this.posts.insertRevision(tx, {
        communityId: post.communityId,
        postId,
        version: locked.version,
        source: locked.body_source,
        html: locked.body_html,
        editedBy: user.id,
        at: now,
      });
      await this.posts.updateBody(tx, post.communityId, postId, { source: body.source, html, text: body.text }, now);
      // The edit's mentions replace the old ones; members it newly mentions are notified.
      const { before, after } = await this.posts.replaceMentions(
        tx,
        post.communityId,
        postId,
        extractMentionHandles(body.text),
      );
      const earlier = new Set(before);
      const newlyMentioned = after.filter((id) => !earlier.has(id));
      const notices = await this.notifyEditMentions(tx, manager, access, body.text, newlyMentioned);
      if (moderator && post.authorId !== user.id) {
        await this.audit.record(manager, {
          communityId: post.communityId,
          actorId: user.id,
          action: 'forum.post.edit',
          targetType: 'forum_post',
          targetId: postId,
          data: { threadId: post.threadId, version: locked.version + 1 },
        });
      }
      return {
        version: locked.version + 1,
        answer: await this.view(user.id, postId, moderator, tx),
        notices,
      };
    });
    await this.notifications.dispatch(notices);
    this.events.publish([
      forumEvent('thread', post.threadId, 'post.updated', {
        threadId: post.threadId,
        postId,
        postNumber: post.postNumber,
        version,
      }),
    ]);
    return answer;
  }

  /**
   * Notifies members an edit newly mentions, in the edit's transaction. Not while the post's own
   * fan-out is still pending (it reads the mentions as they are when it runs, so it tells them), nor
   * for a hidden post or one without an author.
   */
  private async notifyEditMentions(
    tx: Sql,
    manager: EntityManager,
    access: PostAccess,
    bodyText: string,
    userIds: string[],
  ): Promise<NotifyResult> {
    const { post, thread, context } = access;
    if (!userIds.length || !post.authorId || post.hiddenAt) return EMPTY_NOTIFY_RESULT;
    if (await this.posts.fanoutPending(tx, post.id)) return EMPTY_NOTIFY_RESULT;
    return this.notifier.forEditMentions(
      manager,
      {
        communityId: post.communityId,
        communitySlug: context.community.slug,
        threadId: thread.id,
        threadTitle: thread.title,
        postId: post.id,
        postNumber: post.postNumber,
        bodyText,
        authorId: post.authorId,
        quotedPostId: post.quotedPostId,
      },
      userIds,
    );
  }

  /** Earlier versions, newest first. Hidden or deleted posts' history is for moderators only. */
  async revisions(user: AuthUser, postId: string): Promise<RevisionView[]> {
    const { post, moderator } = await this.policy.post(user, postId);
    if (!moderator && (post.hiddenAt || post.deletedAt)) return [];
    const rows = await this.posts.revisions(post.communityId, postId);
    return rows.map((r) => ({
      version: r.version,
      html: r.body_html,
      source: r.body_source,
      editedBy: r.edited_by,
      replacedAt: r.created_at.toISOString(),
    }));
  }

  /** Soft delete by the author or a moderator; deleting the first post deletes the thread. */
  async remove(user: AuthUser, postId: string): Promise<void> {
    const access = await this.policy.post(user, postId);
    ForumPolicy.assertMayChange(access);
    const { post, thread, moderator } = access;
    if (thread.locked && !moderator) throw new ForumError(ForumErrorCode.ThreadLocked, 'This thread is locked');
    const now = this.clock.now();
    const version = await this.sql.transaction(async (tx, manager) => {
      const version = await this.posts.softDelete(tx, post.communityId, postId, now, user.id);
      if (version === null) throw new ForumError(ForumErrorCode.PostDeleted, 'This post has already been deleted');
      if (post.postNumber === 1) await this.threads.markDeleted(tx, post.communityId, thread.id, now);
      if (post.authorId !== user.id) {
        await this.audit.record(manager, {
          communityId: post.communityId,
          actorId: user.id,
          action: post.postNumber === 1 ? 'forum.thread.delete' : 'forum.post.delete',
          targetType: post.postNumber === 1 ? 'forum_thread' : 'forum_post',
          targetId: post.postNumber === 1 ? thread.id : postId,
          data: { threadId: thread.id, postNumber: post.postNumber },
        });
      }
      return version;
    });
    this.events.publish([
      forumEvent('thread', thread.id, 'post.deleted', {
        threadId: thread.id,
        postId,
        postNumber: post.postNumber,
        version,
      }),
    ]);
  }
}
