import { Body, Controller, Get, HttpCode, HttpStatus, Param, ParseUUIDPipe, Patch, Post, Query } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { CommunityContext, CommunityRole, CurrentCommunity, RequireCommunityRole } from '@cophub/identity';
import {
  DeclineSubmissionDto,
  ListSubmissionsQueryDto,
  MailSettingsDto,
  MailSettingsView,
  PublishResourceDto,
  PublishThreadDto,
  SubmissionDto,
  SubmissionPageDto,
  SubmissionService,
  SubmissionView,
  UpdateMailSettingsDto,
} from '@cophub/mail-in';

/** The co-chairs' review queue of what members shared by email, and the community's mail settings. */
@ApiTags('mail-in')
@Controller('api/v1/communities/:slug')
export class SubmissionsController {
  constructor(private readonly submissions: SubmissionService) {}

  @Get('mail-submissions')
  @RequireCommunityRole(CommunityRole.CoChair)
  @ApiOkResponse({ type: SubmissionPageDto })
  async list(
    @CurrentCommunity() community: CommunityContext,
    @Query() query: ListSubmissionsQueryDto,
  ): Promise<{ items: SubmissionView[]; nextCursor: string | null }> {
    return this.submissions.list(community, query.status, query.limit ?? 20, query.cursor);
  }

  @Get('mail-submissions/:id')
  @RequireCommunityRole(CommunityRole.CoChair)
  @ApiOkResponse({ type: SubmissionDto })
  get(
    @CurrentCommunity() community: CommunityContext,
    @Param('id', new ParseUUIDPipe()) id: string,
  ): Promise<SubmissionView> {
    return this.submissions.get(community, id);
  }

  @Post('mail-submissions/:id/publish-thread')
  @RequireCommunityRole(CommunityRole.CoChair)
  @HttpCode(HttpStatus.OK)
  @ApiOkResponse({ type: SubmissionDto })
  publishThread(
    @CurrentCommunity() community: CommunityContext,
    @Param('id', new ParseUUIDPipe()) id: string,
    @Body() body: PublishThreadDto,
  ): Promise<SubmissionView> {
    return this.submissions.publishThread(community, id, body);
  }

  @Post('mail-submissions/:id/publish-resource')
  @RequireCommunityRole(CommunityRole.CoChair)
  @HttpCode(HttpStatus.OK)
  @ApiOkResponse({ type: SubmissionDto })
  publishResource(
    @CurrentCommunity() community: CommunityContext,
    @Param('id', new ParseUUIDPipe()) id: string,
    @Body() body: PublishResourceDto,
  ): Promise<SubmissionView> {
    return this.submissions.publishResource(community, id, body);
  }

  @Post('mail-submissions/:id/decline')
  @RequireCommunityRole(CommunityRole.CoChair)
  @HttpCode(HttpStatus.OK)
  @ApiOkResponse({ type: SubmissionDto })
  decline(
    @CurrentCommunity() community: CommunityContext,
    @Param('id', new ParseUUIDPipe()) id: string,
    @Body() body: DeclineSubmissionDto,
  ): Promise<SubmissionView> {
    return this.submissions.decline(community, id, body.note);
  }

  @Get('mail-settings')
  @RequireCommunityRole(CommunityRole.CoChair)
  @ApiOkResponse({ type: MailSettingsDto })
  settings(@CurrentCommunity() community: CommunityContext): Promise<MailSettingsView> {
    return this.submissions.settings(community);
  }

  @Patch('mail-settings')
  @RequireCommunityRole(CommunityRole.CoChair)
  @ApiOkResponse({ type: MailSettingsDto })
  updateSettings(
    @CurrentCommunity() community: CommunityContext,
    @Body() body: UpdateMailSettingsDto,
  ): Promise<MailSettingsView> {
    return this.submissions.updateSettings(community, body);
  }
}
