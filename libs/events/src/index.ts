export { DEFAULT_REMINDER_OFFSETS, EventVisibility } from './domain/enums';
export { CommunityEvent } from './db/event.entity';
export { addToCalendarLinks } from './domain/add-to-calendar';
export { cpdCsv, cpdPrintPage } from './domain/cpd-export';
export { reminderDueAt } from './domain/reminder-time';
export { AttendanceService } from './services/attendance.service';
export { CalendarService } from './services/calendar.service';
export { CpdService } from './services/cpd.service';
export { EventReadingService } from './services/event-reading.service';
export { EventsService } from './services/events.service';
export { RsvpService } from './services/rsvp.service';
export type { MyRsvp } from './services/rsvp.service';
export { EVENT_ENTITIES, EventsModule } from './events.module';
export { eventsMigrations } from './db/migrations';
export { EventsJobsModule } from './events.jobs.module';
export { EVENTS_QUEUE, EventJob } from './jobs/events.jobs';
export { EventLookupModule } from './event-lookup.module';
export { EventLookup } from './services/event-lookup.service';
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
