import type { CareerStage, CommunityRole, EventLocationKind, MembershipStatus, Profession, Region } from '../api/types';

export const PROFESSIONS: Record<Profession, string> = {
  PWP: 'Psychological Wellbeing Practitioner (PWP)',
  CYWP: "Children and Young People's Wellbeing Practitioner (CYWP)",
  EMHP: 'Education Mental Health Practitioner (EMHP)',
  MHWP: 'Mental Health and Wellbeing Practitioner (MHWP)',
  other: 'Other psychological profession',
};

export const STAGES: Record<CareerStage, string> = {
  trainee: 'Trainee',
  qualified: 'Qualified',
  senior: 'Senior (supervisor, lead or trainer)',
};

export const REGIONS: Record<Region, string> = {
  north_east_and_yorkshire: 'North East and Yorkshire',
  north_west: 'North West',
  midlands: 'Midlands',
  east_of_england: 'East of England',
  london: 'London',
  south_east: 'South East',
  south_west: 'South West',
  national: 'National',
};

export const ROLES: Record<CommunityRole, string> = {
  member: 'Member',
  moderator: 'Moderator',
  co_chair: 'Co-chair',
};

export const STATUSES: Record<MembershipStatus, string> = {
  pending: 'Request pending',
  approved: 'Member',
  rejected: 'Request declined',
  suspended: 'Suspended',
};

export const LOCATIONS: Record<EventLocationKind, string> = {
  online: 'Online',
  in_person: 'In person',
};

export const MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];

const TIME_ZONE = 'Europe/London';

/** The parts of an instant on the London wall clock. */
function londonParts(date: Date): Record<string, string> {
  const parts = new Intl.DateTimeFormat('en-GB', {
    timeZone: TIME_ZONE,
    weekday: 'short',
    day: 'numeric',
    month: 'long',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(date);
  return Object.fromEntries(parts.map((p) => [p.type, p.value]));
}

/**
 * "GMT" or "BST", from the offset in force (ICU's own names vary: "GMT+1" on some systems). The zone
 * is what tells the two 01:30s apart on the night the clocks go back.
 */
export function londonZone(date: Date): 'GMT' | 'BST' {
  return londonOffset(date) === '+01:00' ? 'BST' : 'GMT';
}

/**
 * Dates and times are always shown in UK time, whatever the browser's zone, and written exactly as
 * the emails and calendar files write them: "Tue 27 October 2026, 10:00 GMT".
 */
export function formatDateTime(iso: string): string {
  const date = new Date(iso);
  const p = londonParts(date);
  return `${p.weekday} ${p.day} ${p.month} ${p.year}, ${p.hour}:${p.minute} ${londonZone(date)}`;
}

export function formatDate(iso: string): string {
  return new Intl.DateTimeFormat('en-GB', {
    timeZone: TIME_ZONE,
    day: 'numeric',
    month: 'long',
    year: 'numeric',
  }).format(new Date(iso));
}

/** "10:00 GMT". */
export function formatTime(iso: string): string {
  const date = new Date(iso);
  const p = londonParts(date);
  return `${p.hour}:${p.minute} ${londonZone(date)}`;
}

/** The UTC offset London has at a given instant, as "+01:00" (for turning form input into an instant). */
export function londonOffset(date: Date): string {
  const part = new Intl.DateTimeFormat('en-GB', { timeZone: TIME_ZONE, timeZoneName: 'longOffset' })
    .formatToParts(date)
    .find((p) => p.type === 'timeZoneName')?.value;
  const match = /GMT([+-]\d{2}:\d{2})/.exec(part ?? '');
  return match ? match[1] : '+00:00';
}

/**
 * A London wall-clock date and time from a form ("2025-10-26", "10:00") as an ISO instant with its
 * offset. The offset is the one in force at that wall time (checked twice around a clock change).
 */
export function londonInstant(date: string, time: string): string {
  const guess = new Date(`${date}T${time}:00Z`);
  let offset = londonOffset(guess);
  offset = londonOffset(new Date(`${date}T${time}:00${offset}`));
  return `${date}T${time}:00${offset}`;
}

/** Splits a London-local ISO string (`2025-10-26T10:00:00+00:00`) into form fields. */
export function localParts(localIso: string): { date: string; time: string } {
  return { date: localIso.slice(0, 10), time: localIso.slice(11, 16) };
}

/**
 * Every instant whose London wall clock reads `date` `time`: one on most days, two in the hour the
 * clocks go back (01:00–01:59 BST, then again in GMT), none in the hour they skip in spring. The
 * zone of each ("BST" or "GMT") is what a form asks the person to choose between.
 */
export function londonCandidates(date: string, time: string): Array<{ iso: string; zone: 'GMT' | 'BST' }> {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date) || !/^\d{2}:\d{2}$/.test(time)) return [];
  const found: Array<{ iso: string; zone: 'GMT' | 'BST' }> = [];
  for (const [offset, zone] of [
    ['+01:00', 'BST'],
    ['+00:00', 'GMT'],
  ] as const) {
    const instant = new Date(`${date}T${time}:00${offset}`);
    if (!Number.isNaN(instant.getTime()) && londonOffset(instant) === offset) {
      found.push({ iso: instant.toISOString(), zone });
    }
  }
  return found;
}

/** An instant as London form fields: "2026-10-25", "01:30" and the zone in force. */
export function londonFields(iso: string): { date: string; time: string; zone: 'GMT' | 'BST' } {
  const date = new Date(iso);
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-GB', {
      timeZone: TIME_ZONE,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    })
      .formatToParts(date)
      .map((p) => [p.type, p.value]),
  );
  return {
    date: `${parts.year}-${parts.month}-${parts.day}`,
    time: `${parts.hour}:${parts.minute}`,
    zone: londonZone(date),
  };
}
