import { Injectable } from '@nestjs/common';
import { SqlPort } from '@cophub/core';
import { SearchAfter, SearchFilters, SearchKind } from '@cophub/search';

/** Marks ts_headline puts around matches, turned into `<mark>` once the text is escaped. */
export const SEARCH_START = '\u0001';
export const SEARCH_STOP = '\u0002';
const HEADLINE_OPTIONS = `StartSel=${SEARCH_START}, StopSel=${SEARCH_STOP}, MaxWords=30, MinWords=12, MaxFragments=2, FragmentDelimiter=" … "`;

export interface ThreadHitRow {
  id: string;
  title: string;
  last_post_at: Date;
  post_count: number;
  rank: number;
  headline: string;
  slug: string;
}

export interface PostHitRow {
  id: string;
  thread_id: string;
  post_number: number;
  created_at: Date;
  rank: number;
  title: string;
  slug: string;
  headline: string;
}

/** How post candidates are chosen (see `ForumSearchProvider.posts`). */
export interface PostSearchTuning {
  candidates: number;
  headlineChars: number;
  lexemes: string[];
  shares: number[];
  frequentShare: number;
  recentCandidates: number;
  recentScan: number;
}

/**
 * Rows strictly after `after` in the shared order (rank desc, kind, id) for one kind. `rank` is a
 * float4 from ts_rank; the cursor carries its printed value, which casts back to the same float4.
 */
function afterClause(kind: SearchKind, after: SearchAfter | null, rankExpr: string, idExpr: string, next: number) {
  if (!after) return { sql: '', params: [] as unknown[] };
  if (kind < after.kind) return { sql: `AND ${rankExpr} < $${next}::real`, params: [after.rank] };
  if (kind > after.kind) return { sql: `AND ${rankExpr} <= $${next}::real`, params: [after.rank] };
  return {
    sql: `AND (${rankExpr} < $${next}::real OR (${rankExpr} = $${next}::real AND ${idExpr} > $${next + 1}::uuid))`,
    params: [after.rank, after.id],
  };
}

function dateFilter(filters: SearchFilters, column: string, params: unknown[]): string {
  let sql = '';
  if (filters.from) {
    params.push(filters.from);
    sql += ` AND ${column} >= $${params.length}`;
  }
  if (filters.to) {
    params.push(filters.to);
    sql += ` AND ${column} < $${params.length}`;
  }
  return sql;
}

/** The forum's full-text search statements (hand-tuned; see docs/search.md). */
@Injectable()
export class ForumSearchRepository {
  constructor(private readonly sql: SqlPort) {}

  /** The community's live threads whose title matches, ranked, after the keyset. */
  threads(
    communityId: string,
    q: string,
    limit: number,
    filters: SearchFilters,
    after: SearchAfter | null,
  ): Promise<ThreadHitRow[]> {
    const params: unknown[] = [communityId, q, limit];
    const dates = dateFilter(filters, 't.created_at', params);
    const keyset = afterClause('thread', after, 'ts_rank(t.search, query)', 't.id', params.length + 1);
    params.push(...keyset.params);
    return this.sql.rows<ThreadHitRow>(
      `SELECT t.id, t.title, t.last_post_at, t.post_count, ts_rank(t.search, query) AS rank,
              ts_headline('english', t.title, query, '${HEADLINE_OPTIONS}') AS headline, c.slug
         FROM forum_threads t, websearch_to_tsquery('english', $2) query, communities c
        WHERE t.community_id = $1 AND c.id = t.community_id AND t.deleted_at IS NULL AND t.search @@ query
              ${dates} ${keyset.sql}
        ORDER BY rank DESC, t.id ASC LIMIT $3`,
      params,
    );
  }

  /** Lexemes in at least `minShare` of posts, from the planner's statistics. */
  frequentWords(minShare: number): Promise<Array<{ lexeme: string; share: number }>> {
    return this.sql.rows<{ lexeme: string; share: number }>(
      `SELECT w.lexeme, w.share
         FROM pg_stats s, unnest(s.most_common_elems::text::text[], s.most_common_elem_freqs) w(lexeme, share)
        WHERE s.schemaname = current_schema() AND s.tablename = 'forum_posts' AND s.attname = 'search'
              AND w.lexeme IS NOT NULL AND w.share >= $1`,
      [minShare],
    );
  }

  /** The community's visible posts that match, ranked, after the keyset, with headlines. */
  posts(
    communityId: string,
    q: string,
    limit: number,
    filters: SearchFilters,
    after: SearchAfter | null,
    tuning: PostSearchTuning,
  ): Promise<PostHitRow[]> {
    const params: unknown[] = [
      communityId,
      q,
      limit,
      tuning.candidates,
      tuning.headlineChars,
      tuning.lexemes,
      tuning.shares,
      tuning.frequentShare,
      tuning.recentCandidates,
      tuning.recentScan,
    ];
    const dates = dateFilter(filters, 'p.created_at', params);
    const keyset = afterClause('post', after, 'c.rank', 'c.id', params.length + 1);
    params.push(...keyset.params);
    // Written out each time rather than in a CTE, so that the planner folds it into a constant.
    const query = `websearch_to_tsquery('english', $2)`;
    return this.sql.rows<PostHitRow>(
      `WITH share AS (
              -- The share of posts holding the query's positive words if all are frequent words (taken
              -- as independent: the product of their shares); 0 for an OR, or when nothing is known.
              SELECT CASE WHEN w.tree ~ '[|]' OR w.tree !~ '''' THEN 0::float8
                          ELSE (SELECT exp(sum(ln(coalesce(f.share, 1e-9))))
                                  FROM regexp_matches(w.tree, '''((?:[^'']|'''')+)''', 'g') m(lexeme)
                                  LEFT JOIN unnest($6::text[], $7::float8[]) f(lexeme, share)
                                         ON f.lexeme = replace(m.lexeme[1], '''''', ''''))
                     END AS share
                FROM (SELECT querytree(${query}) AS tree) w),
            candidates AS (
              (SELECT n.id, n.thread_id, n.search
                 FROM (SELECT p.id, p.thread_id, p.search
                         FROM forum_posts p
                        WHERE (SELECT share FROM share) >= $8
                              AND p.community_id = $1 AND p.hidden_at IS NULL AND p.deleted_at IS NULL ${dates}
                        ORDER BY p.created_at DESC LIMIT $10) n
                WHERE n.search @@ ${query}
                LIMIT $9)
              UNION ALL
              (SELECT l.id, l.thread_id, l.search
                 FROM (SELECT p.id, p.thread_id, p.search
                         FROM forum_posts p
                        WHERE (SELECT share FROM share) < $8
                              AND p.community_id = $1
                              AND p.search @@ (CASE WHEN querytree(${query}) = 'T' THEN ${query}
                                               ELSE regexp_replace(querytree(${query}), '<(-|[0-9]+)>', '&', 'g')::tsquery END)
                              AND p.hidden_at IS NULL AND p.deleted_at IS NULL ${dates}
                        LIMIT $4) l
                WHERE l.search @@ ${query})),
            ranked AS (
              SELECT c.id, c.thread_id, ts_rank(c.search, ${query}) AS rank FROM candidates c),
            ordered AS MATERIALIZED (
              SELECT c.* FROM ranked c WHERE true ${keyset.sql} ORDER BY c.rank DESC, c.id ASC),
            hit AS (
              SELECT o.id, o.thread_id, o.rank, t.title
                FROM ordered o JOIN forum_threads t ON t.id = o.thread_id AND t.deleted_at IS NULL
               LIMIT $3)
       SELECT hit.id, hit.thread_id, p.post_number, p.created_at, hit.rank, hit.title, cm.slug,
              ts_headline('english', left(p.body_text, $5), ${query}, '${HEADLINE_OPTIONS}') AS headline
         FROM hit
         JOIN forum_posts p ON p.id = hit.id
         JOIN communities cm ON cm.id = $1
        ORDER BY hit.rank DESC, hit.id ASC`,
      params,
    );
  }
}
