import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { AuditService } from '@cophub/audit';
import { isUniqueViolation } from '@cophub/core';
import { DataSource } from 'typeorm';
import { Community } from '../entities/community.entity';
import { CommunityRole, MembershipStatus, Region } from '../entities/enums';
import { IdentityError, IdentityErrorCode } from '../errors/identity.error';
import type { CommunityContext } from './community-access.service';
import { IdentityChanges } from './identity-changes';

export interface CommunityInput {
  slug: string;
  name: string;
  description?: string;
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
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly audit: AuditService,
    private readonly identityChanges: IdentityChanges,
  ) {}

  async create(actorId: string, input: CommunityInput): Promise<Community> {
    return this.dataSource
      .transaction(async (manager) => {
        const community = await manager.save(
          manager.create(Community, {
            ...input,
            slug: input.slug.toLowerCase(),
            autoApproveDomains: normaliseDomains(input.autoApproveDomains) ?? [],
          }),
        );
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
    const community = await this.dataSource.transaction(async (manager) => {
      const patch = { ...changes, autoApproveDomains: normaliseDomains(changes.autoApproveDomains) };
      const defined = Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined));
      if (Object.keys(defined).length) await manager.update(Community, { id: context.community.id }, defined);
      await this.audit.record(manager, {
        communityId: context.community.id,
        actorId: context.userId,
        action: 'community.updated',
        targetType: 'community',
        targetId: context.community.id,
        data: defined,
      });
      return manager.findOneByOrFail(Community, { id: context.community.id });
    });
    await this.identityChanges.announce({ kind: 'community', communityId: community.id });
    return community;
  }

  async findBySlug(slug: string): Promise<Community> {
    const community = await this.dataSource.getRepository(Community).findOneBy({ slug });
    if (!community) throw new IdentityError(IdentityErrorCode.CommunityNotFound, 'Community not found');
    return community;
  }

  /** Every community with the caller's standing in it: the directory people browse to ask to join. */
  async listFor(userId: string): Promise<CommunitySummary[]> {
    const rows: Array<{
      id: string;
      status: MembershipStatus | null;
      role: CommunityRole | null;
      member_count: string;
    }> = await this.dataSource.query(
      `SELECT c.id, m.status, m.role,
                (SELECT count(*) FROM memberships a WHERE a.community_id = c.id AND a.status = 'approved') AS member_count
           FROM communities c
           LEFT JOIN memberships m ON m.community_id = c.id AND m.user_id = $1
          ORDER BY c.name`,
      [userId],
    );
    const communities = await this.dataSource.getRepository(Community).find({ order: { name: 'ASC' } });
    const byId = new Map(communities.map((c) => [c.id, c]));
    return rows
      .filter((row) => byId.has(row.id))
      .map((row) => ({
        community: byId.get(row.id)!,
        myStatus: row.status,
        myRole: row.status === MembershipStatus.Approved ? row.role : null,
        memberCount: Number(row.member_count),
      }));
  }
}
