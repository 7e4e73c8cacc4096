import { CommonError, CommonErrorCode, decodeCursor, encodeCursor } from '@cophub/core';
import { SearchAfter, SearchHit, SearchKind } from './search.types';

/** Every kind of content search can find, in the order a filter lists them. */
export const SEARCH_KINDS: SearchKind[] = ['thread', 'post', 'event', 'resource', 'poll', 'page'];

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
  if (!SEARCH_KINDS.includes(kind as SearchKind) || String(id).length > 64) {
    throw new CommonError(CommonErrorCode.BadRequest, 'cursor is not valid for this list');
  }
  return { rank: rank as number, kind: kind as SearchKind, id: id as string };
}
