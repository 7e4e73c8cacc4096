import { Injectable } from '@nestjs/common';
import { Clock, decodeCursor, encodeCursor, SqlPort } from '@cophub/core';
import { AuthUser, CommunityContext } from '@cophub/identity';
import { BookmarkPageView, ReactionsView } from '../contract/forum.views';
import { ReactionKind } from '../db/enums';
import { PostRepository } from '../db/post.repository';
import { ForumError, ForumErrorCode } from '../errors/forum.error';
import { ForumPolicy, PostAccess } from '../policies/forum.policy';
import { ForumEvents, forumEvent } from './forum-events';

/** A member's own marks on posts: reactions (counted on the post) and bookmarks. */
@Injectable()
export class PostMarksService {
  constructor(
    private readonly sql: SqlPort,
    private readonly posts: PostRepository,
    private readonly policy: ForumPolicy,
    private readonly clock: Clock,
    private readonly events: ForumEvents,
  ) {}

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
    const counts = await this.sql.transaction(async (tx) => {
      const changed = on
        ? await this.posts.addReaction(tx, post.communityId, postId, user.id, kind)
        : await this.posts.removeReaction(tx, post.communityId, postId, user.id, kind);
      if (!changed) return null;
      return this.posts.countReaction(tx, post.communityId, postId, kind, delta);
    });
    if (counts) {
      this.events.publish([
        forumEvent('thread', post.threadId, 'reaction.updated', { threadId: post.threadId, postId, reactions: counts }),
      ]);
    }
    const row = await this.posts.view(user.id, postId);
    if (!row) throw new ForumError(ForumErrorCode.PostNotFound, 'Post not found');
    return { postId, reactions: row.reaction_counts, myReactions: row.my_reactions };
  }

  async bookmark(user: AuthUser, postId: string, on: boolean): Promise<void> {
    const { post } = await this.policy.post(user, postId);
    if (on) await this.posts.bookmark(post.communityId, user.id, postId, this.clock.now());
    else await this.posts.unbookmark(post.communityId, user.id, postId);
  }

  async bookmarks(context: CommunityContext, limit: number, cursor?: string): Promise<BookmarkPageView> {
    let before: { at: unknown; postId: unknown } | undefined;
    if (cursor) {
      const [at, id] = decodeCursor(cursor, ['date', 'uuid']);
      before = { at, postId: id };
    }
    const rows = await this.posts.bookmarks(context.community.id, context.userId, limit, before);
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
