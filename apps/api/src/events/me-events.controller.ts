import { Controller, Delete, Get, HttpCode, HttpStatus, Param, Post, Res } from '@nestjs/common';
import { ApiOkResponse, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Clock } from '@cophub/core';
import { AttendanceService, CalendarService, cpdCsv, cpdPrintPage } from '@cophub/events';
import { AuthUser, CurrentUser, Public, UserService } from '@cophub/identity';

@ApiTags('events')
@Controller('api/v1')
export class MyEventsController {
  constructor(
    private readonly attendance: AttendanceService,
    private readonly calendars: CalendarService,
    private readonly users: UserService,
    private readonly clock: Clock,
  ) {}

  @Get('me/cpd')
  async cpd(@CurrentUser() user: AuthUser) {
    const entries = await this.attendance.cpdRecord(user.id);
    return {
      totalHours: Number(entries.reduce((sum, e) => sum + e.cpdHours, 0).toFixed(2)),
      entries: entries.map((e) => ({ ...e, startsAt: e.startsAt.toISOString(), endsAt: e.endsAt.toISOString() })),
    };
  }

  @Get('me/cpd.csv')
  @ApiProduces('text/csv')
  async cpdCsv(@CurrentUser() user: AuthUser, @Res() response: FastifyReply): Promise<void> {
    const entries = await this.attendance.cpdRecord(user.id);
    response
      .status(200)
      .header('Content-Type', 'text/csv; charset=utf-8')
      .header('Content-Disposition', 'attachment; filename="cpd-record.csv"')
      .send(cpdCsv(entries));
  }

  @Get('me/cpd/print')
  @ApiProduces('text/html')
  async cpdPrint(@CurrentUser() user: AuthUser, @Res() response: FastifyReply): Promise<void> {
    const [entries, profile] = await Promise.all([this.attendance.cpdRecord(user.id), this.users.get(user.id)]);
    response
      .status(200)
      .header('Content-Type', 'text/html; charset=utf-8')
      .header('Content-Security-Policy', "default-src 'none'; style-src 'unsafe-inline'")
      .send(cpdPrintPage(profile.displayName, entries, this.clock.now()));
  }

  /** Creates the caller's private calendar feed, or replaces it (the old URL stops working). */
  @Post('me/calendar-feed')
  @ApiOkResponse({ description: 'The feed URL; keep it private' })
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
