import { Injectable, OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import {
  HEADLINE_OPTIONS,
  markSnippet,
  SearchAfter,
  SearchFilters,
  SearchHit,
  SearchProvider,
  SearchProviders,
  SearchScope,
} from '@cophub/search';

/**
 * Community pages in the one search: members see every page of their community (search is for
 * members). Pages are few per community, so the document is built at query time, weighted like the
 * other kinds (title A, body C) so ranks compare.
 */
@Injectable()
export class PageSearchProvider implements SearchProvider, OnModuleInit {
  readonly kinds = ['page' as const];

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
    if (filters.tag || filters.profession) return []; // pages carry neither tags nor audiences
    const params: unknown[] = [filters.q, scope.communityId, limit];
    const where = ['p.community_id = $2', 'doc.document @@ q.query'];
    if (filters.from) {
      params.push(filters.from);
      where.push(`p.updated_at >= $${params.length}`);
    }
    if (filters.to) {
      params.push(filters.to);
      where.push(`p.updated_at < $${params.length}`);
    }
    let keyset = '';
    if (after) {
      params.push(after.rank, after.kind, after.id);
      const [r, k, i] = [params.length - 2, params.length - 1, params.length];
      keyset = `WHERE rank < $${r} OR (rank = $${r} AND ('page' > $${k} OR ('page' = $${k} AND id::text > $${i})))`;
    }
    const rows: Array<{
      id: string;
      slug: string;
      title: string;
      updated_at: Date;
      rank: number;
      snippet: string;
      community_slug: string;
    }> = await this.dataSource.query(
      `WITH q AS (SELECT websearch_to_tsquery('english', $1) AS query),
         hits AS (
           SELECT p.id, p.slug, p.title, p.body, p.updated_at, c.slug AS community_slug,
                  ts_rank(doc.document, q.query)::float8 AS rank, q.query
             FROM community_pages p
             JOIN communities c ON c.id = p.community_id
             CROSS JOIN q
             CROSS JOIN LATERAL (
               SELECT setweight(to_tsvector('english', p.title), 'A') || setweight(to_tsvector('english', p.body), 'C') AS document
             ) doc
            WHERE ${where.join(' AND ')}
         )
         SELECT id, slug, title, updated_at, community_slug, rank,
                ts_headline('english', title || '. ' || body, query, ${HEADLINE_OPTIONS}) AS snippet
           FROM hits ${keyset}
          ORDER BY rank DESC, id::text
          LIMIT $3`,
      params,
    );
    return rows.map((r) => ({
      kind: 'page',
      id: r.id,
      rank: r.rank,
      title: r.title,
      snippet: markSnippet(r.snippet),
      url: `/c/${r.community_slug}/pages/${r.slug}`,
      date: new Date(r.updated_at).toISOString(),
    }));
  }
}
