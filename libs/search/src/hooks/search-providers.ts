import { Injectable } from '@nestjs/common';
import { decodeSearchCursor, encodeSearchCursor, compareHits, SEARCH_KINDS } from '../domain/search-order';
import { SearchFilters, SearchHit, SearchProvider, SearchScope } from '../domain/search.types';

/**
 * One search over everything a member may see. Each module contributes a provider; this merges
 * their ranked hits into one keyset-paginated list.
 */
@Injectable()
export class SearchProviders {
  private readonly providers: SearchProvider[] = [];

  register(provider: SearchProvider): void {
    this.providers.push(provider);
  }

  async search(
    scope: SearchScope,
    filters: SearchFilters,
    limit: number,
    cursor?: string,
  ): Promise<{ items: SearchHit[]; nextCursor: string | null }> {
    const after = cursor ? decodeSearchCursor(cursor) : null;
    const wanted = filters.kinds?.length ? filters.kinds : SEARCH_KINDS;
    const active = this.providers.filter((p) => p.kinds.some((k) => wanted.includes(k)));
    const batches = await Promise.all(active.map((p) => p.search(scope, filters, after, limit + 1)));
    const merged = batches
      .flat()
      .filter((hit) => wanted.includes(hit.kind))
      .sort(compareHits);
    const items = merged.slice(0, limit);
    const last = items[items.length - 1];
    return { items, nextCursor: merged.length > limit && last ? encodeSearchCursor(last) : null };
  }
}
