import { createHash } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { CommonError, CommonErrorCode, decodeCursor, encodeCursor } from '@cophub/core';
import { AuthUser, CommunityRole } from '@cophub/identity';
import { DataSource } from 'typeorm';
import { ForumCache } from '../cache/forum-cache';
import { ReactionKind } from '../entities/enums';
import { ForumError, ForumErrorCode } from '../errors/forum.error';
import { ForumPolicy } from '../policies/forum.policy';
import { PostPageView, PostView } from '../views';
import { linkMentions, MentionRef } from './mentions';
import { MENTIONS_OF } from './sql';

/** A post as every reader of its thread page shares it (before redaction and the reader's own marks). */
export interface SharedPost {
  id: string;
  threadId: string;
  postNumber: number;
  authorId: string | null;
  authorName: string | null;
  html: string;
  source: string;
  quotedPostId: string | null;
  version: number;
  reactions: Record<string, number>;
  editedAt: string | null;
  hiddenAt: string | null;
  hiddenReason: string | null;
  deletedAt: string | null;
  createdAt: string;
}

/** The reader's own marks on one post of the page: their reactions and whether they bookmarked it. */
export interface ReaderMarks {
  reactions: ReactionKind[];
  bookmarked: boolean;
}

export interface PageRequest {
  limit: number;
  cursor?: string;
  after?: number;
}

/** What a thread page read produced: the page (null when the caller's `If-None-Match` still holds) and its ETag. */
export interface ThreadPageResult {
  etag: string;
  page: PostPageView | null;
}

const NO_MARKS: ReaderMarks = { reactions: [], bookmarked: false };

/** What a reader sees: hidden and deleted posts keep their place but not their content, except for moderators. */
export function viewOfPost(post: SharedPost, viewerId: string, moderator: boolean, marks: ReaderMarks): PostView {
  const redacted = !moderator && (post.hiddenAt !== null || post.deletedAt !== null);
  const mayEdit = moderator || (post.authorId === viewerId && post.deletedAt === null);
  return {
    id: post.id,
    threadId: post.threadId,
    postNumber: post.postNumber,
    author: { id: post.authorId, displayName: post.authorName ?? 'Former member' },
    html: redacted ? null : post.html,
    source: !redacted && mayEdit ? post.source : null,
    quotedPostId: post.quotedPostId,
    version: post.version,
    reactions: post.reactions,
    myReactions: marks.reactions,
    bookmarked: marks.bookmarked,
    hidden: post.hiddenAt !== null,
    hiddenReason: post.hiddenAt && moderator ? post.hiddenReason : null,
    deleted: post.deletedAt !== null,
    editedAt: post.editedAt,
    createdAt: post.createdAt,
  };
}

/** `If-None-Match` may list several tags, weak or strong, or `*`. */
export function etagMatches(ifNoneMatch: string | undefined, etag: string): boolean {
  if (!ifNoneMatch) return false;
  const bare = (tag: string) => tag.trim().replace(/^W\//, '');
  const wanted = bare(etag);
  return ifNoneMatch.split(',').some((tag) => tag.trim() === '*' || bare(tag) === wanted);
}

interface AccessRow {
  version: number;
  deleted_at: Date | null;
  status: string | null;
  role: CommunityRole | null;
  marks: Array<[string, ReactionKind[], boolean]> | null;
}

/**
 * Thread pages, served from a cache. The shared part of a page (posts with their HTML, authors, counts)
 * is cached per (thread, version, position); the reader's part (membership and role, their reactions
 * and bookmarks on the page's posts) and the thread's current version come from one small query on every
 * read. Since every write that changes a page bumps the version in its own transaction, the next read on
 * any instance asks for a key no stale entry can have. The ETag covers the version, the reader and their
 * marks, so a page is only 304 when the bytes would be the same.
 */
@Injectable()
export class ThreadPageService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly policy: ForumPolicy,
    private readonly cache: ForumCache,
  ) {}

  async page(user: AuthUser, threadId: string, request: PageRequest, ifNoneMatch?: string): Promise<ThreadPageResult> {
    const after = this.position(request);
    const limit = request.limit;
    const [row] = (await this.dataSource.query(
      `SELECT t.version, t.deleted_at, m.status, m.role,
              (SELECT json_agg(json_build_array(x.id, x.kinds, x.bookmarked))
                 FROM (SELECT p.id,
                              ARRAY(SELECT r.kind FROM forum_reactions r
                                     WHERE r.post_id = p.id AND r.user_id = $2 ORDER BY r.kind) AS kinds,
                              EXISTS (SELECT 1 FROM forum_bookmarks b WHERE b.user_id = $2 AND b.post_id = p.id) AS bookmarked
                         FROM forum_posts p
                        WHERE p.thread_id = t.id AND p.post_number > $3
                        ORDER BY p.post_number LIMIT $4) x
                WHERE cardinality(x.kinds) > 0 OR x.bookmarked) AS marks
         FROM forum_threads t
         LEFT JOIN memberships m ON m.community_id = t.community_id AND m.user_id = $2
        WHERE t.id = $1`,
      [threadId, user.id, after, limit],
    )) as AccessRow[];
    let moderator: boolean;
    if (row && !user.isAdmin && row.status === 'approved' && row.role) {
      moderator = ForumPolicy.isModerator({ role: row.role });
      if (row.deleted_at && !moderator) ({ moderator } = await this.policy.thread(user, threadId));
    } else {
      // Not plainly an approved member (unknown thread, pending, suspended, admin…): the full check
      // gives the exact answer or error.
      ({ moderator } = await this.policy.thread(user, threadId));
    }
    if (!row) throw new ForumError(ForumErrorCode.ThreadNotFound, 'Thread not found');

    const marks = new Map((row.marks ?? []).map(([id, reactions, bookmarked]) => [id, { reactions, bookmarked }]));
    const etag = `W/"${createHash('sha1')
      .update(`${threadId}|${row.version}|${after}|${limit}|${user.id}|${moderator}|${JSON.stringify(row.marks)}`)
      .digest('base64url')}"`;
    if (etagMatches(ifNoneMatch, etag)) return { etag, page: null };

    const posts = await this.cache.get(`page:${threadId}:${row.version}:${after}:${limit}`, () =>
      this.loadPosts(threadId, after, limit + 1),
    );
    const more = posts.length > limit;
    const items = (more ? posts.slice(0, limit) : posts).map((post) =>
      viewOfPost(post, user.id, moderator, marks.get(post.id) ?? NO_MARKS),
    );
    return { etag, page: { items, nextCursor: more ? encodeCursor([items[items.length - 1].postNumber]) : null } };
  }

  /** `after` (a post number) is both "jump to first unread" and the reconnect catch-up; `cursor` the keyset cursor. */
  private position(request: PageRequest): number {
    if (!request.cursor) return request.after ?? 0;
    const [n] = decodeCursor(request.cursor, ['number']);
    if (!Number.isInteger(n) || (n as number) < 0) {
      throw new CommonError(CommonErrorCode.BadRequest, 'cursor is not valid for this list');
    }
    return n as number;
  }

  private async loadPosts(threadId: string, after: number, take: number): Promise<SharedPost[]> {
    const rows = (await this.dataSource.query(
      `SELECT p.id, p.thread_id, p.post_number, p.author_id, u.display_name AS author_name, p.body_html, p.body_source,
              p.quoted_post_id, p.version, p.reaction_counts, p.edited_at, p.hidden_at, p.hidden_reason, p.deleted_at,
              p.created_at, ${MENTIONS_OF('p')}
         FROM forum_posts p LEFT JOIN users u ON u.id = p.author_id
        WHERE p.thread_id = $1 AND p.post_number > $2
        ORDER BY p.post_number LIMIT $3`,
      [threadId, after, take],
    )) as PostRow[];
    return rows.map(sharedPostOf);
  }
}

export interface PostRow {
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
  /** Resolved mentions, shown as links with the member's current handle. */
  mentions?: MentionRef[] | null;
}

export function sharedPostOf(r: PostRow): SharedPost {
  return {
    id: r.id,
    threadId: r.thread_id,
    postNumber: r.post_number,
    authorId: r.author_id,
    authorName: r.author_name,
    html: linkMentions(r.body_html, r.mentions),
    source: r.body_source,
    quotedPostId: r.quoted_post_id,
    version: r.version,
    reactions: r.reaction_counts,
    editedAt: r.edited_at?.toISOString() ?? null,
    hiddenAt: r.hidden_at?.toISOString() ?? null,
    hiddenReason: r.hidden_reason,
    deletedAt: r.deleted_at?.toISOString() ?? null,
    createdAt: r.created_at.toISOString(),
  };
}
