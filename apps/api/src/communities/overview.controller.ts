import { Body, Controller, Get, HttpCode, HttpStatus, Put } from '@nestjs/common';
import {
  ApiNoContentResponse,
  ApiOkResponse,
  ApiParam,
  ApiProperty,
  ApiPropertyOptional,
  ApiTags,
} from '@nestjs/swagger';
import { IsBoolean } from 'class-validator';
import { ThreadView } from '@cophub/forum';
import {
  EventView,
  toEventView,
} from '@cophub/events';
import { CommunityContext, CommunityRole, CurrentCommunity, hasRole, RequireCommunityRole } from '@cophub/identity';
import { OverviewService } from './overview.service';

export class KeyContactView {
  @ApiProperty() userId: string;
  @ApiProperty() displayName: string;
  @ApiProperty() role: string;
  @ApiProperty() profession: string;
  @ApiProperty() organisation: string;
}

export class PollToAnswerView {
  @ApiProperty() id: string;
  @ApiProperty() title: string;
  @ApiProperty({ type: String, nullable: true }) closesAt: string | null;
}

export class NewResourceView {
  @ApiProperty() id: string;
  @ApiProperty() title: string;
  @ApiProperty() createdAt: string;
}

export class OverviewView {
  @ApiProperty({ type: String, nullable: true, description: 'Start of the previous visit; null on the first' })
  since: string | null;
  @ApiProperty({ type: [KeyContactView] }) keyContacts: KeyContactView[];
  @ApiProperty({ type: [ThreadView], description: 'Threads with posts the member has not read' })
  unreadThreads: ThreadView[];
  @ApiProperty({ type: [EventView], description: 'Upcoming events, each with the member’s RSVP' })
  upcomingEvents: EventView[];
  @ApiProperty({ type: [PollToAnswerView] }) pollsToAnswer: PollToAnswerView[];
  @ApiProperty({ type: [NewResourceView], description: 'Resources added since the previous visit' })
  newResources: NewResourceView[];
  @ApiPropertyOptional({ description: 'Whether the caller is listed as a key contact (co-chairs)' })
  listedAsContact?: boolean;
}

export class ListedContactDto {
  @ApiProperty({ description: 'Name me as a key contact on the overview' }) @IsBoolean() listed: boolean;
}

/** The community's overview for a member: key contacts and what is new, in one request. */
@ApiTags('communities')
@ApiParam({ name: 'slug', description: 'The community' })
@Controller('api/v1/communities/:slug')
export class OverviewController {
  constructor(private readonly overview: OverviewService) {}

  @Get('overview')
  @RequireCommunityRole(CommunityRole.Member)
  @ApiOkResponse({ type: OverviewView })
  async get(@CurrentCommunity() community: CommunityContext): Promise<OverviewView> {
    const o = await this.overview.forMember(community);
    const canManage = hasRole(community, CommunityRole.CoChair);
    return {
      since: o.since?.toISOString() ?? null,
      keyContacts: o.keyContacts,
      unreadThreads: o.unreadThreads,
      upcomingEvents: o.upcomingEvents.map(({ event, myRsvp }) => toEventView(event, { canManage, myRsvp })),
      pollsToAnswer: o.pollsToAnswer.map((p) => ({ ...p, closesAt: p.closesAt?.toISOString() ?? null })),
      newResources: o.newResources.map((r) => ({ ...r, createdAt: r.createdAt.toISOString() })),
      listedAsContact: o.keyContacts.some((c) => c.userId === community.userId),
    };
  }

  /** A co-chair agrees (or stops agreeing) to be named as a key contact. */
  @Put('me/key-contact')
  @RequireCommunityRole(CommunityRole.CoChair)
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiNoContentResponse()
  async setListed(@CurrentCommunity() community: CommunityContext, @Body() body: ListedContactDto): Promise<void> {
    await this.overview.setListed(community, body.listed);
  }
}
