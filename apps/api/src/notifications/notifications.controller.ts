import { Body, Controller, Get, HttpCode, HttpStatus, Post, Put, Query } from '@nestjs/common';
import { ApiOkResponse, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsBoolean, IsEnum, IsIn, IsOptional, IsUUID, ValidateIf } from 'class-validator';
import { PageQueryDto } from '@cophub/core';
import { AuthUser, CurrentUser } from '@cophub/identity';
import { NotificationChannel, NotificationKind, NotificationService } from '@cophub/notifications';

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

@ApiTags('notifications')
@Controller('api/v1')
export class NotificationsController {
  constructor(private readonly notifications: NotificationService) {}

  @Get('notifications')
  @ApiOkResponse({ type: NotificationPageView })
  async list(@CurrentUser() user: AuthUser, @Query() query: NotificationQueryDto) {
    const [page, unread] = await Promise.all([
      this.notifications.list(user.id, query.limit ?? 20, query.cursor, query.unread ?? false),
      this.notifications.unreadCount(user.id),
    ]);
    return {
      unread,
      nextCursor: page.nextCursor,
      items: page.items.map((n): NotificationView => ({
        id: n.id,
        kind: n.kind,
        communityId: n.communityId,
        title: n.title,
        body: n.body,
        url: n.url,
        read: Boolean(n.readAt),
        createdAt: n.createdAt,
      })),
    };
  }

  @Post('notifications/read')
  @HttpCode(HttpStatus.OK)
  @ApiOkResponse({ type: MarkedReadView })
  async markRead(
    @CurrentUser() user: AuthUser,
    @Body() body: MarkReadDto,
  ): Promise<{ marked: number; unread: number }> {
    const marked = await this.notifications.markRead(user.id, body.all ? 'all' : (body.ids ?? []));
    return { marked, unread: await this.notifications.unreadCount(user.id) };
  }

  @Get('me/notification-preferences')
  @ApiOkResponse({ type: NotificationPreferencesDto })
  preferences(@CurrentUser() user: AuthUser) {
    return this.notifications.preferences(user.id);
  }

  @Put('me/notification-preferences')
  @ApiOkResponse({ type: NotificationPreferencesDto })
  async setPreferences(@CurrentUser() user: AuthUser, @Body() body: NotificationPreferencesDto) {
    await this.notifications.setPreferences(user.id, body);
    return this.notifications.preferences(user.id);
  }
}
