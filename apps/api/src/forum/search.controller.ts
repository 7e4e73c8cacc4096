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
import { SearchHit, SearchProviders } from '@cophub/search';
import { ForumSearchQueryDto } from '@cophub/forum';

/** Forum-only search (threads and posts) through the same provider the unified search uses. */
@ApiTags('forum')
@Controller('api/v1/communities/:slug/forum/search')
export class ForumSearchController {
  constructor(private readonly search: SearchProviders) {}

  @Get()
  @RequireCommunityRole(CommunityRole.Member)
  @ApiOkResponse({ description: 'Ranked hits with <mark>-highlighted snippets' })
  async find(
    @CurrentUser() auth: AuthUser,
    @CurrentCommunity() community: CommunityContext,
    @Query() query: ForumSearchQueryDto,
  ): Promise<{ items: SearchHit[]; nextCursor: string | null }> {
    // Threads and posts do not depend on the searcher's profile, so it is not read.
    return this.search.search(
      { user: auth, communityId: community.community.id, role: community.role, isAdmin: community.isAdmin },
      { q: query.q, kinds: ['thread', 'post'] },
      query.limit ?? 20,
      query.cursor,
    );
  }
}
