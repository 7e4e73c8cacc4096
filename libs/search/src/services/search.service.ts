import { Injectable } from '@nestjs/common';
import { CommonError, CommonErrorCode } from '@cophub/core';
import type { AuthUser, CommunityContext } from '@cophub/identity';
import type { SearchQueryDto } from '../contract/search.dto';
import { SearchHit } from '../domain/search.types';
import { SearchProviders } from '../hooks/search-providers';

/**
 * One search over everything a member may see in a community. Membership is checked by the route's guard;
 * each provider applies its own visibility rules (hidden posts, poll audiences) to the scope.
 */
@Injectable()
export class SearchService {
  constructor(private readonly providers: SearchProviders) {}

  search(
    user: AuthUser,
    community: CommunityContext,
    query: SearchQueryDto,
  ): Promise<{ items: SearchHit[]; nextCursor: string | null }> {
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
