import { Injectable } from '@nestjs/common';
import { AuditService } from '@cophub/audit';
import { isUniqueViolation, SqlPort } from '@cophub/core';
import { CommunityRepository } from '../db/community.repository';
import { Community } from '../db/community.entity';
import { CommunityRole, MembershipStatus, Region } from '../db/enums';
import { IdentityError, IdentityErrorCode } from '../errors/identity.error';
import type { CommunityContext } from './community-access.service';
import { IdentityChanges } from './identity-changes';

export interface CommunityInput {
  slug: string;
  name: string;
  description?: string;
  aims?: string;
  audience?: string;
  region: Region;
  autoApproveDomains?: string[];
  breakdownThreshold?: number;
}

export interface CommunitySummary {
  community: Community;
  myStatus: MembershipStatus | null;
  myRole: CommunityRole | null;
  memberCount: number;
}

export function normaliseDomains(domains: string[] | undefined): string[] | undefined {
  return domains && [...new Set(domains.map((d) => d.trim().toLowerCase().replace(/^@/, '')))].sort();
}

@Injectable()
export class CommunityService {
  constructor(
    private readonly sql: SqlPort,
    private readonly communities: CommunityRepository,
    private readonly audit: AuditService,
    private readonly identityChanges: IdentityChanges,
  ) {}

  async create(actorId: string, input: CommunityInput): Promise<Community> {
    return this.sql
      .transaction(async (_tx, manager) => {
        const community = await this.communities.insert(manager, {
          ...input,
          slug: input.slug.toLowerCase(),
          autoApproveDomains: normaliseDomains(input.autoApproveDomains) ?? [],
        });
        await this.audit.record(manager, {
          communityId: community.id,
          actorId,
          action: 'community.created',
          targetType: 'community',
          targetId: community.id,
          data: { slug: community.slug, name: community.name },
        });
        return community;
      })
      .catch((error: unknown) => {
        if (isUniqueViolation(error, 'ux_communities_slug')) {
          throw new IdentityError(
            IdentityErrorCode.SlugTaken,
            `The address "${input.slug}" is already used by another community`,
          );
        }
        throw error;
      });
  }

  async update(context: CommunityContext, changes: Partial<Omit<CommunityInput, 'slug'>>): Promise<Community> {
    const community = await this.sql.transaction(async (_tx, manager) => {
      const patch = { ...changes, autoApproveDomains: normaliseDomains(changes.autoApproveDomains) };
      const defined = Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined));
      const updated = await this.communities.update(manager, context.community.id, defined);
      await this.audit.record(manager, {
        communityId: context.community.id,
        actorId: context.userId,
        action: 'community.updated',
        targetType: 'community',
        targetId: context.community.id,
        data: defined,
      });
      return updated;
    });
    await this.identityChanges.announce({ kind: 'community', communityId: community.id });
    return community;
  }

  async findBySlug(slug: string): Promise<Community> {
    const community = await this.communities.bySlug(slug);
    if (!community) throw new IdentityError(IdentityErrorCode.CommunityNotFound, 'Community not found');
    return community;
  }

  /** Every community with the caller's standing in it: the directory people browse to ask to join. */
  async listFor(userId: string): Promise<CommunitySummary[]> {
    const rows = await this.communities.standings(userId);
    const communities = await this.communities.all();
    const byId = new Map(communities.map((c) => [c.id, c]));
    return rows
      .filter((row) => byId.has(row.id))
      .map((row) => ({
        community: byId.get(row.id)!,
        myStatus: row.status,
        myRole: row.status === MembershipStatus.Approved ? row.role : null,
        memberCount: Number(row.memberCount),
      }));
  }
}
