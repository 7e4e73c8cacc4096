import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  IsArray,
  IsEmail,
  IsEnum,
  IsFQDN,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  IsUUID,
  Length,
  Matches,
  Max,
  MaxLength,
  Min,
} from 'class-validator';
import { PageQueryDto } from '@cophub/core';
import { CareerStage, CommunityRole, MembershipStatus, Profession, Region } from '@cophub/identity';
import { CommunityView, MembershipView } from '../../common/views';

export class CreateCommunityDto {
  @ApiProperty({ example: 'north-west-cop' })
  @IsString()
  @Length(3, 60)
  @Matches(/^[a-z0-9]+(-[a-z0-9]+)*$/, {
    message: 'slug must be lower-case letters and digits separated by single hyphens',
  })
  slug: string;

  @ApiProperty({ example: 'North West Psychological Practitioner CoP' })
  @IsString()
  @Length(3, 120)
  name: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  description?: string;

  @ApiProperty({ enum: Region })
  @IsEnum(Region, { message: `region must be one of ${Object.values(Region).join(', ')}` })
  region: Region;

  @ApiPropertyOptional({ type: [String], example: ['nhs.net'] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @IsFQDN({}, { each: true, message: 'each auto-approve domain must be a domain name such as nhs.net' })
  autoApproveDomains?: string[];

  @ApiPropertyOptional({ minimum: 2, maximum: 100, default: 5 })
  @IsOptional()
  @IsInt()
  @Min(2)
  @Max(100)
  breakdownThreshold?: number;
}

export class UpdateCommunityDto {
  @ApiPropertyOptional() @IsOptional() @IsString() @Length(3, 120) name?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(2000) description?: string;
  @ApiPropertyOptional({ description: 'What the community is for' })
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  aims?: string;
  @ApiPropertyOptional({ description: 'Who it is for' }) @IsOptional() @IsString() @MaxLength(1000) audience?: string;
  @ApiPropertyOptional({ enum: Region }) @IsOptional() @IsEnum(Region) region?: Region;

  @ApiPropertyOptional({ type: [String] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @IsFQDN({}, { each: true, message: 'each auto-approve domain must be a domain name such as nhs.net' })
  autoApproveDomains?: string[];

  @ApiPropertyOptional({ minimum: 2, maximum: 100 })
  @IsOptional()
  @IsInt()
  @Min(2)
  @Max(100)
  breakdownThreshold?: number;
}

export class CommunityListItemView extends CommunityView {
  @ApiProperty({ enum: MembershipStatus, nullable: true }) myStatus: MembershipStatus | null;
  @ApiProperty({ enum: CommunityRole, nullable: true }) myRole: CommunityRole | null;
  @ApiProperty() memberCount: number;
}

export class ListMembersQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: MembershipStatus, default: MembershipStatus.Approved })
  @IsOptional()
  @IsEnum(MembershipStatus)
  status?: MembershipStatus;

  @ApiPropertyOptional({ enum: CommunityRole })
  @IsOptional()
  @IsEnum(CommunityRole)
  role?: CommunityRole;
}

export class ChangeRoleDto {
  @ApiProperty({ enum: CommunityRole })
  @IsEnum(CommunityRole, { message: `role must be one of ${Object.values(CommunityRole).join(', ')}` })
  role: CommunityRole;
}

export class AddMemberDto {
  @ApiProperty() @IsEmail() @MaxLength(254) email: string;

  @ApiPropertyOptional({ enum: CommunityRole, default: CommunityRole.Member })
  @IsOptional()
  @IsEnum(CommunityRole)
  role?: CommunityRole;
}

export const DECISIONS = ['approve', 'reject', 'suspend', 'reinstate'] as const;

export class DecisionParamsDto {
  @IsString() slug: string;
  @IsUUID('all', { message: 'userId must be a UUID' }) userId: string;

  @IsIn(DECISIONS as unknown as string[], { message: `decision must be one of ${DECISIONS.join(', ')}` })
  decision: (typeof DECISIONS)[number];
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

export class AuditEntryView {
  @ApiProperty() id: string;
  @ApiProperty({ type: String, nullable: true }) actorId: string | null;
  @ApiProperty() action: string;
  @ApiProperty() targetType: string;
  @ApiProperty({ type: String, nullable: true }) targetId: string | null;
  @ApiProperty({ type: 'object', additionalProperties: true }) data: Record<string, unknown>;
  @ApiProperty() createdAt: Date;
}

export class AuditPageView {
  @ApiProperty({ type: [AuditEntryView] }) items: AuditEntryView[];
  @ApiProperty({ type: String, nullable: true }) nextCursor: string | null;
}

export { MembershipView };

export class AuditQueryDto extends PageQueryDto {}

/** The caller's own standing in a community, so a client can decide what to offer. */
export class CommunityStandingView {
  @ApiProperty({ type: CommunityView }) community: CommunityView;
  @ApiProperty({ enum: CommunityRole }) role: CommunityRole;
  @ApiProperty() isAdmin: boolean;
}
