import { Injectable } from '@nestjs/common';
import { Sql, SqlPort } from '@cophub/core';
import { PageVisibility } from './community-page.entity';

/** A page as the module reads it. */
export interface PageRow {
  id: string;
  communityId: string;
  slug: string;
  title: string;
  body: string;
  bodyHtml: string;
  visibility: PageVisibility;
  revision: number;
  updatedBy: string | null;
  createdAt: Date;
  updatedAt: Date;
}

export interface RevisionRow {
  revision: number;
  title: string;
  body: string;
  visibility: string;
  editedBy: string | null;
  editorName: string | null;
  note: string;
  createdAt: Date;
}

export interface PageSearchRow {
  id: string;
  slug: string;
  title: string;
  updatedAt: Date;
  rank: number;
  snippet: string;
  communitySlug: string;
}

const PAGE_COLUMNS = `p.id, p.community_id AS "communityId", p.slug, p.title, p.body, p.body_html AS "bodyHtml",
  p.visibility, p.revision, p.updated_by AS "updatedBy", p.created_at AS "createdAt", p.updated_at AS "updatedAt"`;

/** Every statement on `community_pages` and `community_page_revisions`; each takes the community, so none can forget it. */
@Injectable()
export class PagesRepository {
  constructor(private readonly sql: SqlPort) {}

  list(communityId: string, includeMembersOnly: boolean): Promise<PageRow[]> {
    return this.sql.rows<PageRow>(
      `SELECT ${PAGE_COLUMNS} FROM community_pages p
        WHERE p.community_id = $1 AND ($2 OR p.visibility = 'public')
        ORDER BY p.title, p.id`,
      [communityId, includeMembersOnly],
    );
  }

  find(communityId: string, slug: string, db: Sql = this.sql): Promise<PageRow | null> {
    return db.maybeOne<PageRow>(
      `SELECT ${PAGE_COLUMNS} FROM community_pages p WHERE p.community_id = $1 AND p.slug = $2`,
      [communityId, slug],
    );
  }

  /** The page locked for an edit in `tx` (a concurrent edit waits, then sees the new revision). */
  lock(tx: Sql, communityId: string, slug: string): Promise<PageRow | null> {
    return tx.maybeOne<PageRow>(
      `SELECT ${PAGE_COLUMNS} FROM community_pages p WHERE p.community_id = $1 AND p.slug = $2 FOR UPDATE`,
      [communityId, slug],
    );
  }

  insert(
    tx: Sql,
    page: Pick<PageRow, 'communityId' | 'slug' | 'title' | 'body' | 'bodyHtml' | 'visibility' | 'updatedBy'>,
  ): Promise<PageRow> {
    return tx.one<PageRow>(
      `INSERT INTO community_pages AS p (community_id, slug, title, body, body_html, visibility, revision, updated_by)
       VALUES ($1, $2, $3, $4, $5, $6, 1, $7)
       RETURNING ${PAGE_COLUMNS}`,
      [page.communityId, page.slug, page.title, page.body, page.bodyHtml, page.visibility, page.updatedBy],
    );
  }

  /** Saves the page as its next revision. */
  update(
    tx: Sql,
    page: Pick<PageRow, 'id' | 'communityId' | 'title' | 'body' | 'bodyHtml' | 'visibility' | 'revision' | 'updatedBy'>,
  ): Promise<PageRow> {
    return tx.one<PageRow>(
      `UPDATE community_pages AS p
          SET title = $3, body = $4, body_html = $5, visibility = $6, revision = $7, updated_by = $8, updated_at = now()
        WHERE p.id = $1 AND p.community_id = $2
        RETURNING ${PAGE_COLUMNS}`,
      [page.id, page.communityId, page.title, page.body, page.bodyHtml, page.visibility, page.revision, page.updatedBy],
    );
  }

  /** Keeps the page as it now is, with the visibility it has now, as revision `page.revision`. */
  async insertRevision(tx: Sql, page: PageRow, editorId: string, note: string): Promise<void> {
    await tx.exec(
      `INSERT INTO community_page_revisions (page_id, community_id, revision, title, body, visibility, edited_by, note)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
      [page.id, page.communityId, page.revision, page.title, page.body, page.visibility, editorId, note],
    );
  }

  /** The page's revisions, newest first, with each editor's name. */
  revisions(communityId: string, pageId: string): Promise<RevisionRow[]> {
    return this.sql.rows<RevisionRow>(
      `SELECT r.revision, r.title, r.body, r.visibility, r.edited_by AS "editedBy", u.display_name AS "editorName",
              r.note, r.created_at AS "createdAt"
         FROM community_page_revisions r
         LEFT JOIN users u ON u.id = r.edited_by
        WHERE r.page_id = $1 AND r.community_id = $2
        ORDER BY r.revision DESC`,
      [pageId, communityId],
    );
  }

  /** The given revisions of a page (any that do not exist are absent). */
  revisionsNumbered(communityId: string, pageId: string, numbers: number[]): Promise<RevisionRow[]> {
    return this.sql.rows<RevisionRow>(
      `SELECT r.revision, r.title, r.body, r.visibility, r.edited_by AS "editedBy", NULL AS "editorName",
              r.note, r.created_at AS "createdAt"
         FROM community_page_revisions r
        WHERE r.page_id = $1 AND r.community_id = $2 AND r.revision = ANY($3::int[])`,
      [pageId, communityId, numbers],
    );
  }

  /** Revisions a person saved, for their personal data export. */
  revisionsBy(userId: string): Promise<Record<string, unknown>[]> {
    return this.sql.rows(
      `SELECT c.slug AS community, p.slug AS page, r.revision, r.title, r.body AS markdown, r.note,
              r.created_at AS "savedAt"
         FROM community_page_revisions r
         JOIN community_pages p ON p.id = r.page_id
         JOIN communities c ON c.id = r.community_id
        WHERE r.edited_by = $1 ORDER BY r.created_at, r.id`,
      [userId],
    );
  }

  /**
   * Full-text search over a community's pages. Pages are few per community, so the document is built at query
   * time, weighted like the other kinds (title A, body C) so ranks compare; keyset after (rank, kind, id).
   */
  search(options: {
    q: string;
    communityId: string;
    limit: number;
    from?: Date | string;
    to?: Date | string;
    after?: { rank: number; kind: string; id: string } | null;
    headlineOptions: string;
  }): Promise<PageSearchRow[]> {
    const params: unknown[] = [options.q, options.communityId, options.limit];
    const where = ['p.community_id = $2', 'doc.document @@ q.query'];
    if (options.from) {
      params.push(options.from);
      where.push(`p.updated_at >= $${params.length}`);
    }
    if (options.to) {
      params.push(options.to);
      where.push(`p.updated_at < $${params.length}`);
    }
    let keyset = '';
    if (options.after) {
      params.push(options.after.rank, options.after.kind, options.after.id);
      const [r, k, i] = [params.length - 2, params.length - 1, params.length];
      keyset = `WHERE rank < $${r} OR (rank = $${r} AND ('page' > $${k} OR ('page' = $${k} AND id::text > $${i})))`;
    }
    return this.sql.rows<PageSearchRow>(
      `WITH q AS (SELECT websearch_to_tsquery('english', $1) AS query),
         hits AS (
           SELECT p.id, p.slug, p.title, p.body, p.updated_at, c.slug AS community_slug,
                  ts_rank(doc.document, q.query)::float8 AS rank, q.query
             FROM community_pages p
             JOIN communities c ON c.id = p.community_id
             CROSS JOIN q
             CROSS JOIN LATERAL (
               SELECT setweight(to_tsvector('english', p.title), 'A') || setweight(to_tsvector('english', p.body), 'C') AS document
             ) doc
            WHERE ${where.join(' AND ')}
         )
         SELECT id, slug, title, updated_at AS "updatedAt", community_slug AS "communitySlug", rank,
                ts_headline('english', title || '. ' || body, query, ${options.headlineOptions}) AS snippet
           FROM hits ${keyset}
          ORDER BY rank DESC, id::text
          LIMIT $3`,
      params,
    );
  }
}
