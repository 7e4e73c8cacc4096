import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Community } from '../entities/community.entity';
import { CommunityRole, MembershipStatus, ROLE_RANK } from '../entities/enums';
import { IdentityError, IdentityErrorCode } from '../errors/identity.error';
import type { AuthUser } from './access-token.service';

/** What a request inside a community knows about where it is and who is asking. */
export interface CommunityContext {
  community: Community;
  userId: string;
  isAdmin: boolean;
  /** The caller's own role; admins act with co-chair powers in every community. */
  role: CommunityRole;
  /** The caller's membership status, or null for an admin who is not a member. */
  membershipStatus: MembershipStatus | null;
}

const ROLE_LABEL: Record<CommunityRole, string> = {
  [CommunityRole.Member]: 'member',
  [CommunityRole.Moderator]: 'moderator',
  [CommunityRole.CoChair]: 'co-chair',
};

interface AccessRow {
  id: string;
  slug: string;
  name: string;
  description: string;
  aims: string;
  audience: string;
  region: Community['region'];
  auto_approve_domains: string[];
  breakdown_threshold: number;
  created_at: Date;
  updated_at: Date;
  status: MembershipStatus | null;
  role: CommunityRole | null;
}

/**
 * The one authorisation mechanism for everything inside a community: approved members with at least
 * the needed role pass; everyone else gets a 403 that says why. Used by the `CommunityGuard` for
 * `/communities/:slug/...` routes and by each module's policy for item routes (`/threads/:id`).
 */
@Injectable()
export class CommunityAccessService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async bySlug(user: AuthUser, slug: string, need: CommunityRole): Promise<CommunityContext> {
    return this.check(user, 'c.slug = $1', slug, need);
  }

  async byId(user: AuthUser, communityId: string, need: CommunityRole): Promise<CommunityContext> {
    return this.check(user, 'c.id = $1', communityId, need);
  }

  /** Like `byId`, but answers "may they?" instead of throwing. */
  async allows(user: AuthUser, communityId: string, need: CommunityRole): Promise<boolean> {
    return this.byId(user, communityId, need).then(
      () => true,
      (error: unknown) => {
        if (error instanceof IdentityError) return false;
        throw error;
      },
    );
  }

  private async check(user: AuthUser, where: string, key: string, need: CommunityRole): Promise<CommunityContext> {
    const rows: AccessRow[] = await this.dataSource.query(
      `SELECT c.*, m.status, m.role
         FROM communities c
         LEFT JOIN memberships m ON m.community_id = c.id AND m.user_id = $2
        WHERE ${where}`,
      [key, user.id],
    );
    const row = rows[0];
    if (!row) throw new IdentityError(IdentityErrorCode.CommunityNotFound, 'Community not found');
    const community = Object.assign(new Community(), {
      id: row.id,
      slug: row.slug,
      name: row.name,
      description: row.description,
      aims: row.aims,
      audience: row.audience,
      region: row.region,
      autoApproveDomains: row.auto_approve_domains,
      breakdownThreshold: row.breakdown_threshold,
      createdAt: row.created_at,
      updatedAt: row.updated_at,
    });
    if (user.isAdmin) {
      return { community, userId: user.id, isAdmin: true, role: CommunityRole.CoChair, membershipStatus: row.status };
    }
    if (!row.status || row.status === MembershipStatus.Rejected) {
      throw new IdentityError(IdentityErrorCode.NotAMember, `You are not a member of ${community.name}`);
    }
    if (row.status === MembershipStatus.Pending) {
      throw new IdentityError(
        IdentityErrorCode.MembershipPending,
        `Your request to join ${community.name} is waiting for a co-chair's approval`,
      );
    }
    if (row.status === MembershipStatus.Suspended) {
      throw new IdentityError(
        IdentityErrorCode.MembershipSuspended,
        `Your membership of ${community.name} is suspended`,
      );
    }
    const role = row.role ?? CommunityRole.Member;
    if (ROLE_RANK[role] < ROLE_RANK[need]) {
      throw new IdentityError(
        IdentityErrorCode.RoleRequired,
        `Only a ${ROLE_LABEL[need]} of ${community.name} can do this`,
      );
    }
    return { community, userId: user.id, isAdmin: false, role, membershipStatus: row.status };
  }
}

/** True when the context's role is at least `role`. Module policies build on this. */
export function hasRole(context: Pick<CommunityContext, 'role'>, role: CommunityRole): boolean {
  return ROLE_RANK[context.role] >= ROLE_RANK[role];
}
