import { namedStatement } from '@cophub/core';
import { CommunityRole } from '@cophub/identity';
import { ReactionKind } from './enums';
import { MentionRef } from '../domain/mentions';
import { CategoryPostPolicy } from './enums';
import { MENTIONED, MENTIONS_OF } from './forum.sql';

/**
 * The forum's hand-tuned post statements: the reader's view of a post and the one-statement reply
 * (hot paths, benchmarked; the named ones are kept prepared per connection).
 */

export const POST_SELECT = `SELECT p.id, p.thread_id, p.post_number, p.author_id, u.display_name AS author_name,
    p.body_html, p.body_source, p.quoted_post_id, p.version, p.reaction_counts, p.edited_at,
    p.hidden_at, p.hidden_reason, p.deleted_at, p.created_at,
    ARRAY(SELECT r.kind FROM forum_reactions r WHERE r.post_id = p.id AND r.user_id = $1 ORDER BY r.kind) AS my_reactions,
    EXISTS (SELECT 1 FROM forum_bookmarks b WHERE b.user_id = $1 AND b.post_id = p.id) AS bookmarked,
    ${MENTIONS_OF('p')}
  FROM forum_posts p LEFT JOIN users u ON u.id = p.author_id`;

/** Everything a reply needs to know before writing, read in one round trip (see `replyTarget`). */
export interface ReplyTargetRow {
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
export const REPLY_TARGET = namedStatement(
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
export const REPLY = namedStatement(
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
export const MEMBER_REPLY = namedStatement(
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
export interface ReplyRow {
  id: string;
  thread_id: string;
  post_number: number;
  version: number;
  reaction_counts: Record<string, number>;
  created_at: Date;
  author_name: string | null;
  mentions: MentionRef[] | null;
}

/** What `PAGE_FACTS_SQL` answers. */
export interface FactsRow {
  version: number;
  deleted_at: Date | null;
  members: Array<[string, string, CommunityRole]> | null;
  marks: Array<[string, string, ReactionKind[] | null, boolean]> | null;
}

/**
 * The thread's version and, for every reader in the batch, their membership and their reactions
 * and bookmarks on the page's posts (the position is part of the batch key: `thread:after:limit`).
 */
export const PAGE_FACTS_SQL = `
  WITH page AS (
    SELECT p.id, p.post_number FROM forum_posts p
     WHERE p.thread_id = $1 AND p.post_number > $3
     ORDER BY p.post_number LIMIT $4
  )
  SELECT t.version, t.deleted_at,
         (SELECT json_agg(json_build_array(m.user_id, m.status, m.role))
            FROM memberships m
           WHERE m.community_id = t.community_id AND m.user_id = ANY($2::uuid[])) AS members,
         (SELECT json_agg(json_build_array(coalesce(r.user_id, b.user_id), page.id, r.kinds, b.user_id IS NOT NULL)
                          ORDER BY page.post_number)
            FROM (SELECT post_id, user_id, array_agg(kind ORDER BY kind) AS kinds
                    FROM forum_reactions
                   WHERE post_id IN (SELECT id FROM page) AND user_id = ANY($2::uuid[])
                   GROUP BY post_id, user_id) r
            FULL JOIN (SELECT post_id, user_id FROM forum_bookmarks
                        WHERE post_id IN (SELECT id FROM page) AND user_id = ANY($2::uuid[])) b
              ON b.post_id = r.post_id AND b.user_id = r.user_id
            JOIN page ON page.id = coalesce(r.post_id, b.post_id)) AS marks
    FROM forum_threads t
   WHERE t.id = $1`;
