import { Controller, Delete, Get, HttpCode, HttpStatus, Param, Post, Res } from '@nestjs/common';
import { ApiOkResponse, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import {
  CalendarService,
  FeedUrlView,
} from '@cophub/events';
import { AuthUser, CurrentUser, Public } from '@cophub/identity';

@ApiTags('events')
@Controller('api/v1')
export class MyEventsController {
  constructor(private readonly calendars: CalendarService) {}

  /** Creates the caller's private calendar feed, or replaces it (the old URL stops working). */
  @Post('me/calendar-feed')
  @ApiOkResponse({ type: FeedUrlView })
  async rotateFeed(@CurrentUser() user: AuthUser): Promise<{ url: string }> {
    return { url: await this.calendars.rotateFeed(user.id) };
  }

  @Delete('me/calendar-feed')
  @HttpCode(HttpStatus.NO_CONTENT)
  async revokeFeed(@CurrentUser() user: AuthUser): Promise<void> {
    await this.calendars.revokeFeed(user.id);
  }

  /** The private feed itself: the secret in the URL is the credential, for calendar apps. */
  @Public()
  @Get('calendar/feeds/:token')
  @ApiProduces('text/calendar')
  async feed(@Param('token') tokenFile: string, @Res() response: FastifyReply): Promise<void> {
    const token = tokenFile.replace(/\.ics$/, '');
    const body = await this.calendars.privateFeed(token);
    response
      .status(200)
      .header('Content-Type', 'text/calendar; charset=utf-8')
      .header('Cache-Control', 'private, max-age=300')
      .send(body);
  }
}
