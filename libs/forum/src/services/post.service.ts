import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { AuditService } from '@cophub/audit';
import { EMPTY_NOTIFY_RESULT, NotificationService, NotifyResult } from '@cophub/notifications';
import { Clock, decodeCursor, encodeCursor, namedStatement, queryNamed, queryRows } from '@cophub/core';
import { AuthUser, CommunityContext, CommunityRole } from '@cophub/identity';
import { DataSource, EntityManager } from 'typeorm';
import { CategoryPostPolicy, ReactionKind } from '../entities/enums';
import { ForumError, ForumErrorCode } from '../errors/forum.error';
import { ForumPolicy, PostAccess } from '../policies/forum.policy';
import { BookmarkPageView, PostView, ReactionsView, RevisionView } from '../views';
import { ForumEvents, forumEvent } from './forum-events';
import { ForumNotifier } from './forum-notifier';
import { quoteHtml, RenderedBody, renderPostBody } from './post-body';
import { PostFanoutQueue } from './post-fanout';
import { extractMentionHandles, MentionRef } from './mentions';
import { BUMP_THREAD_OF_POST, MENTIONED, MENTIONS_OF } from './sql';
import { PostRow as SharedPostRow, sharedPostOf, viewOfPost } from './thread-pages.service';

/** A post row with the reader's own marks on it. */
interface PostRow extends SharedPostRow {
  my_reactions: ReactionKind[];
  bookmarked: boolean;
}

const POST_SELECT = `SELECT p.id, p.thread_id, p.post_number, p.author_id, u.display_name AS author_name,
    p.body_html, p.body_source, p.quoted_post_id, p.version, p.reaction_counts, p.edited_at,
    p.hidden_at, p.hidden_reason, p.deleted_at, p.created_at,
    ARRAY(SELECT r.kind FROM forum_reactions r WHERE r.post_id = p.id AND r.user_id = $1 ORDER BY r.kind) AS my_reactions,
    EXISTS (SELECT 1 FROM forum_bookmarks b WHERE b.user_id = $1 AND b.post_id = p.id) AS bookmarked,
    ${MENTIONS_OF('p')}
  FROM forum_posts p LEFT JOIN users u ON u.id = p.author_id`;

function toPostView(row: PostRow, viewerId: string, moderator: boolean): PostView {
  return viewOfPost(sharedPostOf(row), viewerId, moderator, {
    reactions: row.my_reactions,
    bookmarked: row.bookmarked,
  });
}

/** Everything a reply needs to know before writing, read in one round trip (see `replyTarget`). */
interface ReplyTargetRow {
  community_id: string;
  category_id: string;
  locked: boolean;
  deleted_at: Date | null;
  post_policy: CategoryPostPolicy;
  category_name: string;
  status: string | null;
  role: CommunityRole | null;
  quote_id: string | null;
  quote_html: string | null;
  quote_hidden_at: Date | null;
  quote_deleted_at: Date | null;
  quote_author: string | null;
}

/** `replyTarget`'s one read: the thread, its category, the caller's membership and the quoted post. */
const REPLY_TARGET = namedStatement(
  'forum_reply_target',
  `SELECT t.community_id, t.category_id, t.locked, t.deleted_at, c.post_policy, c.name AS category_name,
          m.status, m.role, q.id AS quote_id, q.body_html AS quote_html, q.hidden_at AS quote_hidden_at,
          q.deleted_at AS quote_deleted_at, qu.display_name AS quote_author
     FROM forum_threads t
     JOIN forum_categories c ON c.id = t.category_id
     LEFT JOIN memberships m ON m.community_id = t.community_id AND m.user_id = $2
     LEFT JOIN forum_posts q ON q.id = $3::uuid AND q.community_id = t.community_id
     LEFT JOIN users qu ON qu.id = q.author_id
    WHERE t.id = $1`,
);

/**
 * What a reply writes once the thread's row is updated (CTE `t`, returning id, community_id and
 * post_count, the new post's number): the post, the author's watch and read position, and the
 * fan-out outbox row. `$2` is the author; the rest come from the statement using it.
 */
const REPLY_WRITES = (post: {
  quote: string;
  createdAt: string;
  source: string;
  html: string;
  text: string;
  handles: string;
}) => `
  p AS (
    INSERT INTO forum_posts (community_id, thread_id, post_number, author_id, body_source, body_html, body_text,
                             quoted_post_id, created_at, updated_at)
    SELECT t.community_id, t.id, t.post_count, $2, ${post.source}, ${post.html}, ${post.text}, ${post.quote}, ${post.createdAt}, ${post.createdAt} FROM t
    RETURNING id, thread_id, community_id, post_number, version, reaction_counts, created_at),
  ${MENTIONED('p', post.handles)},
  watch AS (
    INSERT INTO forum_subscriptions (user_id, thread_id, community_id, level)
    SELECT $2, t.id, t.community_id, 'watching' FROM t
    ON CONFLICT (user_id, thread_id) DO NOTHING),
  seen AS (
    INSERT INTO forum_read_states (user_id, thread_id, community_id, last_read_post_number)
    SELECT $2, t.id, t.community_id, t.post_count FROM t
    ON CONFLICT (user_id, thread_id) DO UPDATE
      SET last_read_post_number = GREATEST(forum_read_states.last_read_post_number, EXCLUDED.last_read_post_number),
          updated_at = now()),
  fanout AS (
    INSERT INTO forum_post_fanouts (post_id, created_at) SELECT p.id, ${post.createdAt} FROM p)`;

/** The mentions the reply statement just wrote, as `[written, userId, currentHandle]` triples. */
const MENTIONED_IN_REPLY = `(SELECT json_agg(json_build_array(x.handle, x.user_id, mu.handle))
            FROM mentioned x JOIN users mu ON mu.id = x.user_id) AS mentions`;

/**
 * The reply itself, as one statement (so one transaction and one round trip): the thread's counter
 * hands out the post number under the thread's row lock, with the lock check in the same UPDATE, and
 * the rest is written from it (`REPLY_WRITES`). The row lock is held only for this statement and its
 * commit; notifications are the fan-out job's.
 */
const REPLY = namedStatement(
  'forum_reply',
  `
  WITH t AS (
    UPDATE forum_threads SET post_count = post_count + 1, last_post_at = $5, updated_at = now(), version = version + 1
     WHERE id = $1 AND deleted_at IS NULL AND (NOT locked OR $4::boolean)
    RETURNING id, community_id, post_count),
  ${REPLY_WRITES({ quote: '$3::uuid', createdAt: '$5', source: '$6', html: '$7', text: '$8', handles: '$9' })}
  SELECT p.id, p.thread_id, p.post_number, p.version, p.reaction_counts, p.created_at, u.display_name AS author_name,
         ${MENTIONED_IN_REPLY}
    FROM p LEFT JOIN users u ON u.id = $2`,
);

/**
 * An approved member's reply without a quote, checks included: the thread is there and not deleted,
 * the caller is an approved member of its community, the thread is unlocked unless they moderate,
 * and an announcements category takes co-chairs only (the rules of `replyTarget` and `ForumPolicy`,
 * with `CommunityRole` and `CategoryPostPolicy` values written out). The membership is read in the
 * statement, under the thread's row lock; no row back means "take the long way".
 */
const MEMBER_REPLY = namedStatement(
  'forum_member_reply',
  `
  WITH t AS (
    UPDATE forum_threads ft
       SET post_count = ft.post_count + 1, last_post_at = $3, updated_at = now(), version = ft.version + 1
      FROM memberships m, forum_categories c
     WHERE ft.id = $1 AND ft.deleted_at IS NULL
       AND m.community_id = ft.community_id AND m.user_id = $2 AND m.status = 'approved'
       AND c.id = ft.category_id
       AND (NOT ft.locked OR m.role IN ('moderator', 'co_chair'))
       AND (c.post_policy <> 'co_chairs' OR m.role = 'co_chair')
    RETURNING ft.id, ft.community_id, ft.post_count, ft.category_id, m.role),
  ${REPLY_WRITES({ quote: 'NULL::uuid', createdAt: '$3', source: '$4', html: '$5', text: '$6', handles: '$7' })}
  SELECT p.id, p.thread_id, p.post_number, p.version, p.reaction_counts, p.created_at, u.display_name AS author_name,
         ${MENTIONED_IN_REPLY}, t.category_id, t.role
    FROM p CROSS JOIN t LEFT JOIN users u ON u.id = $2`,
);

/** What the reply statements return. */
interface ReplyRow {
  id: string;
  thread_id: string;
  post_number: number;
  version: number;
  reaction_counts: Record<string, number>;
  created_at: Date;
  author_name: string | null;
  mentions: MentionRef[] | null;
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
    @InjectDataSource() private readonly dataSource: DataSource,
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

  private async view(
    userId: string,
    postId: string,
    moderator: boolean,
    manager: EntityManager = this.dataSource.manager,
  ): Promise<PostView> {
    const [row] = (await manager.query(`${POST_SELECT} WHERE p.id = $2`, [userId, postId])) as PostRow[];
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
    const { post, announce } = await this.replyWithin(this.dataSource.manager, user, threadId, input);
    announce();
    return post;
  }

  /**
   * The same reply, written in the caller's transaction (an emailed reply is stored with its
   * Message-ID in one transaction, so a crash cannot keep one without the other). The caller runs
   * `announce` (fan-out job, live events) once it has committed.
   */
  async replyWithin(
    manager: EntityManager,
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
    manager: EntityManager,
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
    const [row] = await queryNamed<ReplyRow & { category_id: string; role: CommunityRole }>(manager, MEMBER_REPLY, [
      threadId,
      user.id,
      this.clock.now(),
      body.source,
      body.html,
      body.text,
      extractMentionHandles(body.text),
    ]);
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
    manager: EntityManager,
    user: AuthUser,
    threadId: string,
    input: ReplyInput,
  ): Promise<WrittenReply> {
    const target = await this.replyTarget(user, threadId, input.quotePostId ?? null);
    const body = renderPostBody(input.body);
    const html = target.quote ? target.quote + body.html : body.html;
    const [row] = await queryNamed<ReplyRow>(manager, REPLY, [
      threadId,
      user.id,
      input.quotePostId ?? null,
      target.moderator,
      this.clock.now(),
      body.source,
      html,
      body.text,
      extractMentionHandles(body.text),
    ]);
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
    const [row] = await queryNamed<ReplyTargetRow>(this.dataSource, REPLY_TARGET, [threadId, user.id, quotePostId]);
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
    const { version, answer, notices } = await this.dataSource.transaction(async (manager) => {
      const [locked] = (await manager.query(
        'SELECT version, body_source, body_html, deleted_at FROM forum_posts WHERE id = $1 FOR UPDATE',
        [postId],
      )) as Array<{ version: number; body_source: string; body_html: string; deleted_at: Date | null }>;
      if (locked.deleted_at) throw new ForumError(ForumErrorCode.PostDeleted, 'This post has been deleted');
      if (input.version !== undefined && input.version !== locked.version) {
        throw new ForumError(
          ForumErrorCode.VersionConflict,
          `The post changed since you opened it (now version ${locked.version}); reload and edit again`,
        );
      }
      await manager.query(
        `INSERT INTO forum_post_revisions (community_id, post_id, version, body_source, body_html, edited_by, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7)`,
        [post.communityId, postId, locked.version, locked.body_source, locked.body_html, user.id, now],
      );
      await manager.query(
        `WITH edited AS (
           UPDATE forum_posts SET body_source = $2, body_html = $3, body_text = $4, version = version + 1,
                  edited_at = $5, updated_at = now() WHERE id = $1 RETURNING thread_id)
         ${BUMP_THREAD_OF_POST('edited')}`,
        [postId, body.source, html, body.text, now],
      );
      // The edit's mentions replace the old ones; members it newly mentions are notified.
      const before = await queryRows<{ user_id: string }>(
        manager,
        'DELETE FROM forum_post_mentions WHERE post_id = $1 RETURNING user_id',
        [postId],
      );
      const after = (await manager.query(
        `WITH p AS (SELECT id, thread_id, community_id FROM forum_posts WHERE id = $1), ${MENTIONED('p', '$2')}
         SELECT DISTINCT user_id FROM mentioned`,
        [postId, extractMentionHandles(body.text)],
      )) as Array<{ user_id: string }>;
      const earlier = new Set(before.map((r) => r.user_id));
      const newlyMentioned = after.map((r) => r.user_id).filter((id) => !earlier.has(id));
      const notices = await this.notifyEditMentions(manager, access, body.text, newlyMentioned);
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
        answer: await this.view(user.id, postId, moderator, manager),
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
    manager: EntityManager,
    access: PostAccess,
    bodyText: string,
    userIds: string[],
  ): Promise<NotifyResult> {
    const { post, thread, context } = access;
    if (!userIds.length || !post.authorId || post.hiddenAt) return EMPTY_NOTIFY_RESULT;
    const pending = await manager.query('SELECT 1 FROM forum_post_fanouts WHERE post_id = $1', [post.id]);
    if (pending.length) return EMPTY_NOTIFY_RESULT;
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
    const rows = (await this.dataSource.query(
      `SELECT version, body_html, body_source, edited_by, created_at FROM forum_post_revisions
        WHERE post_id = $1 ORDER BY version DESC`,
      [postId],
    )) as Array<{
      version: number;
      body_html: string;
      body_source: string;
      edited_by: string | null;
      created_at: Date;
    }>;
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
    const version = await this.dataSource.transaction(async (manager) => {
      const [row] = await queryRows<{ version: number }>(
        manager,
        `WITH deleted AS (
             UPDATE forum_posts SET deleted_at = $2, deleted_by = $3, version = version + 1, updated_at = now()
              WHERE id = $1 AND deleted_at IS NULL RETURNING thread_id, version),
           bumped AS (${BUMP_THREAD_OF_POST('deleted')})
           SELECT version FROM deleted`,
        [postId, now, user.id],
      );
      if (!row) throw new ForumError(ForumErrorCode.PostDeleted, 'This post has already been deleted');
      if (post.postNumber === 1) {
        await manager.query('UPDATE forum_threads SET deleted_at = $2 WHERE id = $1 AND deleted_at IS NULL', [
          thread.id,
          now,
        ]);
      }
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
      return row.version;
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

  private assertReactable(access: PostAccess): void {
    if (access.post.deletedAt || (access.post.hiddenAt && !access.moderator)) {
      throw new ForumError(ForumErrorCode.PostDeleted, 'This post cannot be reacted to');
    }
  }

  /**
   * Add or remove a reaction. The primary key makes repeats no-ops, and the count changes only when a
   * row was really inserted or deleted, under the post's row lock, so counts never drift.
   */
  async react(user: AuthUser, postId: string, kind: ReactionKind, on: boolean): Promise<ReactionsView> {
    const access = await this.policy.post(user, postId);
    this.assertReactable(access);
    const { post } = access;
    const delta = on ? 1 : -1;
    const counts = await this.dataSource.transaction(async (manager) => {
      const changed = on
        ? ((await manager.query(
            `INSERT INTO forum_reactions (post_id, user_id, kind, community_id) VALUES ($1, $2, $3, $4)
             ON CONFLICT DO NOTHING RETURNING kind`,
            [postId, user.id, kind, post.communityId],
          )) as unknown[])
        : await queryRows(
            manager,
            'DELETE FROM forum_reactions WHERE post_id = $1 AND user_id = $2 AND kind = $3 RETURNING kind',
            [postId, user.id, kind],
          );
      if (!changed.length) return null;
      const [row] = await queryRows<{ reaction_counts: Record<string, number> }>(
        manager,
        `WITH counted AS (
             UPDATE forum_posts
                SET reaction_counts = CASE
                      WHEN coalesce((reaction_counts ->> $2)::int, 0) + $3 <= 0 THEN reaction_counts - $2
                      ELSE jsonb_set(reaction_counts, ARRAY[$2], to_jsonb(coalesce((reaction_counts ->> $2)::int, 0) + $3))
                    END
              WHERE id = $1 RETURNING thread_id, reaction_counts),
           bumped AS (${BUMP_THREAD_OF_POST('counted')})
           SELECT reaction_counts FROM counted`,
        [postId, kind, delta],
      );
      return row.reaction_counts;
    });
    if (counts) {
      this.events.publish([
        forumEvent('thread', post.threadId, 'reaction.updated', { threadId: post.threadId, postId, reactions: counts }),
      ]);
    }
    const view = await this.view(user.id, postId, access.moderator);
    return { postId, reactions: view.reactions, myReactions: view.myReactions };
  }

  async bookmark(user: AuthUser, postId: string, on: boolean): Promise<void> {
    const { post } = await this.policy.post(user, postId);
    if (on) {
      await this.dataSource.query(
        `INSERT INTO forum_bookmarks (user_id, post_id, community_id, created_at) VALUES ($1, $2, $3, $4)
         ON CONFLICT DO NOTHING`,
        [user.id, postId, post.communityId, this.clock.now()],
      );
    } else {
      await this.dataSource.query('DELETE FROM forum_bookmarks WHERE user_id = $1 AND post_id = $2', [user.id, postId]);
    }
  }

  async bookmarks(context: CommunityContext, limit: number, cursor?: string): Promise<BookmarkPageView> {
    const params: unknown[] = [context.userId, context.community.id, limit + 1];
    let where = '';
    if (cursor) {
      const [at, id] = decodeCursor(cursor, ['date', 'uuid']);
      params.push(at, id);
      where = 'AND (b.created_at, b.post_id) < ($4, $5)';
    }
    const rows = (await this.dataSource.query(
      `SELECT b.post_id, b.created_at, p.thread_id, p.post_number, t.title,
              CASE WHEN p.hidden_at IS NULL AND p.deleted_at IS NULL THEN left(p.body_text, 200) ELSE '' END AS excerpt
         FROM forum_bookmarks b
         JOIN forum_posts p ON p.id = b.post_id
         JOIN forum_threads t ON t.id = p.thread_id
        WHERE b.user_id = $1 AND b.community_id = $2 ${where}
        ORDER BY b.created_at DESC, b.post_id DESC LIMIT $3`,
      params,
    )) as Array<{
      post_id: string;
      created_at: Date;
      thread_id: string;
      post_number: number;
      title: string;
      excerpt: string;
    }>;
    const more = rows.length > limit;
    const items = (more ? rows.slice(0, limit) : rows).map((r) => ({
      postId: r.post_id,
      threadId: r.thread_id,
      threadTitle: r.title,
      postNumber: r.post_number,
      excerpt: r.excerpt,
      bookmarkedAt: r.created_at.toISOString(),
    }));
    const last = items[items.length - 1];
    return { items, nextCursor: more ? encodeCursor([last.bookmarkedAt, last.postId]) : null };
  }
}
