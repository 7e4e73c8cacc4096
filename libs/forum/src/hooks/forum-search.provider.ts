import { Injectable, OnModuleInit } from '@nestjs/common';
import {
  markSnippet,
  SearchAfter,
  SearchFilters,
  SearchHit,
  SearchKind,
  SearchProvider,
  SearchProviders,
  SearchScope,
} from '@cophub/search';
import { ForumSearchRepository, SEARCH_START, SEARCH_STOP } from '../db/forum-search.repository';

// ts_headline marks matches with these control characters; the text is HTML-escaped afterwards and
// only then are they turned into <mark>, so nothing from a post can become markup.
/**
 * Posts ranked for one search when they come from the GIN index (a rare or moderately common query):
 * the first this many matches the index yields.
 */
export const POST_CANDIDATES = 200;
/**
 * A query whose words are in at least this share of posts (from the planner's statistics) takes its
 * candidates from the newest posts instead: building the index's bitmap costs about a microsecond per
 * matching post (20 ms for a word in 9% of 200,000 posts), while walking the newest posts to find
 * RECENT_CANDIDATES matches reads about RECENT_CANDIDATES / share rows.
 */
export const FREQUENT_SHARE = 0.02;
/** Posts ranked for a frequent query: the newest matches. */
export const RECENT_CANDIDATES = 100;
/** At most this many of the newest posts are read to find them (a phrase of frequent words is rarer than its words). */
export const RECENT_SCAN = Math.ceil(RECENT_CANDIDATES / FREQUENT_SHARE);
/** The word statistics are re-read from pg_stats this often (ANALYZE, not writes, changes them). */
export const WORD_STATS_TTL_MS = 10 * 60_000;
/** Snippets are made from at most this much of a post (posts may be 20,000 characters). */
export const HEADLINE_EXCERPT_CHARS = 2_000;

/** A thread's or post's headline as a snippet: escaped, its matches in <mark>. */
export function toSnippet(headline: string): string {
  return markSnippet(headline, { start: SEARCH_START, stop: SEARCH_STOP });
}

interface WordShares {
  lexemes: string[];
  shares: number[];
  readAt: number;
}

/**
 * Forum threads (by title) and posts (by body) for the unified search. Only the searcher's community;
 * deleted threads and hidden or deleted posts never appear, for anyone.
 */
@Injectable()
export class ForumSearchProvider implements SearchProvider, OnModuleInit {
  readonly kinds: SearchKind[] = ['thread', 'post'];
  private words: WordShares | null = null;
  private wordsLoading: Promise<WordShares> | null = null;

  constructor(
    private readonly db: ForumSearchRepository,
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

  private async threads(
    scope: SearchScope,
    q: string,
    filters: SearchFilters,
    after: SearchAfter | null,
    limit: number,
  ) {
    const rows = await this.db.threads(scope.communityId, q, limit, filters, after);
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
   * Lexemes found in at least FREQUENT_SHARE of posts, from the planner's statistics (pg_stats keeps
   * the most common lexemes of a tsvector column with their share of rows). Read once per
   * WORD_STATS_TTL_MS per instance; a stale or missing answer only changes where candidates come
   * from, never which posts may be returned.
   */
  private async frequentWords(): Promise<WordShares> {
    const now = Date.now();
    if (this.words && now - this.words.readAt < WORD_STATS_TTL_MS) return this.words;
    this.wordsLoading ??= this.readWordShares()
      .catch((): WordShares => ({ lexemes: [], shares: [], readAt: now }))
      .then((words) => (this.words = words))
      .finally(() => (this.wordsLoading = null));
    // A stale answer serves while it is refreshed; only the first search of an instance waits.
    return this.words ?? this.wordsLoading;
  }

  private async readWordShares(): Promise<WordShares> {
    const rows = await this.db.frequentWords(FREQUENT_SHARE);
    return { lexemes: rows.map((r) => r.lexeme), shares: rows.map((r) => Number(r.share)), readAt: Date.now() };
  }

  /**
   * Candidates, ts_rank over their stored tsvectors, the page (threads looked up in rank order, for
   * the page only), then headlines over a bounded excerpt. Where candidates come from depends on how
   * common the query is (see docs/search.md):
   * - a frequent query (the shares of its positive words multiplied, from `frequentWords`, at least
   *   FREQUENT_SHARE): the newest RECENT_CANDIDATES matching posts, found by walking the community's
   *   posts newest first (at most RECENT_SCAN of them) rather than building a bitmap of every match,
   *   which costs about a microsecond per matching post;
   * - otherwise: the first POST_CANDIDATES matches the GIN index yields for the query's positive
   *   words with phrases relaxed to AND (`querytree` drops negated words, whose posting lists the
   *   index would otherwise read), then checked against the whole query (negations, word order).
   * A query with at most POST_CANDIDATES matches is ranked in full; a commoner one among a bounded
   * set. The caps apply before the keyset filter, so the pages of one search stay consistent.
   */
  private async posts(scope: SearchScope, q: string, filters: SearchFilters, after: SearchAfter | null, limit: number) {
    const words = await this.frequentWords();
    const rows = await this.db.posts(scope.communityId, q, limit, filters, after, {
      candidates: POST_CANDIDATES,
      headlineChars: HEADLINE_EXCERPT_CHARS,
      lexemes: words.lexemes,
      shares: words.shares,
      frequentShare: FREQUENT_SHARE,
      recentCandidates: RECENT_CANDIDATES,
      recentScan: RECENT_SCAN,
    });
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
