import { Injectable, OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import {
  SearchAfter,
  SearchFilters,
  SearchHit,
  SearchKind,
  SearchProvider,
  SearchProviders,
  SearchScope,
} from '@cophub/search';
import { DataSource } from 'typeorm';

// ts_headline marks matches with these control characters; the text is HTML-escaped afterwards and
// only then are they turned into <mark>, so nothing from a post can become markup.
const START = '\u0001';
const STOP = '\u0002';
/**
 * Posts ranked for one search when they come from the GIN index (a rare or moderately common query):
 * the first this many matches the index yields.
 */
export const POST_CANDIDATES = 200;
/**
 * A query whose words are in at least this share of posts (from the planner's statistics) takes its
 * candidates from the newest posts instead: building the index's bitmap costs about a microsecond per
 * matching post (20 ms for a word in 9% of 200,000 posts), while walking the newest posts to find
 * RECENT_CANDIDATES matches reads about RECENT_CANDIDATES / share rows.
 */
export const FREQUENT_SHARE = 0.02;
/** Posts ranked for a frequent query: the newest matches. */
export const RECENT_CANDIDATES = 100;
/** At most this many of the newest posts are read to find them (a phrase of frequent words is rarer than its words). */
export const RECENT_SCAN = Math.ceil(RECENT_CANDIDATES / FREQUENT_SHARE);
/** The word statistics are re-read from pg_stats this often (ANALYZE, not writes, changes them). */
export const WORD_STATS_TTL_MS = 10 * 60_000;
/** Snippets are made from at most this much of a post (posts may be 20,000 characters). */
export const HEADLINE_EXCERPT_CHARS = 2_000;
const HEADLINE_OPTIONS = `StartSel=${START}, StopSel=${STOP}, MaxWords=30, MinWords=12, MaxFragments=2, FragmentDelimiter=" … "`;

export function toSnippet(headline: string): string {
  return headline
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;')
    .split(START)
    .join('<mark>')
    .split(STOP)
    .join('</mark>');
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

interface WordShares {
  lexemes: string[];
  shares: number[];
  readAt: number;
}

/**
 * Forum threads (by title) and posts (by body) for the unified search. Only the searcher's community;
 * deleted threads and hidden or deleted posts never appear, for anyone.
 */
@Injectable()
export class ForumSearchProvider implements SearchProvider, OnModuleInit {
  readonly kinds: SearchKind[] = ['thread', 'post'];
  private words: WordShares | null = null;
  private wordsLoading: Promise<WordShares> | null = null;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly registry: SearchProviders,
  ) {}

  onModuleInit(): void {
    this.registry.register(this);
  }

  async search(
    scope: SearchScope,
    filters: SearchFilters,
    after: SearchAfter | null,
    limit: number,
  ): Promise<SearchHit[]> {
    const wanted = filters.kinds?.length ? this.kinds.filter((k) => filters.kinds!.includes(k)) : this.kinds;
    const q = filters.q.trim();
    if (!q) return [];
    const batches = await Promise.all(
      wanted.map((kind) =>
        kind === 'thread' ? this.threads(scope, q, filters, after, limit) : this.posts(scope, q, filters, after, limit),
      ),
    );
    return batches.flat();
  }

  private dateFilter(filters: SearchFilters, column: string, params: unknown[]): string {
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

  private async threads(
    scope: SearchScope,
    q: string,
    filters: SearchFilters,
    after: SearchAfter | null,
    limit: number,
  ) {
    const params: unknown[] = [scope.communityId, q, limit];
    const dates = this.dateFilter(filters, 't.created_at', params);
    const keyset = afterClause('thread', after, 'ts_rank(t.search, query)', 't.id', params.length + 1);
    params.push(...keyset.params);
    const rows = (await this.dataSource.query(
      `SELECT t.id, t.title, t.last_post_at, t.post_count, ts_rank(t.search, query) AS rank,
              ts_headline('english', t.title, query, '${HEADLINE_OPTIONS}') AS headline, c.slug
         FROM forum_threads t, websearch_to_tsquery('english', $2) query, communities c
        WHERE t.community_id = $1 AND c.id = t.community_id AND t.deleted_at IS NULL AND t.search @@ query
              ${dates} ${keyset.sql}
        ORDER BY rank DESC, t.id ASC LIMIT $3`,
      params,
    )) as Array<{
      id: string;
      title: string;
      last_post_at: Date;
      post_count: number;
      rank: number;
      headline: string;
      slug: string;
    }>;
    return rows.map((r): SearchHit => ({
      kind: 'thread',
      id: r.id,
      rank: Number(r.rank),
      title: r.title,
      snippet: toSnippet(r.headline),
      url: `/c/${r.slug}/t/${r.id}`,
      date: r.last_post_at.toISOString(),
      meta: { postCount: r.post_count },
    }));
  }

  /**
   * Lexemes found in at least FREQUENT_SHARE of posts, from the planner's statistics (pg_stats keeps
   * the most common lexemes of a tsvector column with their share of rows). Read once per
   * WORD_STATS_TTL_MS per instance; a stale or missing answer only changes where candidates come
   * from, never which posts may be returned.
   */
  private async frequentWords(): Promise<WordShares> {
    const now = Date.now();
    if (this.words && now - this.words.readAt < WORD_STATS_TTL_MS) return this.words;
    this.wordsLoading ??= this.readWordShares()
      .catch((): WordShares => ({ lexemes: [], shares: [], readAt: now }))
      .then((words) => (this.words = words))
      .finally(() => (this.wordsLoading = null));
    // A stale answer serves while it is refreshed; only the first search of an instance waits.
    return this.words ?? this.wordsLoading;
  }

  private async readWordShares(): Promise<WordShares> {
    const rows = (await this.dataSource.query(
      `SELECT w.lexeme, w.share
         FROM pg_stats s, unnest(s.most_common_elems::text::text[], s.most_common_elem_freqs) w(lexeme, share)
        WHERE s.schemaname = current_schema() AND s.tablename = 'forum_posts' AND s.attname = 'search'
              AND w.lexeme IS NOT NULL AND w.share >= $1`,
      [FREQUENT_SHARE],
    )) as Array<{ lexeme: string; share: number }>;
    return { lexemes: rows.map((r) => r.lexeme), shares: rows.map((r) => Number(r.share)), readAt: Date.now() };
  }

  /**
   * Candidates, ts_rank over their stored tsvectors, the page (threads looked up in rank order, for
   * the page only), then headlines over a bounded excerpt. Where candidates come from depends on how
   * common the query is (see docs/search.md):
   * - a frequent query (the shares of its positive words multiplied, from `frequentWords`, at least
   *   FREQUENT_SHARE): the newest RECENT_CANDIDATES matching posts, found by walking the community's
   *   posts newest first (at most RECENT_SCAN of them) rather than building a bitmap of every match,
   *   which costs about a microsecond per matching post;
   * - otherwise: the first POST_CANDIDATES matches the GIN index yields for the query's positive
   *   words with phrases relaxed to AND (`querytree` drops negated words, whose posting lists the
   *   index would otherwise read), then checked against the whole query (negations, word order).
   * A query with at most POST_CANDIDATES matches is ranked in full; a commoner one among a bounded
   * set. The caps apply before the keyset filter, so the pages of one search stay consistent.
   */
  private async posts(scope: SearchScope, q: string, filters: SearchFilters, after: SearchAfter | null, limit: number) {
    const words = await this.frequentWords();
    const params: unknown[] = [
      scope.communityId,
      q,
      limit,
      POST_CANDIDATES,
      HEADLINE_EXCERPT_CHARS,
      words.lexemes,
      words.shares,
      FREQUENT_SHARE,
      RECENT_CANDIDATES,
      RECENT_SCAN,
    ];
    const dates = this.dateFilter(filters, 'p.created_at', params);
    const keyset = afterClause('post', after, 'c.rank', 'c.id', params.length + 1);
    params.push(...keyset.params);
    // Written out each time rather than in a CTE, so that the planner folds it into a constant.
    const query = `websearch_to_tsquery('english', $2)`;
    const rows = (await this.dataSource.query(
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
    )) as Array<{
      id: string;
      thread_id: string;
      post_number: number;
      created_at: Date;
      rank: number;
      title: string;
      slug: string;
      headline: string;
    }>;
    return rows.map((r): SearchHit => ({
      kind: 'post',
      id: r.id,
      rank: Number(r.rank),
      title: r.title,
      snippet: toSnippet(r.headline),
      url: `/c/${r.slug}/t/${r.thread_id}/${r.post_number}`,
      date: r.created_at.toISOString(),
      meta: { threadId: r.thread_id, postNumber: r.post_number },
    }));
  }
}
