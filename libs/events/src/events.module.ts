import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuditModule } from '@cophub/audit';
import { IdentityModule } from '@cophub/identity';
import { MailModule } from '@cophub/mail';
import { NotificationsModule } from '@cophub/notifications';
import { RealtimeModule } from '@cophub/realtime';
import { CalendarService } from './services/calendar.service';
import { CpdActivity } from './db/cpd-activity.entity';
import { CalendarFeedToken, EventAttendance } from './db/event-attendance.entity';
import { EventReminderDelivery, EventReminderSlot } from './db/event-reminder.entity';
import { EventRsvp } from './db/event-rsvp.entity';
import { CommunityEvent } from './db/event.entity';
import { AttendanceService } from './services/attendance.service';
import { CpdService } from './services/cpd.service';
import { EventAccountHooks } from './hooks/event-account-hooks';
import { EventPolicy } from './policies/event.policy';
import { EventRooms } from './hooks/event-rooms';
import { EventSearchProvider } from './hooks/event-search.provider';
import { EventsService } from './services/events.service';
import { ReminderPlanner } from './services/reminder-planner.service';
import { RsvpService } from './services/rsvp.service';

export const EVENT_ENTITIES = [
  CommunityEvent,
  EventRsvp,
  EventReminderSlot,
  EventReminderDelivery,
  EventAttendance,
  CalendarFeedToken,
  CpdActivity,
];

/** Producer side: events, RSVPs, calendars, attendance. Imported by the API. */
@Module({
  imports: [
    TypeOrmModule.forFeature(EVENT_ENTITIES),
    AuditModule,
    IdentityModule,
    MailModule,
    NotificationsModule,
    RealtimeModule,
  ],
  providers: [
    EventsService,
    RsvpService,
    ReminderPlanner,
    AttendanceService,
    CpdService,
    CalendarService,
    EventPolicy,
    EventRooms,
    EventSearchProvider,
    EventAccountHooks,
  ],
  exports: [EventsService, RsvpService, ReminderPlanner, AttendanceService, CpdService, CalendarService, EventPolicy],
})
export class EventsModule {}
