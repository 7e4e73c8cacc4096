import type { Community } from '../db/community.entity';
import type { Membership } from '../db/membership.entity';
import type { User } from '../db/user.entity';
import type { TokenPair } from '../services/auth.service';
import { CommunityView, MembershipView, TokenPairView, UserView } from './identity.views';

/** The only way a user leaves the API: never the password hash. */
export function toUserView(user: User): UserView {
  return {
    id: user.id,
    email: user.email,
    displayName: user.displayName,
    handle: user.handle,
    profession: user.profession,
    careerStage: user.careerStage,
    region: user.region,
    organisation: user.organisation,
    emailVerified: Boolean(user.emailVerifiedAt),
    isAdmin: user.isAdmin,
    createdAt: user.createdAt.toISOString(),
  };
}

/** A sign-in's tokens with the person they belong to. */
export function toTokenPairView(pair: TokenPair): TokenPairView {
  return { ...pair, user: toUserView(pair.user) };
}

export function toCommunityView(community: Community, manages = false): CommunityView {
  return {
    id: community.id,
    slug: community.slug,
    name: community.name,
    description: community.description,
    aims: community.aims,
    audience: community.audience,
    region: community.region,
    breakdownThreshold: community.breakdownThreshold,
    ...(manages ? { autoApproveDomains: community.autoApproveDomains } : {}),
  };
}

export function toMembershipView(membership: Membership): MembershipView {
  return {
    communityId: membership.communityId,
    userId: membership.userId,
    status: membership.status,
    role: membership.role,
    requestedAt: membership.createdAt.toISOString(),
    decidedAt: membership.decidedAt?.toISOString() ?? null,
  };
}
