import { Injectable } from '@nestjs/common';
import { AuditService } from '@cophub/audit';
import { SqlPort } from '@cophub/core';
import { CommunityContext } from '@cophub/identity';
import { ContributorRow, ResourceContributorsRepository } from '../db/resource-contributors.repository';
import { ResourceError, ResourceErrorCode } from '../errors/resource.error';

/**
 * Co-chairs let members add and change resources. The routes require a co-chair of the community (the
 * guard checks it before these run); a grant goes only to an approved member, and each change is audited.
 */
@Injectable()
export class ResourceContributorService {
  constructor(
    private readonly sql: SqlPort,
    private readonly contributors: ResourceContributorsRepository,
    private readonly audit: AuditService,
  ) {}

  list(context: CommunityContext): Promise<ContributorRow[]> {
    return this.contributors.list(context.community.id);
  }

  async grant(context: CommunityContext, userId: string): Promise<void> {
    const communityId = context.community.id;
    await this.sql.transaction(async (tx, manager) => {
      if (!(await this.contributors.grant(tx, communityId, userId, context.userId))) {
        if (!(await this.contributors.isApprovedMember(tx, communityId, userId))) {
          throw new ResourceError(ResourceErrorCode.UserNotMember, 'Only approved members can be made contributors');
        }
        return;
      }
      await this.audit.record(manager, {
        communityId,
        actorId: context.userId,
        action: 'resource.contributor_granted',
        targetType: 'user',
        targetId: userId,
      });
    });
  }

  async revoke(context: CommunityContext, userId: string): Promise<void> {
    await this.sql.transaction(async (tx, manager) => {
      if (await this.contributors.revoke(tx, context.community.id, userId)) {
        await this.audit.record(manager, {
          communityId: context.community.id,
          actorId: context.userId,
          action: 'resource.contributor_revoked',
          targetType: 'user',
          targetId: userId,
        });
      }
    });
  }
}
