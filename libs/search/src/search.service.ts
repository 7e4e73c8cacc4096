import { Injectable } from '@nestjs/common';
import { CommonError, CommonErrorCode, decodeCursor, encodeCursor } from '@cophub/core';
import { SearchAfter, SearchFilters, SearchHit, SearchKind, SearchProvider, SearchScope } from './search.types';

const KINDS: SearchKind[] = ['thread', 'post', 'event', 'resource', 'poll', 'page'];

/** Total order used by every provider and the merge: rank descending, then kind, then id. */
export function compareHits(
  a: Pick<SearchHit, 'rank' | 'kind' | 'id'>,
  b: Pick<SearchHit, 'rank' | 'kind' | 'id'>,
): number {
  if (a.rank !== b.rank) return b.rank - a.rank;
  if (a.kind !== b.kind) return a.kind < b.kind ? -1 : 1;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

export function encodeSearchCursor(hit: SearchAfter): string {
  return encodeCursor([hit.rank, hit.kind, hit.id]);
}

export function decodeSearchCursor(cursor: string): SearchAfter {
  const [rank, kind, id] = decodeCursor(cursor, ['number', 'string', 'string']);
  if (!KINDS.includes(kind as SearchKind) || String(id).length > 64) {
    throw new CommonError(CommonErrorCode.BadRequest, 'cursor is not valid for this list');
  }
  return { rank: rank as number, kind: kind as SearchKind, id: id as string };
}

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
    const wanted = filters.kinds?.length ? filters.kinds : KINDS;
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
