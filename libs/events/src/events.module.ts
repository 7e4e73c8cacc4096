import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuditModule } from '@cophub/audit';
import { IdentityModule } from '@cophub/identity';
import { MailModule } from '@cophub/mail';
import { NotificationsModule } from '@cophub/notifications';
import { RealtimeModule } from '@cophub/realtime';
import { AttendanceRepository } from './db/attendance.repository';
import { CpdActivity } from './db/cpd-activity.entity';
import { CpdRepository } from './db/cpd.repository';
import { CalendarFeedToken, EventAttendance } from './db/event-attendance.entity';
import { EventReminderDelivery, EventReminderSlot } from './db/event-reminder.entity';
import { EventRsvp } from './db/event-rsvp.entity';
import { CommunityEvent } from './db/event.entity';
import { EventsRepository } from './db/events.repository';
import { RemindersRepository } from './db/reminders.repository';
import { RsvpsRepository } from './db/rsvps.repository';
import { EventAccountHooks } from './hooks/event-account-hooks';
import { EventRooms } from './hooks/event-rooms';
import { EventSearchProvider } from './hooks/event-search.provider';
import { EventPolicy } from './policies/event.policy';
import { AttendanceService } from './services/attendance.service';
import { CalendarService } from './services/calendar.service';
import { CpdService } from './services/cpd.service';
import { EventReadingService } from './services/event-reading.service';
import { EventsService } from './services/events.service';
import { ReminderPlanner } from './services/reminder-planner.service';
import { RsvpService } from './services/rsvp.service';
import { Waitlist } from './services/waitlist';

export const EVENT_ENTITIES = [
  CommunityEvent,
  EventRsvp,
  EventReminderSlot,
  EventReminderDelivery,
  EventAttendance,
  CalendarFeedToken,
  CpdActivity,
];

/** The repositories: every statement of the module. */
export const EVENT_REPOSITORIES = [
  EventsRepository,
  RsvpsRepository,
  RemindersRepository,
  AttendanceRepository,
  CpdRepository,
];

/** Producer side: events, RSVPs, calendars, attendance. Imported by the API. */
@Module({
  imports: [
    // The entities declare the schema (migrations are generated from them); every statement is in db/.
    TypeOrmModule.forFeature(EVENT_ENTITIES),
    AuditModule,
    IdentityModule,
    MailModule,
    NotificationsModule,
    RealtimeModule,
  ],
  providers: [
    ...EVENT_REPOSITORIES,
    EventsService,
    EventReadingService,
    RsvpService,
    Waitlist,
    ReminderPlanner,
    AttendanceService,
    CpdService,
    CalendarService,
    EventPolicy,
    EventRooms,
    EventSearchProvider,
    EventAccountHooks,
  ],
  exports: [EventsService, EventReadingService, RsvpService, AttendanceService, CpdService, CalendarService],
})
export class EventsModule {}
