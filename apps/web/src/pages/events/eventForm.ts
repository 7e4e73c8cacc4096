import type {
  CareerStage,
  CommunityEvent,
  EventInput,
  EventLocationKind,
  EventVisibility,
  Profession,
} from '../../api/types';
import type { FieldError } from '../../components/forms';
import { localParts, londonInstant } from '../../components/labels';

/** The event form's values, how they are checked, and how they become the API's input. */
export interface Values {
  title: string;
  description: string;
  date: string;
  startTime: string;
  endTime: string;
  locationKind: EventLocationKind | '';
  joinUrl: string;
  venue: string;
  capacity: string;
  visibility: EventVisibility;
  cpdHours: string;
  /** Chosen reminder offsets, minutes before the start. */
  reminders: number[];
  /** Offsets other than the presets that the event had (or the API's default has): offered as boxes too. */
  extraReminders: number[];
  /** A further reminder time, in `customUnit`s before the start (empty: none). */
  customAmount: string;
  customUnit: ReminderUnit;
  audienceProfessions: Profession[];
  audienceStages: CareerStage[];
  /** Replies close at this UK date and time (both empty: no deadline). */
  deadlineDate: string;
  deadlineTime: string;
}

export type ReminderUnit = 'minutes' | 'hours' | 'days';

export const UNIT_MINUTES: Record<ReminderUnit, number> = { minutes: 1, hours: 60, days: 1440 };

/** Reminder times offered as checkboxes, in minutes before the start. */
export const PRESET_REMINDERS: Array<[number, string]> = [
  [10080, '1 week before'],
  [1440, '1 day before'],
  [120, '2 hours before'],
  [30, '30 minutes before'],
];

export const MAX_REMINDERS = 5;

/** The API's default for a new event: a day and an hour before. */
export const DEFAULT_REMINDERS = [1440, 60];

/** "3 days before", "90 minutes before": how an offset is written back to the co-chair. */
export function reminderText(minutes: number): string {
  const preset = PRESET_REMINDERS.find(([m]) => m === minutes);
  if (preset) return preset[1];
  const [amount, unit] =
    minutes % 1440 === 0 ? [minutes / 1440, 'day'] : minutes % 60 === 0 ? [minutes / 60, 'hour'] : [minutes, 'minute'];
  return `${amount} ${unit}${amount === 1 ? '' : 's'} before`;
}

export const EMPTY: Values = {
  title: '',
  description: '',
  date: '',
  startTime: '',
  endTime: '',
  locationKind: '',
  joinUrl: '',
  venue: '',
  capacity: '',
  visibility: 'members',
  cpdHours: '',
  reminders: DEFAULT_REMINDERS,
  extraReminders: DEFAULT_REMINDERS.filter((m) => !PRESET_REMINDERS.some(([p]) => p === m)),
  customAmount: '',
  customUnit: 'hours',
  audienceProfessions: [],
  audienceStages: [],
  deadlineDate: '',
  deadlineTime: '',
};

export const FIELD_IDS = {
  title: 'title',
  description: 'description',
  startsAt: 'date',
  endsAt: 'endTime',
  locationKind: 'locationKind',
  joinUrl: 'joinUrl',
  venue: 'venue',
  capacity: 'capacity',
  visibility: 'visibility',
  cpdHours: 'cpdHours',
  reminderOffsets: 'reminder-10080',
  audienceProfessions: 'audienceProfessions',
  audienceStages: 'audienceStages',
  rsvpDeadline: 'deadlineDate',
};

export function fromEvent(event: CommunityEvent): Values {
  const start = localParts(event.startsAtLocal);
  const end = localParts(event.endsAtLocal);
  return {
    title: event.title,
    description: event.description,
    date: start.date,
    startTime: start.time,
    endTime: end.time,
    locationKind: event.locationKind,
    joinUrl: event.joinUrl ?? '',
    venue: event.venue ?? '',
    capacity: event.capacity === null ? '' : String(event.capacity),
    visibility: event.visibility,
    cpdHours: event.cpdHours ? String(event.cpdHours) : '',
    reminders: event.reminderOffsets,
    extraReminders: event.reminderOffsets.filter((m) => !PRESET_REMINDERS.some(([p]) => p === m)),
    customAmount: '',
    customUnit: 'hours',
    audienceProfessions: event.audienceProfessions as Profession[],
    audienceStages: event.audienceStages as CareerStage[],
    ...deadlineParts(event.rsvpDeadline),
  };
}

/** A stored deadline as the UK date and time the form shows. */
export function deadlineParts(iso: string | null): { deadlineDate: string; deadlineTime: string } {
  if (!iso) return { deadlineDate: '', deadlineTime: '' };
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-GB', {
      timeZone: 'Europe/London',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    })
      .formatToParts(new Date(iso))
      .map((p) => [p.type, p.value]),
  );
  return { deadlineDate: `${parts.year}-${parts.month}-${parts.day}`, deadlineTime: `${parts.hour}:${parts.minute}` };
}

/** The custom reminder in minutes, null when none was entered, NaN when it is not a whole number. */
export function customMinutes(v: Values): number | null {
  if (!v.customAmount.trim()) return null;
  const amount = Number(v.customAmount);
  return Number.isInteger(amount) ? amount * UNIT_MINUTES[v.customUnit] : NaN;
}

export function reminderOffsets(v: Values): number[] {
  const custom = customMinutes(v);
  const all = custom === null || Number.isNaN(custom) ? v.reminders : [...v.reminders, custom];
  return [...new Set(all)].sort((a, b) => b - a);
}

export function validate(v: Values): FieldError[] {
  const errors: FieldError[] = [];
  if (v.title.trim().length < 3) errors.push({ field: 'title', message: 'Enter a title of at least 3 characters' });
  if (!/^\d{4}-\d{2}-\d{2}$/.test(v.date)) errors.push({ field: 'date', message: 'Enter the date of the event' });
  if (!/^\d{2}:\d{2}$/.test(v.startTime)) errors.push({ field: 'startTime', message: 'Enter the start time' });
  if (!/^\d{2}:\d{2}$/.test(v.endTime)) errors.push({ field: 'endTime', message: 'Enter the end time' });
  else if (v.startTime && v.endTime <= v.startTime) {
    errors.push({ field: 'endTime', message: 'The end time must be after the start time' });
  }
  if (!v.locationKind)
    errors.push({ field: 'locationKind', message: 'Select whether the event is online or in person' });
  if (v.joinUrl && !/^https?:\/\/\S+$/.test(v.joinUrl)) {
    errors.push({ field: 'joinUrl', message: 'Enter a join link starting with https://' });
  }
  if (v.capacity && !(Number.isInteger(Number(v.capacity)) && Number(v.capacity) >= 1)) {
    errors.push({ field: 'capacity', message: 'Places must be a whole number, 1 or more' });
  }
  if (v.cpdHours && !(Number(v.cpdHours) >= 0 && Number(v.cpdHours) <= 100)) {
    errors.push({ field: 'cpdHours', message: 'CPD hours must be a number from 0 to 100' });
  }
  if (
    (v.deadlineDate || v.deadlineTime) &&
    !(/^\d{4}-\d{2}-\d{2}$/.test(v.deadlineDate) && /^\d{2}:\d{2}$/.test(v.deadlineTime))
  ) {
    errors.push({ field: 'deadlineDate', message: 'Enter both the date and the time replies close, or neither' });
  }
  const custom = customMinutes(v);
  if (custom !== null && !(custom >= 5 && custom <= 30 * 1440)) {
    errors.push({
      field: 'customAmount',
      message: 'Another reminder time must be a whole number, from 5 minutes to 30 days before',
    });
  } else if (reminderOffsets(v).length > MAX_REMINDERS) {
    errors.push({ field: 'reminder-10080', message: `Choose at most ${MAX_REMINDERS} reminder times` });
  }
  return errors;
}

export function toInput(v: Values): EventInput {
  return {
    title: v.title.trim(),
    description: v.description,
    startsAt: londonInstant(v.date, v.startTime),
    endsAt: londonInstant(v.date, v.endTime),
    locationKind: v.locationKind as EventLocationKind,
    joinUrl: v.joinUrl.trim() || null,
    venue: v.venue.trim() || null,
    capacity: v.capacity ? Number(v.capacity) : null,
    visibility: v.visibility,
    cpdHours: v.cpdHours ? Number(v.cpdHours) : 0,
    reminderOffsets: reminderOffsets(v),
    audienceProfessions: v.audienceProfessions,
    audienceStages: v.audienceStages,
    rsvpDeadline: v.deadlineDate && v.deadlineTime ? londonInstant(v.deadlineDate, v.deadlineTime) : null,
  };
}
