import { Injectable, OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { SearchAfter, SearchFilters, SearchHit, SearchProvider, SearchProviders, SearchScope } from '@cophub/search';

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

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

export function markSnippet(headline: string): string {
  return escapeHtml(headline).replaceAll(START, '<mark>').replaceAll(STOP, '</mark>');
}

interface HitRow {
  id: string;
  title: string;
  tags: string[];
  event_id: string | null;
  current_version_no: number;
  created_at: Date;
  rank: number;
  headline: string;
}

/**
 * Resources in the unified search: title (A), tags (B), description (C) and the current version's
 * extracted text (D), ranked with ts_rank. Only the searcher's community, never archived resources.
 */
@Injectable()
export class ResourceSearchProvider implements SearchProvider, OnModuleInit {
  readonly kinds = ['resource' as const];

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
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
    // Candidates come from the GIN index (at most RESOURCE_CANDIDATES, taken before ranking; phrases
    // checked on PHRASE_CANDIDATES documents holding all their words); the rank
    // reads the small rank_document, not the whole text; the headline is made for the page only, over
    // a bounded excerpt. websearch_to_tsquery is written inline (not in a CTE) so that the planner
    // sees the query's value. See docs/search.md for the plans.
    const rows: HitRow[] = await this.dataSource.query(
      `WITH loose AS (
         SELECT r.id, r.rank_document
           FROM resources r
          WHERE r.community_id = $1
            AND r.archived_at IS NULL
            AND r.document @@ regexp_replace(websearch_to_tsquery('english', $2)::text, '<(-|[0-9]+)>', '&', 'g')::tsquery
            AND ($3::text IS NULL OR r.tags @> ARRAY[$3::text])
            AND ($4::text IS NULL OR $4::text = ANY(r.professions))
            AND ($5::timestamptz IS NULL OR r.created_at >= $5::timestamptz)
            AND ($6::timestamptz IS NULL OR r.created_at < $6::timestamptz)
          LIMIT CASE WHEN websearch_to_tsquery('english', $2)::text LIKE '%<%' THEN $14::int ELSE $12::int END
       ),
       candidates AS (
         SELECT l.id, l.rank_document FROM loose l
          WHERE websearch_to_tsquery('english', $2)::text NOT LIKE '%<%'
             OR (SELECT r.document FROM resources r WHERE r.id = l.id) @@ websearch_to_tsquery('english', $2)
       ),
       hits AS (
         SELECT c.id, coalesce(ts_rank(c.rank_document, websearch_to_tsquery('english', $2)), 0) AS rank FROM candidates c
       ),
       page AS (
         SELECT * FROM hits
          WHERE $7::real IS NULL OR rank < $7::real
             OR (rank = $7::real AND ('resource' > $8::text OR ('resource' = $8::text AND id::text > $9::text)))
          ORDER BY rank DESC, id ASC
          LIMIT $10
       )
       SELECT r.id, r.title, r.tags, r.event_id, r.current_version_no, r.created_at, page.rank,
              ts_headline('english',
                translate(r.description || E'\\n' || left(r.body_text, $13), E'\\uE000\\uE001', ''),
                websearch_to_tsquery('english', $2), $11) AS headline
         FROM page JOIN resources r ON r.id = page.id
        ORDER BY page.rank DESC, page.id ASC`,
      [
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
      ],
    );
    return rows.map((row) => ({
      kind: 'resource' as const,
      id: row.id,
      rank: Number(row.rank),
      title: row.title,
      snippet: markSnippet(row.headline),
      url: `/resources/${row.id}`,
      date: new Date(row.created_at).toISOString(),
      meta: { tags: row.tags, eventId: row.event_id, versionNo: row.current_version_no },
    }));
  }
}
