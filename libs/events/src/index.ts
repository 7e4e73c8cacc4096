export {
  AttendanceMethod,
  CpdActivityKind,
  DEFAULT_REMINDER_OFFSETS,
  EVENT_TIME_ZONE,
  EventLocationKind,
  EventStatus,
  EventVisibility,
  RsvpStatus,
} from './domain/enums';
export { CommunityEvent } from './db/event.entity';
export { addToCalendarLinks } from './domain/add-to-calendar';
export { cpdCsv, cpdPrintPage } from './domain/cpd-export';
export { londonIso, reminderDueAt } from './domain/reminder-time';
export { EventPolicy } from './policies/event.policy';
export { AttendanceService } from './services/attendance.service';
export { CalendarService, icsFileName } from './services/calendar.service';
export { CPD_LIMITS, CpdService } from './services/cpd.service';
export type { CpdEntry } from './services/cpd.service';
export { EventsService } from './services/events.service';
export { RsvpService } from './services/rsvp.service';
export type { MyRsvp } from './services/rsvp.service';
export { EVENT_ENTITIES, EventsModule } from './events.module';
export { EventsJobsModule } from './events.jobs.module';
export {
  AttendanceDto,
  AttendeesView,
  CalendarQueryDto,
  CalendarView,
  CancelEventDto,
  ChangedView,
  CheckedInView,
  CheckInDto,
  CreateEventDto,
  EventPageView,
  EventView,
  FeedUrlView,
  ListEventsQueryDto,
  MyRsvpView,
  RsvpDto,
  UpdateEventDto,
} from './contract/event.dto';
export { parseInstant, toEventView } from './contract/event.views';
export {
  CpdEntryView,
  CpdRecordView,
  CpdReflectionDto,
  CreateCpdActivityDto,
  toCpdEntryView,
  UpdateCpdActivityDto,
} from './contract/cpd.dto';
