import { Body, Controller, Get, HttpCode, HttpStatus, Post, Put, Query } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { AuthUser, CurrentUser } from '@cophub/identity';
import {
  MarkedReadView,
  MarkReadDto,
  NotificationPreferencesDto,
  NotificationPageView,
  NotificationQueryDto,
  NotificationService,
  toNotificationView,
} from '@cophub/notifications';

@ApiTags('notifications')
@Controller('api/v1')
export class NotificationsController {
  constructor(private readonly notifications: NotificationService) {}

  @Get('notifications')
  @ApiOkResponse({ type: NotificationPageView })
  async list(@CurrentUser() user: AuthUser, @Query() query: NotificationQueryDto) {
    const { page, unread } = await this.notifications.inbox(
      user.id,
      query.limit ?? 20,
      query.cursor,
      query.unread ?? false,
    );
    return {
      unread,
      nextCursor: page.nextCursor,
      items: page.items.map(toNotificationView),
    };
  }

  @Post('notifications/read')
  @HttpCode(HttpStatus.OK)
  @ApiOkResponse({ type: MarkedReadView })
  async markRead(
    @CurrentUser() user: AuthUser,
    @Body() body: MarkReadDto,
  ): Promise<{ marked: number; unread: number }> {
    return this.notifications.markReadAndCount(user.id, body.all ? 'all' : (body.ids ?? []));
  }

  @Get('me/notification-preferences')
  @ApiOkResponse({ type: NotificationPreferencesDto })
  preferences(@CurrentUser() user: AuthUser) {
    return this.notifications.preferences(user.id);
  }

  @Put('me/notification-preferences')
  @ApiOkResponse({ type: NotificationPreferencesDto })
  setPreferences(@CurrentUser() user: AuthUser, @Body() body: NotificationPreferencesDto) {
    return this.notifications.updatePreferences(user.id, body);
  }
}
