import { Injectable, OnModuleInit } from '@nestjs/common';
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
import { PagesRepository } from '../db/pages.repository';

/** Community pages in the one search: members see every page of their community (search is for members). */
@Injectable()
export class PageSearchProvider implements SearchProvider, OnModuleInit {
  readonly kinds = ['page' as const];

  constructor(
    private readonly pages: PagesRepository,
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
    const rows = await this.pages.search({
      q: filters.q,
      communityId: scope.communityId,
      limit,
      from: filters.from,
      to: filters.to,
      after,
      headlineOptions: HEADLINE_OPTIONS,
    });
    return rows.map((r) => ({
      kind: 'page',
      id: r.id,
      rank: r.rank,
      title: r.title,
      snippet: markSnippet(r.snippet),
      url: `/c/${r.communitySlug}/pages/${r.slug}`,
      date: new Date(r.updatedAt).toISOString(),
    }));
  }
}
