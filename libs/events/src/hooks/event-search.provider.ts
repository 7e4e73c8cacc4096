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
import { EventsRepository } from '../db/events.repository';

/** Events in the searcher's community (members see every event there), ranked by title then description. */
@Injectable()
export class EventSearchProvider implements SearchProvider, OnModuleInit {
  readonly kinds = ['event' as const];

  constructor(
    private readonly events: EventsRepository,
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
    const rows = await this.events.search({
      q: filters.q,
      communityId: scope.communityId,
      limit,
      from: filters.from,
      to: filters.to,
      profession: filters.profession,
      after,
      headlineOptions: HEADLINE_OPTIONS,
    });
    return rows.map((r) => ({
      kind: 'event',
      id: r.id,
      rank: r.rank,
      title: r.title,
      snippet: markSnippet(r.snippet),
      url: `/events/${r.id}`,
      date: new Date(r.startsAt).toISOString(),
      meta: { status: r.status },
    }));
  }
}
