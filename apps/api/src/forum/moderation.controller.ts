import { Body, Controller, Get, HttpCode, HttpStatus, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiNoContentResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { FlagPageView, FlagStatus, ModerationService } from '@cophub/forum';
import { CommunityContext, CommunityRole, CurrentCommunity, RequireCommunityRole } from '@cophub/identity';
import { FlagQueryDto, ResolveFlagDto } from '@cophub/forum';

@ApiTags('forum')
@Controller('api/v1/communities/:slug/moderation/flags')
export class ForumModerationController {
  constructor(private readonly moderation: ModerationService) {}

  @Get()
  @RequireCommunityRole(CommunityRole.Moderator)
  @ApiOkResponse({ type: FlagPageView, description: 'The moderation queue' })
  list(@CurrentCommunity() community: CommunityContext, @Query() query: FlagQueryDto): Promise<FlagPageView> {
    return this.moderation.flags(community, query.status ?? FlagStatus.Open, query.limit ?? 20, query.cursor);
  }

  @Post(':flagId/resolve')
  @RequireCommunityRole(CommunityRole.Moderator)
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiNoContentResponse()
  resolve(
    @CurrentCommunity() community: CommunityContext,
    @Param('flagId', new ParseUUIDPipe()) flagId: string,
    @Body() body: ResolveFlagDto,
  ): Promise<void> {
    return this.moderation.resolveFlag(community, flagId, body.action);
  }
}
