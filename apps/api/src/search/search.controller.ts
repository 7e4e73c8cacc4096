import { Controller, Get, Query } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { CommonError, CommonErrorCode } from '@cophub/core';
import {
  AuthUser,
  CommunityContext,
  CommunityRole,
  CurrentCommunity,
  CurrentUser,
  RequireCommunityRole,
} from '@cophub/identity';
import { SearchProviders } from '@cophub/search';
import { SearchPageView, SearchQueryDto } from './dto/search.dto';

/**
 * One search over everything a member may see in a community. Membership is checked by the guard;
 * each provider applies its own visibility rules (hidden posts, poll audiences) to the scope.
 */
@ApiTags('search')
@Controller('api/v1/communities/:slug/search')
export class SearchController {
  constructor(private readonly providers: SearchProviders) {}

  @Get()
  @RequireCommunityRole(CommunityRole.Member)
  @ApiOkResponse({ type: SearchPageView })
  async search(
    @CurrentUser() user: AuthUser,
    @CurrentCommunity() community: CommunityContext,
    @Query() query: SearchQueryDto,
  ): Promise<SearchPageView> {
    if (query.from && query.to && query.from >= query.to) {
      throw new CommonError(CommonErrorCode.BadRequest, 'from must be before to');
    }
    // The searcher's profile (poll audiences) is read by the poll provider's own query.
    return this.providers.search(
      { user, communityId: community.community.id, role: community.role, isAdmin: community.isAdmin },
      { q: query.q, kinds: query.kinds, tag: query.tag, profession: query.profession, from: query.from, to: query.to },
      query.limit ?? 20,
      query.cursor,
    );
  }
}
