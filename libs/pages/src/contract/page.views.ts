import type { PageRow } from '../db/pages.repository';
import type { RevisionSummary } from '../services/page.service';
import type { PageRevisionView, PageSummaryView, PageView } from './page.dto';

export function toPageSummary(page: PageRow): PageSummaryView {
  return {
    id: page.id,
    slug: page.slug,
    title: page.title,
    visibility: page.visibility,
    revision: page.revision,
    updatedAt: new Date(page.updatedAt).toISOString(),
  };
}

export function toPageView(page: PageRow, canEdit: boolean): PageView {
  return { ...toPageSummary(page), body: page.body, bodyHtml: page.bodyHtml, canEdit };
}

export function toRevisionView(r: RevisionSummary): PageRevisionView {
  return {
    revision: r.revision,
    title: r.title,
    visibility: r.visibility,
    editorName: r.editorName,
    note: r.note,
    createdAt: new Date(r.createdAt).toISOString(),
    redacted: r.redacted,
  };
}
