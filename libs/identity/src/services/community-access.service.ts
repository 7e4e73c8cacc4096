import { Injectable } from '@nestjs/common';
import { TtlCache } from '@cophub/core';
import { AccessRepository } from '../db/access.repository';
import { Community } from '../db/community.entity';
import { CommunityRole, MembershipStatus, ROLE_RANK } from '../db/enums';
import { IdentityError, IdentityErrorCode } from '../errors/identity.error';
import type { AuthUser } from './access-token.service';
import { IdentityChanges } from './identity-changes';
import { SessionService } from './session.service';

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

interface MembershipState {
  status: MembershipStatus | null;
  role: CommunityRole | null;
}

const COMMUNITY_CACHE_MS = 60_000;

/**
 * The one authorisation mechanism for everything inside a community: approved members with at least
 * the needed role pass; everyone else gets a 403 that says why. Used by the `CommunityGuard` for
 * `/communities/:slug/...` routes and by each module's policy for item routes (`/threads/:id`).
 *
 * Every request asks it, so its two lookups are cached per instance: communities by slug and id, and
 * each person's membership per community. `IdentityChanges` drops an entry when the membership, role or
 * suspension changes (at once here, through Redis on other instances); entries otherwise live as long
 * as session answers (`SessionService.cacheMs`).
 */
@Injectable()
export class CommunityAccessService {
  private readonly communities = new TtlCache<string, Community | null>(10_000);
  private readonly memberships = new TtlCache<string, MembershipState>();

  constructor(
    private readonly access: AccessRepository,
    private readonly sessions: SessionService,
    changes: IdentityChanges,
  ) {
    changes.subscribe((change) => {
      if (change.kind === 'all') {
        this.communities.clear();
        this.memberships.clear();
      } else if (change.kind === 'community') {
        this.communities.deleteWhere((_, community) => community?.id === change.communityId);
      } else if (change.kind === 'membership') {
        this.memberships.delete(membershipKey(change.userId, change.communityId));
      } else if (change.kind === 'user') {
        this.memberships.deleteWhere((key) => key.startsWith(`${change.userId}:`));
      }
    });
  }

  async bySlug(user: AuthUser, slug: string, need: CommunityRole): Promise<CommunityContext> {
    return this.check(user, await this.community('slug', slug), need);
  }

  async byId(user: AuthUser, communityId: string, need: CommunityRole): Promise<CommunityContext> {
    return this.check(user, await this.community('id', communityId), need);
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

  private async community(by: 'slug' | 'id', key: string): Promise<Community> {
    const cacheKey = `${by}:${key}`;
    let community = this.communities.get(cacheKey);
    if (community === undefined) {
      community = await this.access.community(by, key);
      // A community that does not exist is not cached: it may be created in a moment.
      if (community) this.communities.set(cacheKey, community, COMMUNITY_CACHE_MS);
    }
    if (!community) throw new IdentityError(IdentityErrorCode.CommunityNotFound, 'Community not found');
    return community;
  }

  private async membership(userId: string, communityId: string): Promise<MembershipState> {
    const key = membershipKey(userId, communityId);
    let state = this.memberships.get(key);
    if (!state) {
      state = (await this.access.membershipState(communityId, userId)) ?? { status: null, role: null };
      this.memberships.set(key, state, this.sessions.cacheMs());
    }
    return state;
  }

  private async check(user: AuthUser, community: Community, need: CommunityRole): Promise<CommunityContext> {
    const row = await this.membership(user.id, community.id);
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

function membershipKey(userId: string, communityId: string): string {
  return `${userId}:${communityId}`;
}

/** True when the context's role is at least `role`. Module policies build on this. */
export function hasRole(context: Pick<CommunityContext, 'role'>, role: CommunityRole): boolean {
  return ROLE_RANK[context.role] >= ROLE_RANK[role];
}
