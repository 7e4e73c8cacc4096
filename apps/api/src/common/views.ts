import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type { Community, Membership, User } from '@cophub/identity';
import { CareerStage, CommunityRole, MembershipStatus, Profession, Region } from '@cophub/identity';

export class UserView {
  @ApiProperty() id: string;
  @ApiProperty() email: string;
  @ApiProperty() displayName: string;
  @ApiProperty({ description: 'For @mentions; unique platform-wide, ignoring case' }) handle: string;
  @ApiProperty({ enum: Profession }) profession: Profession;
  @ApiProperty({ enum: CareerStage }) careerStage: CareerStage;
  @ApiProperty({ enum: Region }) region: Region;
  @ApiProperty() organisation: string;
  @ApiProperty() emailVerified: boolean;
  @ApiProperty() isAdmin: boolean;
  @ApiProperty() createdAt: string;
}

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

export class CommunityView {
  @ApiProperty() id: string;
  @ApiProperty() slug: string;
  @ApiProperty() name: string;
  @ApiProperty() description: string;
  @ApiProperty({ description: 'What the community is for' }) aims: string;
  @ApiProperty({ description: 'Who it is for' }) audience: string;
  @ApiProperty({ enum: Region }) region: Region;
  @ApiPropertyOptional({ type: [String], description: 'Shown to co-chairs and admins only' })
  autoApproveDomains?: string[];
  @ApiProperty() breakdownThreshold: number;
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

export class MembershipView {
  @ApiProperty() communityId: string;
  @ApiProperty() userId: string;
  @ApiProperty({ enum: MembershipStatus }) status: MembershipStatus;
  @ApiProperty({ enum: CommunityRole }) role: CommunityRole;
  @ApiProperty() requestedAt: string;
  @ApiProperty({ type: String, nullable: true }) decidedAt: string | null;
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
