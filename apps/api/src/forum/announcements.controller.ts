import { Body, Controller, Post } from '@nestjs/common';
import { ApiCreatedResponse, ApiParam, ApiTags } from '@nestjs/swagger';
import { AnnouncementService } from '@cophub/forum';
import { CommunityContext, CommunityRole, CurrentCommunity, RequireCommunityRole } from '@cophub/identity';
import { AnnouncementView, CreateAnnouncementDto } from '@cophub/forum';

@ApiTags('forum')
@ApiParam({ name: 'slug', description: 'The community' })
@Controller('api/v1')
export class ForumAnnouncementsController {
  constructor(private readonly announcements: AnnouncementService) {}

  @Post('communities/:slug/announcements')
  @RequireCommunityRole(CommunityRole.CoChair)
  @ApiCreatedResponse({
    type: AnnouncementView,
    description: 'Posted in the Announcements category and sent to the audience per their notification settings',
  })
  create(
    @CurrentCommunity() community: CommunityContext,
    @Body() body: CreateAnnouncementDto,
  ): Promise<AnnouncementView> {
    return this.announcements.announce(community, body);
  }
}
