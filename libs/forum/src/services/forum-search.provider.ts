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
/** Matching posts ranked for one search, taken from the GIN index before ranking (see `posts`). */
export const POST_CANDIDATES = 500;
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

/**
 * Forum threads (by title) and posts (by body) for the unified search. Only the searcher's community;
 * deleted threads and hidden or deleted posts never appear, for anyone.
 */
@Injectable()
export class ForumSearchProvider implements SearchProvider, OnModuleInit {
  readonly kinds: SearchKind[] = ['thread', 'post'];

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
   * Candidates are the first POST_CANDIDATES matches the GIN index yields (no ordering: ordering every
   * match by date meant reading every matching row, thousands of scattered heap pages for a common
   * word), carrying only what ranking needs; ts_rank reads their stored tsvectors; the headline is made
   * for the page only, over a bounded excerpt. Rare and moderately common words are exact; for a word
   * in more than POST_CANDIDATES posts, the ranking is among those the index yields first. The cap
   * applies before the keyset filter, so the pages of one search stay consistent. See docs/search.md.
   */
  private async posts(scope: SearchScope, q: string, filters: SearchFilters, after: SearchAfter | null, limit: number) {
    const params: unknown[] = [scope.communityId, q, limit, POST_CANDIDATES, HEADLINE_EXCERPT_CHARS];
    const dates = this.dateFilter(filters, 'p.created_at', params);
    const keyset = afterClause('post', after, 'c.rank', 'c.id', params.length + 1);
    params.push(...keyset.params);
    const rows = (await this.dataSource.query(
      `WITH candidates AS (
              SELECT p.id, p.thread_id, p.search
                FROM forum_posts p
               WHERE p.community_id = $1 AND p.search @@ websearch_to_tsquery('english', $2)
                     AND p.hidden_at IS NULL AND p.deleted_at IS NULL ${dates}
               LIMIT $4),
            ranked AS (
              SELECT c.id, c.thread_id, ts_rank(c.search, websearch_to_tsquery('english', $2)) AS rank
                FROM candidates c),
            hit AS (
              SELECT c.* FROM ranked c
               WHERE EXISTS (SELECT 1 FROM forum_threads t WHERE t.id = c.thread_id AND t.deleted_at IS NULL)
                     ${keyset.sql}
               ORDER BY c.rank DESC, c.id ASC LIMIT $3)
       SELECT hit.id, hit.thread_id, p.post_number, p.created_at, hit.rank, t.title, cm.slug,
              ts_headline('english', left(p.body_text, $5), websearch_to_tsquery('english', $2), '${HEADLINE_OPTIONS}') AS headline
         FROM hit
         JOIN forum_posts p ON p.id = hit.id
         JOIN forum_threads t ON t.id = hit.thread_id
         JOIN communities cm ON cm.id = t.community_id
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
