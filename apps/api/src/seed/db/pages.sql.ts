import { Sql } from '@cophub/core';

/** The seed's statements on the pages module's tables: a page and its first revision, once each. */

/** The page, unless the community has one at that address; answers its id, or null when it existed. */
export async function insertPage(
  db: Sql,
  page: {
    communityId: string;
    slug: string;
    title: string;
    body: string;
    bodyHtml: string;
    visibility: string;
    by: string;
  },
): Promise<string | null> {
  const row = await db.maybeOne<{ id: string }>(
    `INSERT INTO community_pages (community_id, slug, title, body, body_html, visibility, revision, updated_by)
     VALUES ($1, $2, $3, $4, $5, $6, 1, $7)
     ON CONFLICT (community_id, slug) DO NOTHING RETURNING id`,
    [page.communityId, page.slug, page.title, page.body, page.bodyHtml, page.visibility, page.by],
  );
  return row?.id ?? null;
}

export async function insertFirstRevision(
  db: Sql,
  revision: { pageId: string; communityId: string; title: string; body: string; visibility: string; by: string },
): Promise<void> {
  await db.exec(
    `INSERT INTO community_page_revisions (page_id, community_id, revision, title, body, visibility, edited_by, note)
     VALUES ($1, $2, 1, $3, $4, $5, $6, 'First version')`,
    [revision.pageId, revision.communityId, revision.title, revision.body, revision.visibility, revision.by],
  );
}
