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
import { CommunityRole, MembershipStatus, Region } from '../db/enums';

/** Request bodies and queries of communities and their members. */
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
