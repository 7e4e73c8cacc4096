import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsOptional,
  IsString,
  IsUUID,
  Length,
  Matches,
  MaxLength,
} from 'class-validator';
import { PageQueryDto } from '@cophub/core';
import { POST_MAX_LENGTH, TITLE_MAX_LENGTH } from '@cophub/forum';

const STATUSES = ['pending', 'held', 'publishing', 'published', 'declined'] as const;

export class ListSubmissionsQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: STATUSES, description: 'held: from non-members or failing authentication' })
  @IsOptional()
  @IsIn(STATUSES, { message: `status must be one of ${STATUSES.join(', ')}` })
  status?: (typeof STATUSES)[number];
}

export class PublishThreadDto {
  @ApiProperty({ format: 'uuid', description: 'Forum category of this community' }) @IsUUID() categoryId: string;
  @ApiPropertyOptional({ description: 'Defaults to the email subject' })
  @IsOptional()
  @IsString()
  @Length(1, TITLE_MAX_LENGTH)
  title?: string;
  @ApiPropertyOptional({ description: 'Markdown; defaults to the email body' })
  @IsOptional()
  @IsString()
  @Length(1, POST_MAX_LENGTH)
  body?: string;
  @ApiPropertyOptional({ description: 'A note to the sender' })
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  note?: string;
}

export class PublishResourceDto {
  @ApiPropertyOptional({ format: 'uuid', description: 'Which attachment (default: the first)' })
  @IsOptional()
  @IsUUID()
  attachmentId?: string;
  @ApiPropertyOptional({ format: 'uuid', description: 'Add as the next version of this resource instead of a new one' })
  @IsOptional()
  @IsUUID()
  resourceId?: string;
  @ApiPropertyOptional({ description: 'Defaults to the email subject' })
  @IsOptional()
  @IsString()
  @Length(1, 200)
  title?: string;
  @ApiPropertyOptional({ description: 'Markdown; defaults to the email body' })
  @IsOptional()
  @IsString()
  @MaxLength(20_000)
  description?: string;
  @ApiPropertyOptional({ type: [String] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(20)
  @IsString({ each: true })
  @MaxLength(40, { each: true })
  @Matches(/^[\p{L}\p{N}][\p{L}\p{N} -]*$/u, {
    each: true,
    message: 'each tag may hold letters, digits, spaces and hyphens',
  })
  @Transform(({ value }) =>
    Array.isArray(value) ? value.map((t) => (typeof t === 'string' ? t.toLowerCase() : t)) : value,
  )
  tags?: string[];
  @ApiPropertyOptional({ description: 'A note to the sender' })
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  note?: string;
}

export class DeclineSubmissionDto {
  @ApiProperty({ description: 'Why, for the sender' }) @IsString() @Length(1, 2000) note: string;
}

export class UpdateMailSettingsDto {
  @ApiPropertyOptional({ description: 'Take mail at the community addresses' })
  @IsOptional()
  @IsBoolean()
  enabled?: boolean;
  @ApiPropertyOptional({
    description:
      "Accept members' mail whose domain publishes no enforcing DMARC policy (a DMARC failure under p=quarantine or p=reject is never accepted)",
  })
  @IsOptional()
  @IsBoolean()
  acceptDmarcFailures?: boolean;
}

export class SubmissionAttachmentDto {
  @ApiProperty() id: string;
  @ApiProperty() fileName: string;
  @ApiProperty() kind: string;
  @ApiProperty() mediaType: string;
  @ApiProperty() sizeBytes: number;
  @ApiPropertyOptional({ type: String, nullable: true }) resourceId: string | null;
}

export class SubmissionSenderDto {
  @ApiPropertyOptional({ type: String, nullable: true }) id: string | null;
  @ApiPropertyOptional({ type: String, nullable: true }) displayName: string | null;
  @ApiProperty() address: string;
}

export class SubmissionDto {
  @ApiProperty() id: string;
  @ApiProperty({ enum: ['share', 'resources'] }) address: 'share' | 'resources';
  @ApiProperty({ enum: STATUSES }) status: string;
  @ApiPropertyOptional({ nullable: true, enum: ['not_a_member', 'authentication_failed', 'not_addressed_here'] })
  holdReason: string | null;
  @ApiProperty({ type: SubmissionSenderDto }) sender: SubmissionSenderDto;
  @ApiProperty({ type: [String], description: 'To as the sender wrote it' }) to: string[];
  @ApiProperty({ type: [String], description: 'Cc as the sender wrote it' }) cc: string[];
  @ApiProperty() subject: string;
  @ApiProperty() bodyText: string;
  @ApiProperty() receivedAt: string;
  @ApiProperty({ description: 'SPF, DKIM, DMARC and ARC results as received' })
  authentication: Record<string, unknown>;
  @ApiProperty({ type: [SubmissionAttachmentDto] }) attachments: SubmissionAttachmentDto[];
  @ApiPropertyOptional({ type: String, nullable: true }) decisionNote: string | null;
  @ApiPropertyOptional({ type: String, nullable: true }) decidedAt: string | null;
  @ApiPropertyOptional({ type: String, nullable: true }) threadId: string | null;
  @ApiPropertyOptional({ type: String, nullable: true }) resourceId: string | null;
}

export class SubmissionPageDto {
  @ApiProperty({ type: [SubmissionDto] }) items: SubmissionDto[];
  @ApiPropertyOptional({ type: String, nullable: true }) nextCursor: string | null;
}

export class MailAddressesDto {
  @ApiProperty() share: string;
  @ApiProperty() resources: string;
}

export class MailSettingsDto {
  @ApiProperty() enabled: boolean;
  @ApiProperty() acceptDmarcFailures: boolean;
  @ApiPropertyOptional({
    type: MailAddressesDto,
    nullable: true,
    description: 'null when inbound mail is not configured (MAIL_IN_DOMAIN)',
  })
  addresses: MailAddressesDto | null;
}
