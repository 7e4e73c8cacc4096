import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { AuditService } from '@cophub/audit';
import { Clock, CommonError, CommonErrorCode, decodeCursor, encodeCursor, queryRows } from '@cophub/core';
import { AuthUser, CommunityContext } from '@cophub/identity';
import { NotificationService } from '@cophub/notifications';
import { DataSource } from 'typeorm';
import { ReactionKind } from '../entities/enums';
import { ForumCategory } from '../entities/category.entity';
import { ForumError, ForumErrorCode } from '../errors/forum.error';
import { ForumPolicy, PostAccess } from '../policies/forum.policy';
import { BookmarkPageView, PostPageView, PostView, ReactionsView, RevisionView } from '../views';
import { ForumEvents, forumEvent } from './forum-events';
import { ForumNotifier } from './forum-notifier';
import { quoteHtml, renderPostBody } from './post-body';

interface PostRow {
  id: string;
  thread_id: string;
  post_number: number;
  author_id: string | null;
  author_name: string | null;
  body_html: string;
  body_source: string;
  quoted_post_id: string | null;
  version: number;
  reaction_counts: Record<string, number>;
  edited_at: Date | null;
  hidden_at: Date | null;
  hidden_reason: string | null;
  deleted_at: Date | null;
  created_at: Date;
  my_reactions: ReactionKind[];
  bookmarked: boolean;
}

const POST_SELECT = `SELECT p.id, p.thread_id, p.post_number, p.author_id, u.display_name AS author_name,
    p.body_html, p.body_source, p.quoted_post_id, p.version, p.reaction_counts, p.edited_at,
    p.hidden_at, p.hidden_reason, p.deleted_at, p.created_at,
    ARRAY(SELECT r.kind FROM forum_reactions r WHERE r.post_id = p.id AND r.user_id = $1 ORDER BY r.kind) AS my_reactions,
    EXISTS (SELECT 1 FROM forum_bookmarks b WHERE b.user_id = $1 AND b.post_id = p.id) AS bookmarked
  FROM forum_posts p LEFT JOIN users u ON u.id = p.author_id`;

/** What a reader sees: hidden and deleted posts keep their place but not their content, except for moderators. */
function toPostView(row: PostRow, viewerId: string, moderator: boolean): PostView {
  const redacted = !moderator && (row.hidden_at !== null || row.deleted_at !== null);
  const mayEdit = moderator || (row.author_id === viewerId && row.deleted_at === null);
  return {
    id: row.id,
    threadId: row.thread_id,
    postNumber: row.post_number,
    author: { id: row.author_id, displayName: row.author_name ?? 'Former member' },
    html: redacted ? null : row.body_html,
    source: !redacted && mayEdit ? row.body_source : null,
    quotedPostId: row.quoted_post_id,
    version: row.version,
    reactions: row.reaction_counts,
    myReactions: row.my_reactions,
    bookmarked: row.bookmarked,
    hidden: row.hidden_at !== null,
    hiddenReason: row.hidden_at && moderator ? row.hidden_reason : null,
    deleted: row.deleted_at !== null,
    editedAt: row.edited_at?.toISOString() ?? null,
    createdAt: row.created_at.toISOString(),
  };
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
    private readonly notifier: ForumNotifier,
    private readonly notifications: NotificationService,
    private readonly events: ForumEvents,
    private readonly audit: AuditService,
  ) {}

  /**
   * A thread's posts in order. `after` (a post number) is both the "jump to first unread" and the
   * catch-up cursor for a client that reconnects; `cursor` is the opaque keyset cursor of the last page.
   */
  async list(
    user: AuthUser,
    threadId: string,
    options: { limit: number; cursor?: string; after?: number },
  ): Promise<PostPageView> {
    const { moderator } = await this.policy.readableThread(user, threadId);
    let after = options.after ?? 0;
    if (options.cursor) {
      const [n] = decodeCursor(options.cursor, ['number']);
      if (!Number.isInteger(n) || (n as number) < 0) {
        throw new CommonError(CommonErrorCode.BadRequest, 'cursor is not valid for this list');
      }
      after = n as number;
    }
    const rows: PostRow[] = await this.dataSource.query(
      `${POST_SELECT} WHERE p.thread_id = $2 AND p.post_number > $3 ORDER BY p.post_number LIMIT $4`,
      [user.id, threadId, after, options.limit + 1],
    );
    const more = rows.length > options.limit;
    const items = (more ? rows.slice(0, options.limit) : rows).map((r) => toPostView(r, user.id, moderator));
    return { items, nextCursor: more ? encodeCursor([items[items.length - 1].postNumber]) : null };
  }

  async get(user: AuthUser, postId: string): Promise<PostView> {
    const { moderator } = await this.policy.post(user, postId);
    return this.view(user.id, postId, moderator);
  }

  private async view(userId: string, postId: string, moderator: boolean): Promise<PostView> {
    const [row] = (await this.dataSource.query(`${POST_SELECT} WHERE p.id = $2`, [userId, postId])) as PostRow[];
    if (!row) throw new ForumError(ForumErrorCode.PostNotFound, 'Post not found');
    return toPostView(row, userId, moderator);
  }

  /**
   * A reply. The post number comes from incrementing the thread's counter under its row lock, with
   * the lock check in the same statement, so a reply racing a lock either lands first or is refused.
   */
  async reply(user: AuthUser, threadId: string, input: ReplyInput): Promise<PostView> {
    const { thread, context, moderator } = await this.policy.thread(user, threadId);
    if (thread.deletedAt) throw new ForumError(ForumErrorCode.ThreadNotFound, 'Thread not found');
    const category = await this.dataSource.getRepository(ForumCategory).findOneByOrFail({ id: thread.categoryId });
    ForumPolicy.assertMayPostIn(category, context);
    if (thread.locked && !moderator) throw new ForumError(ForumErrorCode.ThreadLocked, 'This thread is locked');
    const body = renderPostBody(input.body);
    let html = body.html;
    if (input.quotePostId) html = (await this.quote(context, moderator, input.quotePostId)) + html;
    const now = this.clock.now();

    const { post, notified } = await this.dataSource.transaction(async (manager) => {
      const counter = await queryRows<{ post_count: number }>(
        manager,
        `UPDATE forum_threads SET post_count = post_count + 1, last_post_at = $2, updated_at = now()
          WHERE id = $1 AND deleted_at IS NULL AND (NOT locked OR $3)
          RETURNING post_count`,
        [thread.id, now, moderator],
      );
      const postNumber = counter[0]?.post_count;
      if (!postNumber) throw new ForumError(ForumErrorCode.ThreadLocked, 'This thread is locked');
      const [post] = (await manager.query(
        `INSERT INTO forum_posts (community_id, thread_id, post_number, author_id, body_source, body_html, body_text, quoted_post_id, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9) RETURNING id, post_number, version`,
        [
          thread.communityId,
          thread.id,
          postNumber,
          user.id,
          body.source,
          html,
          body.text,
          input.quotePostId ?? null,
          now,
        ],
      )) as Array<{ id: string; post_number: number; version: number }>;
      // Posting watches the thread, unless the member muted it.
      await manager.query(
        `INSERT INTO forum_subscriptions (user_id, thread_id, community_id, level) VALUES ($1, $2, $3, 'watching')
         ON CONFLICT (user_id, thread_id) DO NOTHING`,
        [user.id, thread.id, thread.communityId],
      );
      await manager.query(
        `INSERT INTO forum_read_states (user_id, thread_id, community_id, last_read_post_number) VALUES ($1, $2, $3, $4)
         ON CONFLICT (user_id, thread_id) DO UPDATE
           SET last_read_post_number = GREATEST(forum_read_states.last_read_post_number, EXCLUDED.last_read_post_number),
               updated_at = now()`,
        [user.id, thread.id, thread.communityId, postNumber],
      );
      const notified = await this.notifier.forNewPost(manager, {
        communityId: thread.communityId,
        communitySlug: context.community.slug,
        threadId: thread.id,
        threadTitle: thread.title,
        postId: post.id,
        postNumber,
        bodyText: body.text,
        authorId: user.id,
        quotedPostId: input.quotePostId ?? null,
      });
      return { post, notified };
    });
    await this.notifications.dispatch(notified);
    const payload = { threadId: thread.id, postId: post.id, postNumber: post.post_number, version: post.version };
    this.events.publish([
      forumEvent('thread', thread.id, 'post.created', payload),
      forumEvent('category', thread.categoryId, 'thread.updated', {
        threadId: thread.id,
        categoryId: thread.categoryId,
        postCount: post.post_number,
      }),
    ]);
    return this.view(user.id, post.id, moderator);
  }

  /** The quoted post must be in the same community and visible to the one quoting it. */
  private async quote(context: CommunityContext, moderator: boolean, quotePostId: string): Promise<string> {
    const [quoted] = (await this.dataSource.query(
      `SELECT p.id, p.body_html, p.hidden_at, p.deleted_at, u.display_name
         FROM forum_posts p LEFT JOIN users u ON u.id = p.author_id
        WHERE p.id = $1 AND p.community_id = $2`,
      [quotePostId, context.community.id],
    )) as Array<{
      id: string;
      body_html: string;
      hidden_at: Date | null;
      deleted_at: Date | null;
      display_name: string | null;
    }>;
    if (!quoted || quoted.deleted_at || (quoted.hidden_at && !moderator)) {
      throw new ForumError(ForumErrorCode.InvalidQuote, 'The quoted post does not exist or cannot be quoted');
    }
    return quoteHtml(quoted.id, quoted.display_name ?? 'Former member', quoted.body_html);
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
    const version = await this.dataSource.transaction(async (manager) => {
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
        `UPDATE forum_posts SET body_source = $2, body_html = $3, body_text = $4, version = version + 1,
                edited_at = $5, updated_at = now() WHERE id = $1`,
        [postId, body.source, html, body.text, now],
      );
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
      return locked.version + 1;
    });
    this.events.publish([
      forumEvent('thread', post.threadId, 'post.updated', {
        threadId: post.threadId,
        postId,
        postNumber: post.postNumber,
        version,
      }),
    ]);
    return this.view(user.id, postId, moderator);
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
        `UPDATE forum_posts SET deleted_at = $2, deleted_by = $3, version = version + 1, updated_at = now()
          WHERE id = $1 AND deleted_at IS NULL RETURNING version`,
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
        `UPDATE forum_posts
              SET reaction_counts = CASE
                    WHEN coalesce((reaction_counts ->> $2)::int, 0) + $3 <= 0 THEN reaction_counts - $2
                    ELSE jsonb_set(reaction_counts, ARRAY[$2], to_jsonb(coalesce((reaction_counts ->> $2)::int, 0) + $3))
                  END
            WHERE id = $1 RETURNING reaction_counts`,
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
