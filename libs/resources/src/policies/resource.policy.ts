import { Injectable } from '@nestjs/common';
import { AuthUser, CommunityAccessService, CommunityContext, CommunityRole, hasRole } from '@cophub/identity';
import { ResourceContributorsRepository } from '../db/resource-contributors.repository';
import { ResourceError, ResourceErrorCode } from '../errors/resource.error';

/**
 * Who may do what with resources. Members of the community read and download; co-chairs, and
 * members a co-chair has made contributors, upload, edit, add versions and archive.
 */
@Injectable()
export class ResourcePolicy {
  constructor(
    private readonly access: CommunityAccessService,
    private readonly contributors: ResourceContributorsRepository,
  ) {}

  async canContribute(context: CommunityContext): Promise<boolean> {
    if (hasRole(context, CommunityRole.CoChair)) return true;
    return this.contributors.isContributor(context.community.id, context.userId);
  }

  async assertContributor(context: CommunityContext): Promise<void> {
    if (!(await this.canContribute(context))) {
      throw new ResourceError(
        ResourceErrorCode.ContributorRequired,
        `Only co-chairs of ${context.community.name} and members they allow can add or change resources`,
      );
    }
  }

  /**
   * For item routes (`/resources/:id`): the caller must be an approved member of the resource's
   * community. Anyone else is told the resource does not exist, so ids reveal nothing.
   */
  async memberContext(user: AuthUser, communityId: string): Promise<CommunityContext> {
    if (!(await this.access.allows(user, communityId, CommunityRole.Member))) {
      throw new ResourceError(ResourceErrorCode.NotFound, 'Resource not found');
    }
    return this.access.byId(user, communityId, CommunityRole.Member);
  }

  async contributorContext(user: AuthUser, communityId: string): Promise<CommunityContext> {
    const context = await this.memberContext(user, communityId);
    await this.assertContributor(context);
    return context;
  }
}
