import { Injectable, OnModuleInit } from '@nestjs/common';
import {
  markSnippet,
  SearchAfter,
  SearchFilters,
  SearchHit,
  SearchProvider,
  SearchProviders,
  SearchScope,
} from '@cophub/search';
import { ResourcesRepository } from '../db/resources.repository';

// ts_headline marks matches with private-use characters that cannot occur in stored text (they are
// stripped first); the text is then HTML-escaped and only these become <mark>, so nothing a user
// wrote can turn into markup.
const START = '\uE000';
const STOP = '\uE001';
const HEADLINE_OPTIONS = `StartSel=${START}, StopSel=${STOP}, MaxFragments=2, MaxWords=25, MinWords=8, FragmentDelimiter=" … "`;
/**
 * Matching resources ranked per search. Ranking a candidate costs little (its rank_document is small),
 * but a common word matches most of a library; past this many, the ones the index yields first are ranked.
 */
export const RESOURCE_CANDIDATES = 200;
/**
 * A phrase ("guided self-help", or a hyphenated word) can only be checked against a document's word
 * positions, read from its whole stored tsvector. So documents holding all the words are found through
 * the index (phrase relaxed to AND, which needs no such check), and the phrase is checked on at most
 * this many of them.
 */
export const PHRASE_CANDIDATES = 100;
/** Snippets come from the description and this much of the extracted text, not the whole document. */
export const HEADLINE_EXCERPT_CHARS = 600;

/** A resource's headline as a snippet: escaped, its matches in <mark>. */
export function toSnippet(headline: string): string {
  return markSnippet(headline, { start: START, stop: STOP });
}

/**
 * Resources in the unified search: title (A), tags (B), description (C) and the current version's
 * extracted text (D), ranked with ts_rank. Only the searcher's community, never archived resources.
 */
@Injectable()
export class ResourceSearchProvider implements SearchProvider, OnModuleInit {
  readonly kinds = ['resource' as const];

  constructor(
    private readonly resources: ResourcesRepository,
    private readonly providers: SearchProviders,
  ) {}

  onModuleInit(): void {
    this.providers.register(this);
  }

  async search(
    scope: SearchScope,
    filters: SearchFilters,
    after: SearchAfter | null,
    limit: number,
  ): Promise<SearchHit[]> {
    const rows = await this.resources.search([
      scope.communityId,
      filters.q,
      filters.tag?.toLowerCase() ?? null,
      filters.profession ?? null,
      filters.from ?? null,
      filters.to ?? null,
      after?.rank ?? null,
      after?.kind ?? null,
      after?.id ?? null,
      limit,
      HEADLINE_OPTIONS,
      RESOURCE_CANDIDATES,
      HEADLINE_EXCERPT_CHARS,
      PHRASE_CANDIDATES,
    ]);
    return rows.map((row) => ({
      kind: 'resource' as const,
      id: row.id,
      rank: Number(row.rank),
      title: row.title,
      snippet: toSnippet(row.headline),
      url: `/resources/${row.id}`,
      date: new Date(row.created_at).toISOString(),
      meta: { tags: row.tags, eventId: row.event_id, versionNo: row.current_version_no },
    }));
  }
}
