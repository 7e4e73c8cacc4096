import { Body, Controller, Get, Param, Post, Put, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiParam, ApiTags } from '@nestjs/swagger';
import {
  AuthUser,
  CommunityContext,
  CommunityRole,
  CurrentCommunity,
  CurrentUser,
  OptionalUser,
  Public,
  RequireCommunityRole,
} from '@cophub/identity';
import { CommunityPage, PagePolicy, PagesError, PagesErrorCode, PageService, PageVisibility } from '@cophub/pages';
import {
  CreatePageDto,
  DiffQueryDto,
  PageDiffView,
  PageListView,
  PageSummaryView,
  PageView,
  PageRevisionView,
  UpdatePageDto,
} from './dto/page.dto';

function toSummary(page: CommunityPage): PageSummaryView {
  return {
    id: page.id,
    slug: page.slug,
    title: page.title,
    visibility: page.visibility,
    revision: page.revision,
    updatedAt: page.updatedAt.toISOString(),
  };
}

function toView(page: CommunityPage, canEdit: boolean): PageView {
  return { ...toSummary(page), body: page.body, bodyHtml: page.bodyHtml, canEdit };
}

/**
 * A community's pages. Reading is open to visitors for public pages (so a prospective member can read
 * the Terms of Reference); members read every page; only co-chairs (and admins) create and edit.
 */
@ApiTags('pages')
@ApiParam({ name: 'slug', description: 'The community' })
@Controller('api/v1/communities/:slug/pages')
export class PagesController {
  constructor(
    private readonly pages: PageService,
    private readonly policy: PagePolicy,
  ) {}

  @Get()
  @Public()
  @ApiOkResponse({ type: PageListView })
  async list(@OptionalUser() user: AuthUser | null, @Param('slug') slug: string): Promise<PageListView> {
    const reader = await this.policy.reader(user, slug);
    const pages = await this.pages.list(reader.communityId, reader.member);
    return { items: pages.map(toSummary), canEdit: reader.coChair };
  }

  @Post()
  @RequireCommunityRole(CommunityRole.CoChair)
  @ApiCreatedResponse({ type: PageView })
  async create(
    @CurrentUser() user: AuthUser,
    @CurrentCommunity() community: CommunityContext,
    @Body() body: CreatePageDto,
  ): Promise<PageView> {
    return toView(await this.pages.create(community.community.id, user.id, body), true);
  }

  @Get(':pageSlug')
  @Public()
  @ApiOkResponse({ type: PageView })
  async get(
    @OptionalUser() user: AuthUser | null,
    @Param('slug') slug: string,
    @Param('pageSlug') pageSlug: string,
  ): Promise<PageView> {
    const { page, coChair } = await this.readable(user, slug, pageSlug);
    return toView(page, coChair);
  }

  @Put(':pageSlug')
  @RequireCommunityRole(CommunityRole.CoChair)
  @ApiOkResponse({ type: PageView })
  async update(
    @CurrentUser() user: AuthUser,
    @CurrentCommunity() community: CommunityContext,
    @Param('pageSlug') pageSlug: string,
    @Body() body: UpdatePageDto,
  ): Promise<PageView> {
    return toView(await this.pages.update(community.community.id, pageSlug, user.id, body), true);
  }

  @Get(':pageSlug/revisions')
  @Public()
  @ApiOkResponse({ type: [PageRevisionView] })
  async revisions(
    @OptionalUser() user: AuthUser | null,
    @Param('slug') slug: string,
    @Param('pageSlug') pageSlug: string,
  ): Promise<PageRevisionView[]> {
    const { page, member } = await this.readable(user, slug, pageSlug);
    const revisions = await this.pages.revisions(page, member);
    return revisions.map((r) => ({
      revision: r.revision,
      title: r.title,
      visibility: r.visibility,
      editorName: r.editorName,
      note: r.note,
      createdAt: r.createdAt.toISOString(),
      redacted: r.redacted,
    }));
  }

  @Get(':pageSlug/diff')
  @Public()
  @ApiOkResponse({ type: PageDiffView })
  async diff(
    @OptionalUser() user: AuthUser | null,
    @Param('slug') slug: string,
    @Param('pageSlug') pageSlug: string,
    @Query() query: DiffQueryDto,
  ): Promise<PageDiffView> {
    const { page, reader } = await this.readable(user, slug, pageSlug);
    const diff = await this.pages.diff(page, query.from, query.to);
    this.policy.assertCanReadRevision(reader, diff.from, diff.fromVisibility, user !== null);
    this.policy.assertCanReadRevision(reader, diff.to, diff.toVisibility, user !== null);
    return {
      from: diff.from,
      to: diff.to,
      titleBefore: diff.titleBefore,
      titleAfter: diff.titleAfter,
      lines: diff.lines,
    };
  }

  /**
   * The page, if this reader may see it. To an outsider a missing page answers like a members-only
   * one (401 signed out, 403 signed in), so the answer does not reveal which members-only pages exist.
   */
  private async readable(user: AuthUser | null, slug: string, pageSlug: string) {
    const reader = await this.policy.reader(user, slug);
    const page = await this.pages.get(reader.communityId, pageSlug).catch((error: unknown) => {
      if (!reader.member && error instanceof PagesError && error.code === PagesErrorCode.NotFound) {
        this.policy.assertCanRead(reader, PageVisibility.Members, user !== null);
      }
      throw error;
    });
    this.policy.assertCanRead(reader, page.visibility, user !== null);
    return { page, reader, member: reader.member, coChair: reader.coChair };
  }
}
