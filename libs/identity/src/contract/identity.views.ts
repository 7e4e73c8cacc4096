import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { CareerStage, CommunityRole, MembershipStatus, Profession, Region } from '../db/enums';

/** Response shapes of identity's API: people, sign-ins, communities and memberships. */
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

export class TokenPairView {
  @ApiProperty() accessToken: string;
  @ApiProperty() refreshToken: string;
  @ApiProperty({ enum: ['Bearer'] }) tokenType: 'Bearer';
  @ApiProperty({ description: 'Seconds until the access token expires' }) expiresIn: number;
  @ApiProperty({ type: UserView }) user: UserView;
}

export class AcceptedView {
  @ApiProperty() message: string;
}

export class MyMembershipView {
  @ApiProperty() communityId: string;
  @ApiProperty() slug: string;
  @ApiProperty() name: string;
  @ApiProperty({ enum: MembershipStatus }) status: MembershipStatus;
  @ApiProperty({ enum: CommunityRole }) role: CommunityRole;
}

export class HandleSuggestionView {
  @ApiProperty({ description: 'A free handle made from the display name' }) handle: string;
}

export class MeView extends UserView {
  @ApiProperty({ type: [MyMembershipView] }) memberships: MyMembershipView[];
}

export class CommonCommunityView {
  @ApiProperty() slug: string;
  @ApiProperty() name: string;
}

export class ProfileCardView {
  @ApiProperty() userId: string;
  @ApiProperty() handle: string;
  @ApiProperty() displayName: string;
  @ApiProperty({ enum: Profession }) profession: Profession;
  @ApiProperty({ enum: CareerStage }) careerStage: CareerStage;
  @ApiProperty({ enum: Region }) region: Region;
  @ApiProperty({ type: [CommonCommunityView], description: 'Communities the viewer and this member both belong to' })
  communitiesInCommon: CommonCommunityView[];
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

export class CommunityListItemView extends CommunityView {
  @ApiProperty({ enum: MembershipStatus, nullable: true }) myStatus: MembershipStatus | null;
  @ApiProperty({ enum: CommunityRole, nullable: true }) myRole: CommunityRole | null;
  @ApiProperty() memberCount: number;
}

export class MemberView {
  @ApiProperty() userId: string;
  @ApiProperty() displayName: string;
  @ApiProperty({ description: 'For @mentions' }) handle: string;
  @ApiPropertyOptional({ description: 'Co-chairs only' }) email?: string;
  @ApiProperty({ enum: Profession }) profession: string;
  @ApiProperty({ enum: CareerStage }) careerStage: string;
  @ApiProperty({ enum: Region }) region: string;
  @ApiProperty() organisation: string;
  @ApiProperty({ enum: MembershipStatus }) status: MembershipStatus;
  @ApiProperty({ enum: CommunityRole }) role: CommunityRole;
  @ApiProperty() requestedAt: Date;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) decidedAt: Date | null;
}

export class MemberPageView {
  @ApiProperty({ type: [MemberView] }) items: MemberView[];
  @ApiProperty({ type: String, nullable: true }) nextCursor: string | null;
}

export class MembershipView {
  @ApiProperty() communityId: string;
  @ApiProperty() userId: string;
  @ApiProperty({ enum: MembershipStatus }) status: MembershipStatus;
  @ApiProperty({ enum: CommunityRole }) role: CommunityRole;
  @ApiProperty() requestedAt: string;
  @ApiProperty({ type: String, nullable: true }) decidedAt: string | null;
}

/** The caller's own standing in a community, so a client can decide what to offer. */
export class CommunityStandingView {
  @ApiProperty({ type: CommunityView }) community: CommunityView;
  @ApiProperty({ enum: CommunityRole }) role: CommunityRole;
  @ApiProperty() isAdmin: boolean;
}
