import { escapeHtml } from '@cophub/core';
import type { AuthUser, CareerStage, CommunityRole, Profession, Region } from '@cophub/identity';

export type SearchKind = 'thread' | 'post' | 'event' | 'resource' | 'poll' | 'page';

/**
 * What the searcher may see: one community, their role in it, and their profile (for poll audiences).
 * The profile may be left out: a provider that needs it then reads it in its own query, so that a
 * search does not wait for a separate lookup of the searcher before its providers start.
 */
export interface SearchScope {
  user: AuthUser;
  communityId: string;
  role: CommunityRole;
  isAdmin: boolean;
  profession?: Profession;
  careerStage?: CareerStage;
  region?: Region;
}

export interface SearchFilters {
  /** Words as typed; providers turn them into a tsquery with `websearch_to_tsquery('english', …)`. */
  q: string;
  kinds?: SearchKind[];
  tag?: string;
  profession?: Profession;
  from?: Date;
  to?: Date;
}

/** Keyset position in the merged ranking: results strictly after (rank desc, kind, id) are wanted. */
export interface SearchAfter {
  rank: number;
  kind: SearchKind;
  id: string;
}

export interface SearchHit {
  kind: SearchKind;
  id: string;
  /** ts_rank (or ts_rank_cd) of the match: comparable across providers that use the same weights. */
  rank: number;
  title: string;
  /** `ts_headline` output: HTML-escaped text with matches wrapped in <mark>…</mark>. Nothing else. */
  snippet: string;
  /** Path in the web app. */
  url: string;
  date: string;
  /** Small extra facts (thread id of a post, tags of a resource…). */
  meta?: Record<string, unknown>;
}

/**
 * One per content kind (or several kinds), implemented by the module that owns the content and
 * registered with `SearchProviders`. A provider returns only what the scope may see (hidden posts,
 * polls outside the audience never appear, not even as counts), ordered by (rank desc, kind, id),
 * at most `limit` hits after `after`.
 */
export interface SearchProvider {
  readonly kinds: SearchKind[];
  search(scope: SearchScope, filters: SearchFilters, after: SearchAfter | null, limit: number): Promise<SearchHit[]>;
}

/** `ts_headline` options that wrap matches in control characters, swapped for <mark> by `markSnippet`. */
export const HEADLINE_OPTIONS = `'StartSel=' || chr(2) || ', StopSel=' || chr(3) || ', MaxFragments=2, MaxWords=24, MinWords=8'`;

/** The characters `HEADLINE_OPTIONS` puts around each match. */
export const SNIPPET_MARKS = { start: '\u0002', stop: '\u0003' };

/**
 * Escapes a `ts_headline` result, then turns the characters around each match (`marks`: those a provider's
 * headline options chose) into <mark>: snippets stay inert.
 */
export function markSnippet(raw: string, marks: { start: string; stop: string } = SNIPPET_MARKS): string {
  return escapeHtml(raw).split(marks.start).join('<mark>').split(marks.stop).join('</mark>');
}
