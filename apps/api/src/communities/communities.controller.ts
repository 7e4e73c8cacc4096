import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  HttpStatus,
  Param,
  ParseUUIDPipe,
  Patch,
  Post,
  Query,
} from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { AuditPageView, AuditQueryDto, AuditService } from '@cophub/audit';
import {
  AddMemberDto,
  AdminOnly,
  AuthUser,
  ChangeRoleDto,
  CommunityContext,
  CommunityListItemView,
  CommunityRole,
  CommunityService,
  CommunityStandingView,
  CommunityView,
  CreateCommunityDto,
  CurrentCommunity,
  CurrentUser,
  DecisionParamsDto,
  hasRole,
  ListMembersQueryDto,
  MemberPageView,
  MembershipDecision,
  MembershipService,
  MembershipView,
  RequireCommunityRole,
  toCommunityView,
  toMembershipView,
  UpdateCommunityDto,
} from '@cophub/identity';

@ApiTags('communities')
@Controller('api/v1/communities')
export class CommunitiesController {
  constructor(
    private readonly communities: CommunityService,
    private readonly memberships: MembershipService,
    private readonly audit: AuditService,
  ) {}

  @Post()
  @AdminOnly()
  @ApiCreatedResponse({ type: CommunityView })
  async create(@CurrentUser() user: AuthUser, @Body() body: CreateCommunityDto): Promise<CommunityView> {
    return toCommunityView(await this.communities.create(user.id, body), true);
  }

  /** The directory: every community, with the caller's standing, so they can ask to join. */
  @Get()
  @ApiOkResponse({ type: [CommunityListItemView] })
  async list(@CurrentUser() user: AuthUser): Promise<CommunityListItemView[]> {
    const summaries = await this.communities.listFor(user.id);
    return summaries.map((s) => ({
      ...toCommunityView(s.community, user.isAdmin || s.myRole === CommunityRole.CoChair),
      myStatus: s.myStatus,
      myRole: s.myRole,
      memberCount: s.memberCount,
    }));
  }

  @Get(':slug')
  @ApiOkResponse({ type: CommunityView })
  async get(@Param('slug') slug: string): Promise<CommunityView> {
    return toCommunityView(await this.communities.findBySlug(slug));
  }

  @Patch(':slug')
  @RequireCommunityRole(CommunityRole.CoChair)
  @ApiOkResponse({ type: CommunityView })
  async update(
    @CurrentCommunity() community: CommunityContext,
    @Body() body: UpdateCommunityDto,
  ): Promise<CommunityView> {
    return toCommunityView(await this.communities.update(community, body), true);
  }

  @Post(':slug/join')
  @ApiCreatedResponse({
    type: MembershipView,
    description: 'pending, or approved when the email domain is auto-approved',
  })
  async join(@CurrentUser() user: AuthUser, @Param('slug') slug: string): Promise<MembershipView> {
    return toMembershipView(await this.memberships.requestToJoin(user.id, slug));
  }

  @Delete(':slug/membership')
  @HttpCode(HttpStatus.NO_CONTENT)
  async leave(@CurrentUser() user: AuthUser, @Param('slug') slug: string): Promise<void> {
    await this.memberships.leave(user.id, slug);
  }

  @Get(':slug/members')
  @RequireCommunityRole(CommunityRole.Member)
  @ApiOkResponse({ type: MemberPageView })
  async members(
    @CurrentCommunity() community: CommunityContext,
    @Query() query: ListMembersQueryDto,
  ): Promise<MemberPageView> {
    return this.memberships.list(
      community,
      { status: query.status, role: query.role },
      query.limit ?? 50,
      query.cursor,
    );
  }

  @Post(':slug/members')
  @RequireCommunityRole(CommunityRole.CoChair)
  @ApiCreatedResponse({ type: MembershipView })
  async addMember(
    @CurrentCommunity() community: CommunityContext,
    @Body() body: AddMemberDto,
  ): Promise<MembershipView> {
    return toMembershipView(await this.memberships.add(community, body.email, body.role ?? CommunityRole.Member));
  }

  @Post(':slug/members/:userId/:decision')
  @RequireCommunityRole(CommunityRole.CoChair)
  @HttpCode(HttpStatus.OK)
  @ApiOkResponse({ type: MembershipView })
  async decide(
    @CurrentCommunity() community: CommunityContext,
    @Param() params: DecisionParamsDto,
  ): Promise<MembershipView> {
    return toMembershipView(
      await this.memberships.decide(community, params.userId, params.decision as MembershipDecision),
    );
  }

  @Patch(':slug/members/:userId/role')
  @RequireCommunityRole(CommunityRole.CoChair)
  @ApiOkResponse({ type: MembershipView })
  async changeRole(
    @CurrentCommunity() community: CommunityContext,
    @Param('userId', new ParseUUIDPipe()) userId: string,
    @Body() body: ChangeRoleDto,
  ): Promise<MembershipView> {
    return toMembershipView(await this.memberships.changeRole(community, userId, body.role));
  }

  @Get(':slug/audit')
  @RequireCommunityRole(CommunityRole.CoChair)
  @ApiOkResponse({ type: AuditPageView })
  async auditLog(
    @CurrentCommunity() community: CommunityContext,
    @Query() query: AuditQueryDto,
  ): Promise<AuditPageView> {
    return this.audit.listForCommunity(community.community.id, query.limit ?? 50, query.cursor);
  }

  /** The caller's own standing in the community (used by clients to decide what to show). */
  @Get(':slug/me')
  @RequireCommunityRole(CommunityRole.Member)
  @ApiOkResponse({ type: CommunityStandingView })
  async myStanding(@CurrentCommunity() community: CommunityContext): Promise<CommunityStandingView> {
    return {
      community: toCommunityView(community.community, hasRole(community, CommunityRole.CoChair)),
      role: community.role,
      isAdmin: community.isAdmin,
    };
  }
}
