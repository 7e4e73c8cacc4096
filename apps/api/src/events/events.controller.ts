import {
  Body,
  Controller,
  Get,
  Header,
  HttpCode,
  Inject,
  HttpStatus,
  Param,
  ParseUUIDPipe,
  Patch,
  Post,
  Put,
  Query,
  Res,
} from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { APP_CONFIG, AppConfig } from '@cophub/core';
import {
  addToCalendarLinks,
  AttendanceDto,
  AttendanceService,
  AttendeesView,
  CalendarQueryDto,
  CalendarView,
  CancelEventDto,
  ChangedView,
  CheckedInView,
  CheckInDto,
  CreateEventDto,
  DEFAULT_REMINDER_OFFSETS,
  EventPageView,
  EventReadingService,
  EventsService,
  EventView,
  EventVisibility,
  ListEventsQueryDto,
  MyRsvpView,
  parseInstant,
  RsvpDto,
  RsvpService,
  toEventView,
  UpdateEventDto,
} from '@cophub/events';
import {
  AuthUser,
  CommunityContext,
  CommunityRole,
  CurrentCommunity,
  CurrentUser,
  hasRole,
  OptionalUser,
  Public,
  RequireCommunityRole,
} from '@cophub/identity';

@ApiTags('events')
@Controller('api/v1/communities/:slug/events')
export class CommunityEventsController {
  constructor(private readonly events: EventsService) {}

  @Post()
  @RequireCommunityRole(CommunityRole.CoChair)
  @ApiCreatedResponse({ type: EventView })
  async create(@CurrentCommunity() community: CommunityContext, @Body() body: CreateEventDto): Promise<EventView> {
    const event = await this.events.create(community, {
      title: body.title,
      description: body.description ?? '',
      startsAt: new Date(body.startsAt),
      endsAt: new Date(body.endsAt),
      locationKind: body.locationKind,
      joinUrl: body.joinUrl ?? null,
      venue: body.venue ?? null,
      capacity: body.capacity ?? null,
      rsvpDeadline: parseInstant(body.rsvpDeadline) ?? null,
      visibility: body.visibility ?? EventVisibility.Members,
      audienceProfessions: body.audienceProfessions ?? [],
      audienceStages: body.audienceStages ?? [],
      cpdHours: body.cpdHours ?? 0,
      reminderOffsets: body.reminderOffsets ?? DEFAULT_REMINDER_OFFSETS,
    });
    return toEventView(event, { canManage: true, myRsvp: null });
  }

  /** Upcoming events (those not yet ended), soonest first. */
  @Get()
  @RequireCommunityRole(CommunityRole.Member)
  @ApiOkResponse({ type: EventPageView })
  async list(
    @CurrentCommunity() community: CommunityContext,
    @Query() query: ListEventsQueryDto,
  ): Promise<EventPageView> {
    const page = await this.events.list(
      community.community.id,
      { from: parseInstant(query.from) ?? undefined, to: parseInstant(query.to) ?? undefined },
      query.limit ?? 20,
      query.cursor,
    );
    const canManage = hasRole(community, CommunityRole.CoChair);
    return { items: page.items.map((e) => toEventView(e, { canManage })), nextCursor: page.nextCursor };
  }

  /** The calendar for a year, or one month of it, grouped by month (UK time). */
  @Get('calendar')
  @RequireCommunityRole(CommunityRole.Member)
  @ApiOkResponse({ type: CalendarView })
  async calendar(@CurrentCommunity() community: CommunityContext, @Query() query: CalendarQueryDto) {
    const months = await this.events.calendar(community.community.id, query.year, query.month ?? null, false);
    const canManage = hasRole(community, CommunityRole.CoChair);
    return {
      year: query.year,
      months: months.map((m) => ({ month: m.month, events: m.events.map((e) => toEventView(e, { canManage })) })),
    };
  }
}

/** What anyone may see of a community's public calendar, without signing in. */
@ApiTags('events')
@Controller('api/v1/public/communities/:slug')
export class PublicEventsController {
  constructor(private readonly reading: EventReadingService) {}

  @Public()
  @Get('events')
  @ApiOkResponse({ type: EventPageView })
  async list(@Param('slug') slug: string, @Query() query: ListEventsQueryDto): Promise<EventPageView> {
    const page = await this.reading.publicList(
      slug,
      { from: parseInstant(query.from) ?? undefined, to: parseInstant(query.to) ?? undefined },
      query.limit ?? 20,
      query.cursor,
    );
    return { items: page.items.map((e) => toEventView(e, { canManage: false })), nextCursor: page.nextCursor };
  }

  @Public()
  @Get('events/calendar')
  @ApiOkResponse({ type: CalendarView })
  async calendar(@Param('slug') slug: string, @Query() query: CalendarQueryDto) {
    const months = await this.reading.publicCalendar(slug, query.year, query.month ?? null);
    return {
      year: query.year,
      months: months.map((m) => ({
        month: m.month,
        events: m.events.map((e) => toEventView(e, { canManage: false })),
      })),
    };
  }

  @Public()
  @Get('calendar.ics')
  @ApiProduces('text/calendar')
  @Header('Content-Type', 'text/calendar; charset=utf-8')
  @Header('Cache-Control', 'public, max-age=300')
  async feed(@Param('slug') slug: string): Promise<string> {
    return this.reading.publicFeed(slug);
  }
}

@ApiTags('events')
@Controller('api/v1/events/:id')
export class EventController {
  constructor(
    private readonly events: EventsService,
    private readonly reading: EventReadingService,
    private readonly rsvps: RsvpService,
    private readonly attendance: AttendanceService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Public()
  @Get()
  @ApiOkResponse({ type: EventView })
  async get(@OptionalUser() user: AuthUser | null, @Param('id', new ParseUUIDPipe()) id: string): Promise<EventView> {
    const { event, canManage, myRsvp } = await this.reading.read(user, id);
    return {
      ...toEventView(event, { canManage, myRsvp }),
      addToCalendar: addToCalendarLinks(event, this.config.publicUrl),
    };
  }

  @Patch()
  @ApiOkResponse({ type: EventView })
  async update(
    @CurrentUser() user: AuthUser,
    @Param('id', new ParseUUIDPipe()) id: string,
    @Body() body: UpdateEventDto,
  ): Promise<EventView> {
    const event = await this.events.update(user, id, {
      ...body,
      startsAt: parseInstant(body.startsAt) ?? undefined,
      endsAt: parseInstant(body.endsAt) ?? undefined,
      rsvpDeadline: parseInstant(body.rsvpDeadline),
    });
    return toEventView(event, { canManage: true });
  }

  @Post('cancel')
  @HttpCode(HttpStatus.OK)
  @ApiOkResponse({ type: EventView })
  async cancel(
    @CurrentUser() user: AuthUser,
    @Param('id', new ParseUUIDPipe()) id: string,
    @Body() body: CancelEventDto,
  ): Promise<EventView> {
    return toEventView(await this.events.cancel(user, id, body?.message ?? null), { canManage: true });
  }

  @Put('rsvp')
  @ApiOkResponse({
    type: MyRsvpView,
    description: 'The caller’s RSVP after the change, with their waitlist place if any',
  })
  async rsvp(@CurrentUser() user: AuthUser, @Param('id', new ParseUUIDPipe()) id: string, @Body() body: RsvpDto) {
    return this.rsvps.respond(user, id, body);
  }

  /** Who is going and the waitlist in order (co-chairs); members see counts on the event itself. */
  @Get('attendees')
  @ApiOkResponse({ type: AttendeesView })
  async attendees(@CurrentUser() user: AuthUser, @Param('id', new ParseUUIDPipe()) id: string) {
    return this.attendance.attendees(user, id);
  }

  @Post('attendance')
  @HttpCode(HttpStatus.OK)
  @ApiOkResponse({ type: ChangedView })
  async markAttendance(
    @CurrentUser() user: AuthUser,
    @Param('id', new ParseUUIDPipe()) id: string,
    @Body() body: AttendanceDto,
  ): Promise<{ changed: number }> {
    return { changed: await this.attendance.mark(user, id, body.userIds, body.attended ?? true) };
  }

  @Post('check-in')
  @HttpCode(HttpStatus.OK)
  @ApiOkResponse({ type: CheckedInView })
  async checkIn(
    @CurrentUser() user: AuthUser,
    @Param('id', new ParseUUIDPipe()) id: string,
    @Body() body: CheckInDto,
  ): Promise<{ checkedIn: true }> {
    await this.attendance.checkIn(user, id, body.code);
    return { checkedIn: true };
  }

  /** The event as an .ics file (RFC 5545); includes the join link only for someone going. */
  @Public()
  @Get('event.ics')
  @ApiProduces('text/calendar')
  async ics(
    @OptionalUser() user: AuthUser | null,
    @Param('id', new ParseUUIDPipe()) id: string,
    @Res() response: FastifyReply,
  ): Promise<void> {
    const { fileName, file } = await this.reading.calendarFile(user, id);
    response
      .status(200)
      .header('Content-Type', 'text/calendar; charset=utf-8')
      .header('Content-Disposition', `attachment; filename="${fileName}"`)
      .send(file);
  }
}
