import { DateTime } from 'luxon';
import { EVENT_TIME_ZONE } from './enums';

const DAY_MINUTES = 1440;

/**
 * When a reminder `offsetMinutes` before `startsAt` is due.
 *
 * Offsets in whole days are calendar days in Europe/London: "1 day before" a 10:00 meeting is 10:00
 * the day before, even across a clock change (then 23 or 25 hours elapse). Other offsets are exact
 * durations. This is RFC 5545's rule for durations (nominal days, exact hours), so the reminder lands
 * at the wall-clock time people expect and matches what their calendar apps do.
 */
export function reminderDueAt(startsAt: Date, offsetMinutes: number): Date {
  if (offsetMinutes > 0 && offsetMinutes % DAY_MINUTES === 0) {
    return DateTime.fromJSDate(startsAt, { zone: EVENT_TIME_ZONE })
      .minus({ days: offsetMinutes / DAY_MINUTES })
      .toJSDate();
  }
  return new Date(startsAt.getTime() - offsetMinutes * 60_000);
}

/**
 * How late a reminder may still go out: a quarter of its offset (at least 5 minutes), and never once
 * the event has started. A 1-hour reminder 40 minutes late, or any reminder after the start, is
 * marked missed instead of sent.
 */
export function reminderSendableUntil(dueAt: Date, offsetMinutes: number, startsAt: Date): Date {
  const grace = Math.max(5, offsetMinutes / 4) * 60_000;
  return new Date(Math.min(dueAt.getTime() + grace, startsAt.getTime()));
}

/** Europe/London wall-clock rendering of an instant, with its offset (e.g. `2025-10-26T10:00:00+00:00`). */
export function londonIso(instant: Date): string {
  return DateTime.fromJSDate(instant, { zone: EVENT_TIME_ZONE }).toISO({ suppressMilliseconds: true })!;
}

/** Offsets in words, for emails: 1440 → "1 day", 60 → "1 hour", 90 → "1 hour 30 minutes". */
export function offsetText(offsetMinutes: number): string {
  if (offsetMinutes % DAY_MINUTES === 0) {
    const days = offsetMinutes / DAY_MINUTES;
    return `${days} day${days === 1 ? '' : 's'}`;
  }
  const hours = Math.floor(offsetMinutes / 60);
  const minutes = offsetMinutes % 60;
  const parts = [];
  if (hours) parts.push(`${hours} hour${hours === 1 ? '' : 's'}`);
  if (minutes) parts.push(`${minutes} minute${minutes === 1 ? '' : 's'}`);
  return parts.join(' ');
}
