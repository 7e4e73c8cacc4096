import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { AuditService } from '@cophub/audit';
import { renderMarkdown } from '@cophub/core';
import { CommunityPageRevision } from '../entities/community-page-revision.entity';
import { CommunityPage, PageVisibility } from '../entities/community-page.entity';
import { PagesError, PagesErrorCode } from '../errors/pages.error';
import { DiffLine, lineDiff } from './line-diff';

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
  /** The visibility each side had when it was saved: an outsider may compare public revisions only. */
  fromVisibility: string;
  toVisibility: string;
  titleBefore: string;
  titleAfter: string;
  lines: DiffLine[];
}

const UNIQUE_VIOLATION = '23505';

/** Community pages: each save is a new revision, kept in full so any two can be compared. */
@Injectable()
export class PageService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly audit: AuditService,
  ) {}

  /** Pages of a community in title order; `includeMembersOnly` false gives the public ones only. */
  list(communityId: string, includeMembersOnly: boolean): Promise<CommunityPage[]> {
    const query = this.dataSource
      .getRepository(CommunityPage)
      .createQueryBuilder('p')
      .where('p.community_id = :communityId', { communityId })
      .orderBy('p.title', 'ASC');
    if (!includeMembersOnly) query.andWhere('p.visibility = :visibility', { visibility: PageVisibility.Public });
    return query.getMany();
  }

  async get(communityId: string, slug: string): Promise<CommunityPage> {
    const page = await this.dataSource.getRepository(CommunityPage).findOneBy({ communityId, slug });
    if (!page) throw new PagesError(PagesErrorCode.NotFound, 'There is no page at that address');
    return page;
  }

  async create(communityId: string, actorId: string, input: PageInput): Promise<CommunityPage> {
    try {
      return await this.dataSource.transaction(async (manager) => {
        const page = await manager.getRepository(CommunityPage).save(
          manager.getRepository(CommunityPage).create({
            communityId,
            slug: input.slug,
            title: input.title,
            body: input.body,
            bodyHtml: renderMarkdown(input.body),
            visibility: input.visibility ?? PageVisibility.Members,
            revision: 1,
            updatedBy: actorId,
          }),
        );
        await this.addRevision(manager, page, actorId, 'Created');
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

  async update(communityId: string, slug: string, actorId: string, change: PageChange): Promise<CommunityPage> {
    return this.dataSource.transaction(async (manager) => {
      const page = await manager
        .getRepository(CommunityPage)
        .createQueryBuilder('p')
        .setLock('pessimistic_write')
        .where('p.community_id = :communityId AND p.slug = :slug', { communityId, slug })
        .getOne();
      if (!page) throw new PagesError(PagesErrorCode.NotFound, 'There is no page at that address');
      if (change.baseRevision !== page.revision) {
        throw new PagesError(
          PagesErrorCode.StaleRevision,
          `Someone saved this page since you opened it (now revision ${page.revision}): reload it and make your change again`,
        );
      }
      if (change.title !== undefined) page.title = change.title;
      if (change.body !== undefined) {
        page.body = change.body;
        page.bodyHtml = renderMarkdown(change.body);
      }
      if (change.visibility !== undefined) page.visibility = change.visibility;
      page.revision += 1;
      page.updatedBy = actorId;
      const saved = await manager.getRepository(CommunityPage).save(page);
      await this.addRevision(manager, saved, actorId, change.note ?? '');
      await this.audit.record(manager, {
        communityId,
        actorId,
        action: 'page.edited',
        targetType: 'page',
        targetId: page.id,
        data: { slug: page.slug, revision: page.revision },
      });
      return saved;
    });
  }

  /**
   * The page's history, newest first. Each revision keeps the visibility the page had when it was saved;
   * with `includeMembersOnly` false (an outsider reading a public page) a members-only revision keeps its
   * number, visibility and date but not its title, author or note, so a page made public later does not
   * publish the drafts written before it was.
   */
  async revisions(page: CommunityPage, includeMembersOnly: boolean): Promise<RevisionSummary[]> {
    const rows: Array<{
      revision: number;
      title: string;
      visibility: string;
      edited_by: string | null;
      display_name: string | null;
      note: string;
      created_at: Date;
    }> = await this.dataSource.query(
      `SELECT r.revision, r.title, r.visibility, r.edited_by, u.display_name, r.note, r.created_at
         FROM community_page_revisions r
         LEFT JOIN users u ON u.id = r.edited_by
        WHERE r.page_id = $1 AND r.community_id = $2
        ORDER BY r.revision DESC`,
      [page.id, page.communityId],
    );
    return rows.map((r) => {
      const redacted = !includeMembersOnly && r.visibility !== PageVisibility.Public;
      return {
        revision: r.revision,
        title: redacted ? null : r.title,
        visibility: r.visibility,
        editedBy: redacted ? null : r.edited_by,
        editorName: redacted ? null : r.display_name,
        note: redacted ? null : r.note,
        createdAt: r.created_at,
        redacted,
      };
    });
  }

  /** What changed between two revisions (by default the one before `to`, and `to`). */
  async diff(page: CommunityPage, from: number, to: number): Promise<PageDiff> {
    const rows = await this.dataSource
      .getRepository(CommunityPageRevision)
      .createQueryBuilder('r')
      .where('r.page_id = :pageId AND r.community_id = :communityId AND r.revision IN (:...revisions)', {
        pageId: page.id,
        communityId: page.communityId,
        revisions: [from, to],
      })
      .getMany();
    const before = rows.find((r) => r.revision === from);
    const after = rows.find((r) => r.revision === to);
    if (!before || !after) throw new PagesError(PagesErrorCode.RevisionNotFound, 'That revision does not exist');
    return {
      from,
      to,
      fromVisibility: before.visibility,
      toVisibility: after.visibility,
      titleBefore: before.title,
      titleAfter: after.title,
      lines: lineDiff(before.body, after.body),
    };
  }

  private async addRevision(manager: EntityManager, page: CommunityPage, actorId: string, note: string) {
    await manager.getRepository(CommunityPageRevision).insert({
      pageId: page.id,
      communityId: page.communityId,
      revision: page.revision,
      title: page.title,
      body: page.body,
      visibility: page.visibility,
      editedBy: actorId,
      note,
    });
  }
}
