import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { CommunityRole, ROLE_RANK } from '@cophub/identity';
import { SearchAfter, SearchFilters, SearchHit, SearchProvider, SearchScope } from '@cophub/search';
import { DataSource } from 'typeorm';

/**
 * Polls in search: title and context. Co-chairs find every poll of the community; members only
 * polls whose electorate includes them, or scheduled ones whose audience they match — never drafts.
 */
@Injectable()
export class PollSearchProvider implements SearchProvider {
  readonly kinds = ['poll' as const];

  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async search(
    scope: SearchScope,
    filters: SearchFilters,
    after: SearchAfter | null,
    limit: number,
  ): Promise<SearchHit[]> {
    const manages = scope.isAdmin || ROLE_RANK[scope.role] >= ROLE_RANK[CommunityRole.CoChair];
    const params: unknown[] = [scope.communityId, filters.q, limit];
    let where = `p.community_id = $1 AND p.search_vector @@ websearch_to_tsquery('english', $2)`;
    if (!manages) {
      // The searcher's profile from the scope, or read here when the scope leaves it out.
      params.push(scope.user.id, scope.profession ?? null, scope.careerStage ?? null, scope.region ?? null);
      where += ` AND (
        (p.status IN ('open', 'closed') AND EXISTS (SELECT 1 FROM poll_electorate e WHERE e.poll_id = p.id AND e.user_id = $4))
        OR (p.status = 'scheduled'
            AND (cardinality(p.audience_professions) = 0
                 OR coalesce($5::text, (SELECT u.profession FROM users u WHERE u.id = $4)) = ANY(p.audience_professions))
            AND (cardinality(p.audience_career_stages) = 0
                 OR coalesce($6::text, (SELECT u.career_stage FROM users u WHERE u.id = $4)) = ANY(p.audience_career_stages))
            AND (cardinality(p.audience_regions) = 0
                 OR coalesce($7::text, (SELECT u.region FROM users u WHERE u.id = $4)) = ANY(p.audience_regions))))`;
    }
    if (filters.from) {
      params.push(filters.from);
      where += ` AND p.created_at >= $${params.length}`;
    }
    if (filters.to) {
      params.push(filters.to);
      where += ` AND p.created_at < $${params.length}`;
    }
    let outer = '';
    if (after) {
      // Same total order as the merge: (rank desc, kind, id); kind is constant here.
      params.push(after.rank, after.kind, after.id);
      const [r, k, i] = [params.length - 2, params.length - 1, params.length];
      outer = `WHERE rank < $${r}::real OR (rank = $${r}::real AND ('poll' > $${k} OR ('poll' = $${k} AND id::text > $${i})))`;
    }
    const rows: Array<{ id: string; rank: number; title: string; snippet: string; status: string; created_at: Date }> =
      await this.dataSource.query(
        `SELECT * FROM (
           SELECT p.id, ts_rank(p.search_vector, websearch_to_tsquery('english', $2)) AS rank, p.title, p.status, p.created_at,
                  ts_headline('english', p.title || ' — ' || p.context_source, websearch_to_tsquery('english', $2),
                              'StartSel=<mark>,StopSel=</mark>,MaxFragments=2,MaxWords=30,MinWords=10') AS snippet
             FROM polls p WHERE ${where}) hits
          ${outer}
          ORDER BY rank DESC, id::text ASC LIMIT $3`,
        params,
      );
    return rows.map((row) => ({
      kind: 'poll',
      id: row.id,
      rank: row.rank,
      title: row.title,
      snippet: escapeSnippet(row.snippet),
      url: `/polls/${row.id}`,
      date: row.created_at.toISOString(),
      meta: { status: row.status },
    }));
  }
}

/** ts_headline returns raw text around <mark>: escape everything, then restore the marks. */
function escapeSnippet(snippet: string): string {
  return snippet
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/&lt;mark&gt;/g, '<mark>')
    .replace(/&lt;\/mark&gt;/g, '</mark>');
}
