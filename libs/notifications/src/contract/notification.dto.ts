import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsBoolean, IsEnum, IsIn, IsOptional, IsUUID, ValidateIf } from 'class-validator';
import { PageQueryDto } from '@cophub/core';
import { NotificationChannel, NotificationKind } from '../domain/enums';

export class NotificationQueryDto extends PageQueryDto {
  @ApiPropertyOptional()
  @IsOptional()
  @Transform(({ value }) => value === 'true' || value === true)
  @IsBoolean()
  unread?: boolean;
}

export class MarkReadDto {
  @ApiPropertyOptional({ type: [String], description: 'Notification ids; omit with all=true' })
  @ValidateIf((o: MarkReadDto) => !o.all)
  @IsArray()
  @ArrayMaxSize(500)
  @IsUUID('all', { each: true })
  ids?: string[];

  @ApiPropertyOptional()
  @IsOptional()
  @IsIn([true], { message: 'all must be true when given' })
  all?: boolean;
}

export class NotificationView {
  @ApiProperty() id: string;
  @ApiProperty({ enum: NotificationKind }) kind: NotificationKind;
  @ApiProperty({ type: String, nullable: true }) communityId: string | null;
  @ApiProperty() title: string;
  @ApiProperty() body: string;
  @ApiProperty() url: string;
  @ApiProperty() read: boolean;
  @ApiProperty() createdAt: Date;
}

export class NotificationPageView {
  @ApiProperty({ type: [NotificationView] }) items: NotificationView[];
  @ApiProperty({ type: String, nullable: true }) nextCursor: string | null;
  @ApiProperty({ description: 'Unread notifications in all' }) unread: number;
}

export class MarkedReadView {
  @ApiProperty() marked: number;
  @ApiProperty() unread: number;
}

/** Channel per kind; every kind is optional in an update. */
export class NotificationPreferencesDto implements Partial<Record<NotificationKind, NotificationChannel>> {
  @ApiPropertyOptional({ enum: NotificationChannel })
  @IsOptional()
  @IsEnum(NotificationChannel)
  forum_reply?: NotificationChannel;
  @ApiPropertyOptional({ enum: NotificationChannel })
  @IsOptional()
  @IsEnum(NotificationChannel)
  forum_mention?: NotificationChannel;
  @ApiPropertyOptional({ enum: NotificationChannel })
  @IsOptional()
  @IsEnum(NotificationChannel)
  forum_quote?: NotificationChannel;
  @ApiPropertyOptional({ enum: NotificationChannel })
  @IsOptional()
  @IsEnum(NotificationChannel)
  event_update?: NotificationChannel;
  @ApiPropertyOptional({ enum: NotificationChannel })
  @IsOptional()
  @IsEnum(NotificationChannel)
  event_reminder?: NotificationChannel;
  @ApiPropertyOptional({ enum: NotificationChannel })
  @IsOptional()
  @IsEnum(NotificationChannel)
  event_waitlist?: NotificationChannel;
  @ApiPropertyOptional({ enum: NotificationChannel })
  @IsOptional()
  @IsEnum(NotificationChannel)
  event_rsvp?: NotificationChannel;
  @ApiPropertyOptional({ enum: NotificationChannel })
  @IsOptional()
  @IsEnum(NotificationChannel)
  poll_invitation?: NotificationChannel;
  @ApiPropertyOptional({ enum: NotificationChannel })
  @IsOptional()
  @IsEnum(NotificationChannel)
  poll_reminder?: NotificationChannel;
  @ApiPropertyOptional({ enum: NotificationChannel })
  @IsOptional()
  @IsEnum(NotificationChannel)
  poll_results?: NotificationChannel;
  @ApiPropertyOptional({ enum: NotificationChannel })
  @IsOptional()
  @IsEnum(NotificationChannel)
  membership?: NotificationChannel;
  @ApiPropertyOptional({ enum: NotificationChannel })
  @IsOptional()
  @IsEnum(NotificationChannel)
  moderation_flag?: NotificationChannel;
  @ApiPropertyOptional({ enum: NotificationChannel })
  @IsOptional()
  @IsEnum(NotificationChannel)
  announcement?: NotificationChannel;
  @ApiPropertyOptional({ enum: NotificationChannel })
  @IsOptional()
  @IsEnum(NotificationChannel)
  account?: NotificationChannel;
}
