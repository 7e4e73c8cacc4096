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
import {
  CreatePageDto,
  DiffQueryDto,
  PageDiffView,
  PageListView,
  PageRevisionView,
  PageService,
  PageView,
  toPageSummary,
  toPageView,
  toRevisionView,
  UpdatePageDto,
} from '@cophub/pages';

/**
 * A community's pages. Reading is open to visitors for public pages (so a prospective member can read
 * the Terms of Reference); members read every page; only co-chairs (and admins) create and edit.
 */
@ApiTags('pages')
@ApiParam({ name: 'slug', description: 'The community' })
@Controller('api/v1/communities/:slug/pages')
export class PagesController {
  constructor(private readonly pages: PageService) {}

  @Get()
  @Public()
  @ApiOkResponse({ type: PageListView })
  async list(@OptionalUser() user: AuthUser | null, @Param('slug') slug: string): Promise<PageListView> {
    const { pages, canEdit } = await this.pages.list(user, slug);
    return { items: pages.map(toPageSummary), canEdit };
  }

  @Post()
  @RequireCommunityRole(CommunityRole.CoChair)
  @ApiCreatedResponse({ type: PageView })
  async create(
    @CurrentUser() user: AuthUser,
    @CurrentCommunity() community: CommunityContext,
    @Body() body: CreatePageDto,
  ): Promise<PageView> {
    return toPageView(await this.pages.create(community.community.id, user.id, body), true);
  }

  @Get(':pageSlug')
  @Public()
  @ApiOkResponse({ type: PageView })
  async get(
    @OptionalUser() user: AuthUser | null,
    @Param('slug') slug: string,
    @Param('pageSlug') pageSlug: string,
  ): Promise<PageView> {
    const { page, canEdit } = await this.pages.read(user, slug, pageSlug);
    return toPageView(page, canEdit);
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
    return toPageView(await this.pages.update(community.community.id, pageSlug, user.id, body), true);
  }

  @Get(':pageSlug/revisions')
  @Public()
  @ApiOkResponse({ type: [PageRevisionView] })
  async revisions(
    @OptionalUser() user: AuthUser | null,
    @Param('slug') slug: string,
    @Param('pageSlug') pageSlug: string,
  ): Promise<PageRevisionView[]> {
    return (await this.pages.revisions(user, slug, pageSlug)).map(toRevisionView);
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
    return this.pages.diff(user, slug, pageSlug, query.from, query.to);
  }
}
