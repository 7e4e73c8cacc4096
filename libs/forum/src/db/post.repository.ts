import { Injectable } from '@nestjs/common';
import { CamelRow, Columns, Queryable, Row, Sql, SqlPort } from '@cophub/core';
import { CommunityRole } from '@cophub/identity';
import { MentionRef } from '../domain/mentions';
import { ReactionKind } from './enums';
import { BUMP_THREAD_OF_POST, MENTIONED, MENTIONS_OF } from './forum.sql';
import {
  FactsRow,
  MEMBER_REPLY,
  PAGE_FACTS_SQL,
  POST_SELECT,
  REPLY,
  REPLY_TARGET,
  ReplyRow,
  ReplyTargetRow,
} from './post.statements';

/** A post as its thread page shows it, with its resolved mentions. */
export type PostRow = Columns<
  'forum_posts',
  | 'id'
  | 'thread_id'
  | 'post_number'
  | 'author_id'
  | 'body_html'
  | 'body_source'
  | 'quoted_post_id'
  | 'version'
  | 'edited_at'
  | 'hidden_at'
  | 'hidden_reason'
  | 'deleted_at'
  | 'created_at'
> & {
  /** The author's display name (null once the author is gone). */
  author_name: Row<'users'>['display_name'] | null;
  reaction_counts: Record<string, number>;
  /** Resolved mentions, shown as links with the member's current handle. */
  mentions?: MentionRef[] | null;
};

/** A post row with the reader's own marks on it. */
export interface ReaderPostRow extends PostRow {
  my_reactions: ReactionKind[];
  bookmarked: boolean;
}

/** A post row as the policy and the services check it. */
export type PostRecord = Omit<CamelRow<'forum_posts'>, 'search' | 'reactionCounts'> & {
  reactionCounts: Record<string, number>;
};

export type RevisionRow = Columns<
  'forum_post_revisions',
  'version' | 'body_html' | 'body_source' | 'edited_by' | 'created_at'
>;

export type BookmarkRow = Columns<'forum_bookmarks', 'post_id' | 'created_at'> &
  Columns<'forum_posts', 'thread_id' | 'post_number'> &
  Columns<'forum_threads', 'title'> & { excerpt: string };

/** The body a reply writes. */
export interface ReplyBody {
  source: string;
  html: string;
  text: string;
  handles: string[];
}

const POST_RECORD = `id, community_id AS "communityId", thread_id AS "threadId", post_number AS "postNumber",
  author_id AS "authorId", body_source AS "bodySource", body_html AS "bodyHtml", body_text AS "bodyText",
  quoted_post_id AS "quotedPostId", version, reaction_counts AS "reactionCounts", edited_at AS "editedAt",
  hidden_at AS "hiddenAt", hidden_by AS "hiddenBy", hidden_reason AS "hiddenReason", deleted_at AS "deletedAt",
  deleted_by AS "deletedBy", created_at AS "createdAt", updated_at AS "updatedAt"`;

/** Every statement on `forum_posts`, their revisions, mentions, reactions and bookmarks. */
@Injectable()
export class PostRepository {
  constructor(private readonly sql: SqlPort) {}

  /** A post by id, in any community (item routes find the community from it). */
  find(postId: string): Promise<PostRecord | null> {
    return this.sql.maybeOne<PostRecord>(`SELECT ${POST_RECORD} FROM forum_posts WHERE id = $1`, [postId]);
  }

  /** The post with the reader's reactions and bookmark. */
  view(userId: string, postId: string, db: Sql = this.sql): Promise<ReaderPostRow | null> {
    return db.maybeOne<ReaderPostRow>(`${POST_SELECT} WHERE p.id = $2`, [userId, postId]);
  }

  /** An approved member's unquoted reply, checks included (`MEMBER_REPLY`); null when it does not apply. */
  async memberReply(
    db: Queryable,
    threadId: string,
    userId: string,
    now: Date,
    body: ReplyBody,
  ): Promise<(ReplyRow & { category_id: string; role: CommunityRole }) | null> {
    const [row] = await Sql.over(db).rows<ReplyRow & { category_id: string; role: CommunityRole }>(MEMBER_REPLY, [
      threadId,
      userId,
      now,
      body.source,
      body.html,
      body.text,
      body.handles,
    ]);
    return row ?? null;
  }

  /** The reply once checked (`REPLY`); null when the thread was locked or deleted meanwhile. */
  async reply(
    db: Queryable,
    reply: { threadId: string; userId: string; quotePostId: string | null; moderator: boolean; now: Date },
    body: ReplyBody,
  ): Promise<ReplyRow | null> {
    const [row] = await Sql.over(db).rows<ReplyRow>(REPLY, [
      reply.threadId,
      reply.userId,
      reply.quotePostId,
      reply.moderator,
      reply.now,
      body.source,
      body.html,
      body.text,
      body.handles,
    ]);
    return row ?? null;
  }

  /** The thread, its category, the caller's membership and the quoted post, in one read. */
  async replyTarget(threadId: string, userId: string, quotePostId: string | null): Promise<ReplyTargetRow | null> {
    const [row] = await this.sql.rows<ReplyTargetRow>(REPLY_TARGET, [threadId, userId, quotePostId]);
    return row ?? null;
  }

  /** The post's current body and version, locked for an edit. */
  lockForEdit(
    tx: Sql,
    communityId: string,
    postId: string,
  ): Promise<{ version: number; body_source: string; body_html: string; deleted_at: Date | null }> {
    return tx.one<{ version: number; body_source: string; body_html: string; deleted_at: Date | null }>(
      'SELECT version, body_source, body_html, deleted_at FROM forum_posts WHERE id = $1 AND community_id = $2 FOR UPDATE',
      [postId, communityId],
    );
  }

  async insertRevision(
    tx: Sql,
    revision: {
      communityId: string;
      postId: string;
      version: number;
      source: string;
      html: string;
      editedBy: string;
      at: Date;
    },
  ): Promise<void> {
    await tx.exec(
      `INSERT INTO forum_post_revisions (community_id, post_id, version, body_source, body_html, edited_by, created_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7)`,
      [
        revision.communityId,
        revision.postId,
        revision.version,
        revision.source,
        revision.html,
        revision.editedBy,
        revision.at,
      ],
    );
  }

  /** The edited body, as the post's next version; the thread's version is bumped in the same statement. */
  async updateBody(
    tx: Sql,
    communityId: string,
    postId: string,
    body: { source: string; html: string; text: string },
    at: Date,
  ): Promise<void> {
    await tx.exec(
      `WITH edited AS (
         UPDATE forum_posts SET body_source = $2, body_html = $3, body_text = $4, version = version + 1,
                edited_at = $5, updated_at = now() WHERE id = $1 AND community_id = $6 RETURNING thread_id)
       ${BUMP_THREAD_OF_POST('edited')}`,
      [postId, body.source, body.html, body.text, at, communityId],
    );
  }

  /** Replaces the post's mentions by the handles given; answers who was mentioned before and who is now. */
  async replaceMentions(
    tx: Sql,
    communityId: string,
    postId: string,
    handles: string[],
  ): Promise<{ before: string[]; after: string[] }> {
    const before = await tx.rows<{ user_id: string }>(
      'DELETE FROM forum_post_mentions WHERE post_id = $1 AND community_id = $2 RETURNING user_id',
      [postId, communityId],
    );
    const after = await tx.rows<{ user_id: string }>(
      `WITH p AS (SELECT id, thread_id, community_id FROM forum_posts WHERE id = $1 AND community_id = $3), ${MENTIONED('p', '$2')}
       SELECT DISTINCT user_id FROM mentioned`,
      [postId, handles, communityId],
    );
    return { before: before.map((r) => r.user_id), after: after.map((r) => r.user_id) };
  }

  /** Whether the post's own fan-out is still to run. */
  async fanoutPending(tx: Sql, postId: string): Promise<boolean> {
    return (await tx.rows('SELECT 1 FROM forum_post_fanouts WHERE post_id = $1', [postId])).length > 0;
  }

  revisions(communityId: string, postId: string): Promise<RevisionRow[]> {
    return this.sql.rows<RevisionRow>(
      `SELECT version, body_html, body_source, edited_by, created_at FROM forum_post_revisions
        WHERE post_id = $1 AND community_id = $2 ORDER BY version DESC`,
      [postId, communityId],
    );
  }

  /** Soft-deletes the post (bumping its thread's version); answers the new version, or null if it already was. */
  async softDelete(tx: Sql, communityId: string, postId: string, at: Date, by: string): Promise<number | null> {
    const row = await tx.maybeOne<{ version: number }>(
      `WITH deleted AS (
           UPDATE forum_posts SET deleted_at = $2, deleted_by = $3, version = version + 1, updated_at = now()
            WHERE id = $1 AND deleted_at IS NULL AND community_id = $4 RETURNING thread_id, version),
         bumped AS (${BUMP_THREAD_OF_POST('deleted')})
         SELECT version FROM deleted`,
      [postId, at, by, communityId],
    );
    return row?.version ?? null;
  }

  /** Records the reaction; false when it was already there. */
  async addReaction(
    tx: Sql,
    communityId: string,
    postId: string,
    userId: string,
    kind: ReactionKind,
  ): Promise<boolean> {
    const rows = await tx.rows(
      `INSERT INTO forum_reactions (post_id, user_id, kind, community_id) VALUES ($1, $2, $3, $4)
       ON CONFLICT DO NOTHING RETURNING kind`,
      [postId, userId, kind, communityId],
    );
    return rows.length > 0;
  }

  /** Removes the reaction; false when there was none. */
  async removeReaction(
    tx: Sql,
    communityId: string,
    postId: string,
    userId: string,
    kind: ReactionKind,
  ): Promise<boolean> {
    const rows = await tx.rows(
      'DELETE FROM forum_reactions WHERE post_id = $1 AND user_id = $2 AND kind = $3 AND community_id = $4 RETURNING kind',
      [postId, userId, kind, communityId],
    );
    return rows.length > 0;
  }

  /** Moves the post's count of `kind` by `delta` (bumping its thread's version); answers the counts. */
  async countReaction(
    tx: Sql,
    communityId: string,
    postId: string,
    kind: ReactionKind,
    delta: number,
  ): Promise<Record<string, number>> {
    const row = await tx.one<{ reaction_counts: Record<string, number> }>(
      `WITH counted AS (
           UPDATE forum_posts
              SET reaction_counts = CASE
                    WHEN coalesce((reaction_counts ->> $2)::int, 0) + $3 <= 0 THEN reaction_counts - $2
                    ELSE jsonb_set(reaction_counts, ARRAY[$2], to_jsonb(coalesce((reaction_counts ->> $2)::int, 0) + $3))
                  END
            WHERE id = $1 AND community_id = $4 RETURNING thread_id, reaction_counts),
         bumped AS (${BUMP_THREAD_OF_POST('counted')})
         SELECT reaction_counts FROM counted`,
      [postId, kind, delta, communityId],
    );
    return row.reaction_counts;
  }

  async bookmark(communityId: string, userId: string, postId: string, at: Date): Promise<void> {
    await this.sql.exec(
      `INSERT INTO forum_bookmarks (user_id, post_id, community_id, created_at) VALUES ($1, $2, $3, $4)
       ON CONFLICT DO NOTHING`,
      [userId, postId, communityId, at],
    );
  }

  async unbookmark(communityId: string, userId: string, postId: string): Promise<void> {
    await this.sql.exec('DELETE FROM forum_bookmarks WHERE user_id = $1 AND post_id = $2 AND community_id = $3', [
      userId,
      postId,
      communityId,
    ]);
  }

  /** The reader's bookmarks in the community, newest first, keyset over (created_at, post_id); one more than asked. */
  bookmarks(
    communityId: string,
    userId: string,
    limit: number,
    before?: { at: unknown; postId: unknown },
  ): Promise<BookmarkRow[]> {
    const params: unknown[] = [userId, communityId, limit + 1];
    let where = '';
    if (before) {
      params.push(before.at, before.postId);
      where = 'AND (b.created_at, b.post_id) < ($4, $5)';
    }
    return this.sql.rows<BookmarkRow>(
      `SELECT b.post_id, b.created_at, p.thread_id, p.post_number, t.title,
              CASE WHEN p.hidden_at IS NULL AND p.deleted_at IS NULL THEN left(p.body_text, 200) ELSE '' END AS excerpt
         FROM forum_bookmarks b
         JOIN forum_posts p ON p.id = b.post_id
         JOIN forum_threads t ON t.id = p.thread_id
        WHERE b.user_id = $1 AND b.community_id = $2 ${where}
        ORDER BY b.created_at DESC, b.post_id DESC LIMIT $3`,
      params,
    );
  }

  /** A thread page's version, and the readers' memberships and marks on its posts (`PAGE_FACTS_SQL`). */
  async pageFacts(threadId: string, readers: string[], after: number, limit: number): Promise<FactsRow | null> {
    const [row] = await this.sql.rows<FactsRow>(PAGE_FACTS_SQL, [threadId, readers, after, limit]);
    return row ?? null;
  }

  /** A thread page's posts as every reader shares them. */
  pagePosts(threadId: string, after: number, take: number): Promise<PostRow[]> {
    return this.sql.rows<PostRow>(
      `SELECT p.id, p.thread_id, p.post_number, p.author_id, u.display_name AS author_name, p.body_html, p.body_source,
              p.quoted_post_id, p.version, p.reaction_counts, p.edited_at, p.hidden_at, p.hidden_reason, p.deleted_at,
              p.created_at, ${MENTIONS_OF('p')}
         FROM forum_posts p LEFT JOIN users u ON u.id = p.author_id
        WHERE p.thread_id = $1 AND p.post_number > $2
        ORDER BY p.post_number LIMIT $3`,
      [threadId, after, take],
    );
  }
}
