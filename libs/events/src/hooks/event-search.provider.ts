import { Injectable, OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { SearchAfter, SearchFilters, SearchHit, SearchProvider, SearchProviders, SearchScope } from '@cophub/search';
import { DataSource } from 'typeorm';

/** Wraps matches in control characters, then escapes and swaps them for <mark>: snippets stay inert. */
const HEADLINE_OPTIONS = `'StartSel=' || chr(2) || ', StopSel=' || chr(3) || ', MaxFragments=2, MaxWords=24, MinWords=8'`;

export function markSnippet(raw: string): string {
  return raw
    .replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!)
    .replace(/\u0002/g, '<mark>')
    .replace(/\u0003/g, '</mark>');
}

/** Events in the searcher's community (members see every event there), ranked by title then description. */
@Injectable()
export class EventSearchProvider implements SearchProvider, OnModuleInit {
  readonly kinds = ['event' as const];

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
    if (filters.tag) return []; // events carry no tags
    const params: unknown[] = [filters.q, scope.communityId, limit];
    const where: string[] = ['e.community_id = $2', 'e.search @@ q.query'];
    if (filters.from) {
      params.push(filters.from);
      where.push(`e.starts_at >= $${params.length}`);
    }
    if (filters.to) {
      params.push(filters.to);
      where.push(`e.starts_at < $${params.length}`);
    }
    if (filters.profession) {
      params.push(filters.profession);
      where.push(`(cardinality(e.audience_professions) = 0 OR $${params.length} = ANY(e.audience_professions))`);
    }
    let keyset = '';
    if (after) {
      params.push(after.rank, after.kind, after.id);
      const [r, k, i] = [params.length - 2, params.length - 1, params.length];
      keyset = `WHERE rank < $${r} OR (rank = $${r} AND ('event' > $${k} OR ('event' = $${k} AND id::text > $${i})))`;
    }
    const rows: Array<{ id: string; title: string; starts_at: Date; status: string; rank: number; snippet: string }> =
      await this.dataSource.query(
        `WITH q AS (SELECT websearch_to_tsquery('english', $1) AS query),
         hits AS (
           SELECT e.id, e.title, e.starts_at, e.status, e.description,
                  ts_rank(e.search, q.query)::float8 AS rank, q.query
             FROM events e, q
            WHERE ${where.join(' AND ')}
         )
         SELECT id, title, starts_at, status, rank,
                ts_headline('english', title || '. ' || description, query, ${HEADLINE_OPTIONS}) AS snippet
           FROM hits ${keyset}
          ORDER BY rank DESC, id::text
          LIMIT $3`,
        params,
      );
    return rows.map((r) => ({
      kind: 'event',
      id: r.id,
      rank: r.rank,
      title: r.title,
      snippet: markSnippet(r.snippet),
      url: `/events/${r.id}`,
      date: new Date(r.starts_at).toISOString(),
      meta: { status: r.status },
    }));
  }
}
