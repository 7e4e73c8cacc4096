import { createHash } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { CommonError, CommonErrorCode, decodeCursor, encodeCursor } from '@cophub/core';
import { AuthUser, CommunityRole } from '@cophub/identity';
import { ForumCache } from '../cache/forum-cache';
import { ReadBatches } from '../cache/read-batches';
import { ReactionKind } from '../db/enums';
import { ForumError, ForumErrorCode } from '../errors/forum.error';
import { ForumPolicy } from '../policies/forum.policy';
import { PostPageView, PostView } from '../contract/forum.views';
import { PostRepository } from '../db/post.repository';
import { ReaderMarks, SharedPost, sharedPostOf, viewOfPost } from '../contract/forum.mappers';

export interface PageRequest {
  limit: number;
  cursor?: string;
  after?: number;
}

/**
 * What a thread page read produced: the page as UTF-8 JSON, a `PostPageView` (null when the caller's
 * `If-None-Match` still holds), and its ETag.
 */
export interface ThreadPageResult {
  etag: string;
  json: Buffer | null;
}

const NO_MARKS: ReaderMarks = { reactions: [], bookmarked: false };

/** A `PostPageView` as the bytes the API sends. */
function pageJson(items: PostView[], nextCursor: string | null): Buffer {
  const page: PostPageView = { items, nextCursor };
  return Buffer.from(JSON.stringify(page), 'utf8');
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

/** What one shared lookup found for a batch of readers of the same page. */
interface PageFacts {
  thread: { version: number; deleted_at: Date | null } | undefined;
  members: Map<string, { status: string; role: CommunityRole }>;
  /** Per reader, their marks on the page's posts in page order (only posts they marked). */
  marks: Map<string, Array<[string, ReactionKind[], boolean]>>;
}

/**
 * Thread pages, served from a cache. The shared part of a page (posts with their HTML, authors, counts)
 * is cached per (thread, version, position); the reader's part (membership and role, their reactions
 * and bookmarks on the page's posts) and the thread's current version come from one small query on every
 * read, shared by the readers of the same page who ask at the same moment (`ReadBatches`: a reader only
 * joins a query sent after it asked). Since every write that changes a page bumps the version in its
 * own transaction, the next read on any instance asks for a key no stale entry can have. The ETag
 * covers the version, the reader and their marks, so a page is only 304 when the bytes would be the same.
 */
@Injectable()
export class ThreadPageService {
  private readonly facts = new ReadBatches<string, PageFacts>((key, readers) => this.lookup(key, readers));

  constructor(
    private readonly posts: PostRepository,
    private readonly policy: ForumPolicy,
    private readonly cache: ForumCache,
  ) {}

  async page(user: AuthUser, threadId: string, request: PageRequest, ifNoneMatch?: string): Promise<ThreadPageResult> {
    const after = this.position(request);
    const limit = request.limit;
    const facts = await this.facts.read(`${threadId}:${after}:${limit}`, user.id);
    const member = facts.members.get(user.id);
    const row: AccessRow | undefined = facts.thread && {
      ...facts.thread,
      status: member?.status ?? null,
      role: member?.role ?? null,
      marks: facts.marks.get(user.id) ?? null,
    };
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
    if (etagMatches(ifNoneMatch, etag)) return { etag, json: null };

    const key = `page:${threadId}:${row.version}:${after}:${limit}`;
    const posts = await this.cache.get(key, () => this.loadPosts(threadId, after, limit + 1));
    const shown = posts.length > limit ? posts.slice(0, limit) : posts;
    const nextCursor = posts.length > limit ? encodeCursor([shown[shown.length - 1].postNumber]) : null;
    // Most readers have nothing of their own on a page (no reactions or bookmarks there, no post they
    // may edit): they all get the same bytes, serialised once per page version and reader kind.
    const ownContent = marks.size > 0 || (!moderator && shown.some((post) => post.authorId === user.id));
    if (!ownContent) {
      const shared = `json:${moderator ? 'moderator' : 'member'}:${key}`;
      let json = this.cache.peek<Buffer>(shared);
      if (json === undefined) {
        json = pageJson(
          shown.map((post) => viewOfPost(post, '', moderator, NO_MARKS)),
          nextCursor,
        );
        this.cache.remember(shared, json);
      }
      return { etag, json };
    }
    const items = shown.map((post) => viewOfPost(post, user.id, moderator, marks.get(post.id) ?? NO_MARKS));
    return { etag, json: pageJson(items, nextCursor) };
  }

  private async lookup(key: string, readers: string[]): Promise<PageFacts> {
    const [threadId, after, limit] = key.split(':');
    const row = await this.posts.pageFacts(threadId, [...new Set(readers)], Number(after), Number(limit));
    const facts: PageFacts = { thread: undefined, members: new Map(), marks: new Map() };
    if (!row) return facts;
    facts.thread = { version: row.version, deleted_at: row.deleted_at };
    for (const [userId, status, role] of row.members ?? []) facts.members.set(userId, { status, role });
    for (const [userId, postId, kinds, bookmarked] of row.marks ?? []) {
      let own = facts.marks.get(userId);
      if (!own) facts.marks.set(userId, (own = []));
      own.push([postId, kinds ?? [], bookmarked]);
    }
    return facts;
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
    const rows = await this.posts.pagePosts(threadId, after, take);
    return rows.map(sharedPostOf);
  }
}
