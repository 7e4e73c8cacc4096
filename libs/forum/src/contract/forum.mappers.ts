import { linkMentions } from '../domain/mentions';
import { SubscriptionLevel, ReactionKind } from '../db/enums';
import { PostRow } from '../db/post.repository';
import { ThreadRow } from '../db/thread.repository';
import { PostView, ThreadView } from './forum.views';

/** Rows to views: the shared parts (cached per item and version) and each reader's own marks on them. */

/** A thread as every member sees it in lists (cached per thread and version). */
export interface SharedThread {
  id: string;
  communityId: string;
  categoryId: string;
  title: string;
  authorId: string | null;
  authorName: string | null;
  pinned: boolean;
  locked: boolean;
  postCount: number;
  lastPostAt: string;
  createdAt: string;
  deleted: boolean;
}

export function sharedThreadOf(row: Omit<ThreadRow, 'last_read_post_number' | 'subscription'>): SharedThread {
  return {
    id: row.id,
    communityId: row.community_id,
    categoryId: row.category_id,
    title: row.title,
    authorId: row.author_id,
    authorName: row.author_name,
    pinned: row.pinned,
    locked: row.locked,
    postCount: row.post_count,
    lastPostAt: row.last_post_at.toISOString(),
    createdAt: row.created_at.toISOString(),
    deleted: row.deleted_at !== null,
  };
}

/** The shared summary plus the reader's own read position and subscription. */
export function threadViewOf(
  thread: SharedThread,
  lastReadPostNumber: number | null,
  subscription: SubscriptionLevel | null,
): ThreadView {
  const lastRead = Number(lastReadPostNumber ?? 0);
  const unread = Math.max(thread.postCount - lastRead, 0);
  return {
    id: thread.id,
    communityId: thread.communityId,
    categoryId: thread.categoryId,
    title: thread.title,
    author: { id: thread.authorId, displayName: thread.authorName ?? 'Former member' },
    pinned: thread.pinned,
    locked: thread.locked,
    postCount: thread.postCount,
    lastPostAt: thread.lastPostAt,
    createdAt: thread.createdAt,
    lastReadPostNumber: lastRead,
    unreadCount: unread,
    firstUnreadPostNumber: unread > 0 ? lastRead + 1 : null,
    subscription,
    ...(thread.deleted ? { deleted: true } : {}),
  };
}

export function toThreadView(row: ThreadRow): ThreadView {
  return threadViewOf(sharedThreadOf(row), row.last_read_post_number, row.subscription);
}

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
