import { Injectable } from '@nestjs/common';
import { AuditService } from '@cophub/audit';
import { renderMarkdown, SqlPort } from '@cophub/core';
import type { AuthUser } from '@cophub/identity';
import { PageVisibility } from '../db/community-page.entity';
import { PageRow, PagesRepository } from '../db/pages.repository';
import { DiffLine, lineDiff } from '../domain/line-diff';
import { PagesError, PagesErrorCode } from '../errors/pages.error';
import { PagePolicy, PageReader } from '../policies/page.policy';

export interface PageInput {
  slug: string;
  title: string;
  body: string;
  visibility?: PageVisibility;
}

export interface PageChange {
  title?: string;
  body?: string;
  visibility?: PageVisibility;
  /** The revision the editor started from: a save over someone else's newer one is refused (409). */
  baseRevision: number;
  note?: string;
}

export interface RevisionSummary {
  revision: number;
  /** Null when the reader may not see this revision (a members-only revision shown to an outsider). */
  title: string | null;
  visibility: string;
  editedBy: string | null;
  editorName: string | null;
  note: string | null;
  createdAt: Date;
  /** True when title, author and note are withheld from this reader. */
  redacted: boolean;
}

export interface PageDiff {
  from: number;
  to: number;
  titleBefore: string;
  titleAfter: string;
  lines: DiffLine[];
}

const UNIQUE_VIOLATION = '23505';

/**
 * Community pages: each save is a new revision, kept in full so any two can be compared. Reads decide who may
 * see what first (the policy); creating and editing are for co-chairs, which the community guard settles before
 * the call.
 */
@Injectable()
export class PageService {
  constructor(
    private readonly sql: SqlPort,
    private readonly pages: PagesRepository,
    private readonly policy: PagePolicy,
    private readonly audit: AuditService,
  ) {}

  /** The pages this reader may see, in title order, and whether they may edit. */
  async list(user: AuthUser | null, slug: string): Promise<{ pages: PageRow[]; canEdit: boolean }> {
    const reader = await this.policy.reader(user, slug);
    return { pages: await this.pages.list(reader.communityId, reader.member), canEdit: reader.coChair };
  }

  async read(user: AuthUser | null, slug: string, pageSlug: string): Promise<{ page: PageRow; canEdit: boolean }> {
    const { page, reader } = await this.readable(user, slug, pageSlug);
    return { page, canEdit: reader.coChair };
  }

  async create(communityId: string, actorId: string, input: PageInput): Promise<PageRow> {
    try {
      return await this.sql.transaction(async (tx, manager) => {
        const page = await this.pages.insert(tx, {
          communityId,
          slug: input.slug,
          title: input.title,
          body: input.body,
          bodyHtml: renderMarkdown(input.body),
          visibility: input.visibility ?? PageVisibility.Members,
          updatedBy: actorId,
        });
        await this.pages.insertRevision(tx, page, actorId, 'Created');
        await this.audit.record(manager, {
          communityId,
          actorId,
          action: 'page.created',
          targetType: 'page',
          targetId: page.id,
          data: { slug: page.slug },
        });
        return page;
      });
    } catch (error) {
      if ((error as { code?: string }).code === UNIQUE_VIOLATION) {
        throw new PagesError(PagesErrorCode.SlugTaken, `A page called "${input.slug}" already exists here`);
      }
      throw error;
    }
  }

  async update(communityId: string, slug: string, actorId: string, change: PageChange): Promise<PageRow> {
    return this.sql.transaction(async (tx, manager) => {
      const page = await this.pages.lock(tx, communityId, slug);
      if (!page) throw new PagesError(PagesErrorCode.NotFound, 'There is no page at that address');
      if (change.baseRevision !== page.revision) {
        throw new PagesError(
          PagesErrorCode.StaleRevision,
          `Someone saved this page since you opened it (now revision ${page.revision}): reload it and make your change again`,
        );
      }
      const saved = await this.pages.update(tx, {
        id: page.id,
        communityId,
        title: change.title ?? page.title,
        body: change.body ?? page.body,
        bodyHtml: change.body !== undefined ? renderMarkdown(change.body) : page.bodyHtml,
        visibility: change.visibility ?? page.visibility,
        revision: page.revision + 1,
        updatedBy: actorId,
      });
      await this.pages.insertRevision(tx, saved, actorId, change.note ?? '');
      await this.audit.record(manager, {
        communityId,
        actorId,
        action: 'page.edited',
        targetType: 'page',
        targetId: page.id,
        data: { slug: page.slug, revision: saved.revision },
      });
      return saved;
    });
  }

  /**
   * The page's history, newest first. Each revision keeps the visibility the page had when it was saved; to an
   * outsider reading a public page, a members-only revision keeps its number, visibility and date but not its
   * title, author or note, so a page made public later does not publish the drafts written before it was.
   */
  async revisions(user: AuthUser | null, slug: string, pageSlug: string): Promise<RevisionSummary[]> {
    const { page, reader } = await this.readable(user, slug, pageSlug);
    const rows = await this.pages.revisions(page.communityId, page.id);
    return rows.map((r) => {
      const redacted = !reader.member && r.visibility !== PageVisibility.Public;
      return {
        revision: r.revision,
        title: redacted ? null : r.title,
        visibility: r.visibility,
        editedBy: redacted ? null : r.editedBy,
        editorName: redacted ? null : r.editorName,
        note: redacted ? null : r.note,
        createdAt: r.createdAt,
        redacted,
      };
    });
  }

  /** What changed between two revisions; an outsider may compare only revisions that were public when saved. */
  async diff(user: AuthUser | null, slug: string, pageSlug: string, from: number, to: number): Promise<PageDiff> {
    const { page, reader } = await this.readable(user, slug, pageSlug);
    const rows = await this.pages.revisionsNumbered(page.communityId, page.id, [from, to]);
    const before = rows.find((r) => r.revision === from);
    const after = rows.find((r) => r.revision === to);
    if (!before || !after) throw new PagesError(PagesErrorCode.RevisionNotFound, 'That revision does not exist');
    this.policy.assertCanReadRevision(reader, from, before.visibility, user !== null);
    this.policy.assertCanReadRevision(reader, to, after.visibility, user !== null);
    return { from, to, titleBefore: before.title, titleAfter: after.title, lines: lineDiff(before.body, after.body) };
  }

  /**
   * The page, if this reader may see it. To an outsider a missing page answers like a members-only one (401
   * signed out, 403 signed in), so the answer does not reveal which members-only pages exist.
   */
  private async readable(
    user: AuthUser | null,
    slug: string,
    pageSlug: string,
  ): Promise<{ page: PageRow; reader: PageReader }> {
    const reader = await this.policy.reader(user, slug);
    const page = await this.pages.find(reader.communityId, pageSlug);
    if (!page) {
      if (!reader.member) this.policy.assertCanRead(reader, PageVisibility.Members, user !== null);
      throw new PagesError(PagesErrorCode.NotFound, 'There is no page at that address');
    }
    this.policy.assertCanRead(reader, page.visibility, user !== null);
    return { page, reader };
  }
}
