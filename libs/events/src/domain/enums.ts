export enum EventStatus {
  Scheduled = 'scheduled',
  Cancelled = 'cancelled',
}

export enum EventLocationKind {
  Online = 'online',
  InPerson = 'in_person',
}

export enum EventVisibility {
  /** Only the community's approved members see it. */
  Members = 'members',
  /** Also on the community's public calendar and feed (join links still only for those going). */
  Public = 'public',
}

export enum RsvpStatus {
  Going = 'going',
  Waitlisted = 'waitlisted',
  NotGoing = 'not_going',
}

export enum ReminderSlotStatus {
  Pending = 'pending',
  Sent = 'sent',
  /** Due while the system was down, and too late to be useful: not sent. */
  Missed = 'missed',
  /** The event moved, changed its reminders or was cancelled after this was planned. */
  Superseded = 'superseded',
}

export enum AttendanceMethod {
  Marked = 'marked',
  CheckIn = 'check_in',
}

/** The zone every event is shown and entered in. Times are stored in UTC. */
export const EVENT_TIME_ZONE = 'Europe/London';

/** Default reminders: one day (same wall-clock time the day before) and one hour before. */
export const DEFAULT_REMINDER_OFFSETS = [1440, 60];

/** CPD a member records themselves, beside the CoP events they attended. */
export enum CpdActivityKind {
  Course = 'course',
  Reading = 'reading',
  Supervision = 'supervision',
  Other = 'other',
}
