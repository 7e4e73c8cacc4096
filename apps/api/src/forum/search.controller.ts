import { Controller, Get, Query } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import {
  AuthUser,
  CommunityContext,
  CommunityRole,
  CurrentCommunity,
  CurrentUser,
  RequireCommunityRole,
  UserService,
} from '@cophub/identity';
import { SearchHit, SearchProviders } from '@cophub/search';
import { ForumSearchQueryDto } from './dto/forum.dto';

/** Forum-only search (threads and posts) through the same provider the unified search uses. */
@ApiTags('forum')
@Controller('api/v1/communities/:slug/forum/search')
export class ForumSearchController {
  constructor(
    private readonly search: SearchProviders,
    private readonly users: UserService,
  ) {}

  @Get()
  @RequireCommunityRole(CommunityRole.Member)
  @ApiOkResponse({ description: 'Ranked hits with <mark>-highlighted snippets' })
  async find(
    @CurrentUser() auth: AuthUser,
    @CurrentCommunity() community: CommunityContext,
    @Query() query: ForumSearchQueryDto,
  ): Promise<{ items: SearchHit[]; nextCursor: string | null }> {
    const user = await this.users.get(auth.id);
    return this.search.search(
      {
        user: auth,
        communityId: community.community.id,
        role: community.role,
        isAdmin: community.isAdmin,
        profession: user.profession,
        careerStage: user.careerStage,
        region: user.region,
      },
      { q: query.q, kinds: ['thread', 'post'] },
      query.limit ?? 20,
      query.cursor,
    );
  }
}
