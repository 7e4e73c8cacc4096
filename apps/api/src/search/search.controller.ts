import { Controller, Get, Query } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import {
  AuthUser,
  CommunityContext,
  CommunityRole,
  CurrentCommunity,
  CurrentUser,
  RequireCommunityRole,
} from '@cophub/identity';
import { SearchPageView, SearchQueryDto, SearchService } from '@cophub/search';

/**
 * One search over everything a member may see in a community. Membership is checked by the guard;
 * each provider applies its own visibility rules (hidden posts, poll audiences) to the scope.
 */
@ApiTags('search')
@Controller('api/v1/communities/:slug/search')
export class SearchController {
  constructor(private readonly searches: SearchService) {}

  @Get()
  @RequireCommunityRole(CommunityRole.Member)
  @ApiOkResponse({ type: SearchPageView })
  search(
    @CurrentUser() user: AuthUser,
    @CurrentCommunity() community: CommunityContext,
    @Query() query: SearchQueryDto,
  ): Promise<SearchPageView> {
    return this.searches.search(user, community, query);
  }
}
