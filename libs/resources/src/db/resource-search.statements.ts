/**
 * The resource search, hand-tuned (plans in docs/search.md): candidates come from the GIN index (at most
 * $12 taken before ranking; phrases checked on $14 documents holding all their words); the rank reads the
 * small rank_document, not the whole text; the headline is made for the page only, over a bounded excerpt
 * ($13 characters). websearch_to_tsquery is written inline (not in a CTE) so that the planner sees the
 * query's value.
 *
 * $1 community, $2 words, $3 tag, $4 profession, $5 from, $6 to, $7-$9 keyset (rank, kind, id), $10 limit,
 * $11 headline options.
 */
export const RESOURCE_SEARCH = `WITH loose AS (
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
        ORDER BY page.rank DESC, page.id ASC`;
