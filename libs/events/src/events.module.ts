import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuditModule } from '@cophub/audit';
import { IdentityModule } from '@cophub/identity';
import { MailModule } from '@cophub/mail';
import { NotificationsModule } from '@cophub/notifications';
import { RealtimeModule } from '@cophub/realtime';
import { CalendarService } from './calendar/calendar.service';
import { CpdActivity } from './entities/cpd-activity.entity';
import { CalendarFeedToken, EventAttendance } from './entities/event-attendance.entity';
import { EventReminderDelivery, EventReminderSlot } from './entities/event-reminder.entity';
import { EventRsvp } from './entities/event-rsvp.entity';
import { CommunityEvent } from './entities/event.entity';
import { AttendanceService } from './services/attendance.service';
import { CpdService } from './services/cpd.service';
import { EventAccountHooks } from './services/event-account-hooks';
import { EventPolicy } from './services/event-policy.service';
import { EventRooms } from './services/event-rooms';
import { EventSearchProvider } from './services/event-search.provider';
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
