import { reminderDueAt } from './reminder-time';

/**
 * RFC 5545 output. Times are written in UTC (`...Z`), which every client converts to its own zone, so
 * no VTIMEZONE is needed and clock changes cannot shift an event. UID is stable for the life of the
 * event, SEQUENCE grows with each change, and a cancelled event is sent with STATUS:CANCELLED (and
 * METHOD:CANCEL when it is the only event in the file).
 */
export interface IcsEvent {
  uid: string;
  sequence: number;
  startsAt: Date;
  endsAt: Date;
  summary: string;
  description: string;
  location: string;
  url: string;
  cancelled: boolean;
  lastModified: Date;
  /**
   * Reminder offsets in minutes before the start (the event's own), written as VALARMs that fire at
   * the same instants as the reminder emails.
   */
  alarms?: number[];
}

export interface IcsCalendar {
  name: string;
  events: IcsEvent[];
  /** `PUBLISH` for feeds and downloads; `CANCEL` for a single cancelled event. */
  method?: 'PUBLISH' | 'CANCEL';
  now: Date;
}

export function icsDate(date: Date): string {
  return date
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');
}

/** TEXT escaping (RFC 5545 §3.3.11): backslash, semicolon, comma, and every line break as `\n`. */
export function icsText(value: string): string {
  return value
    .replace(/\\/g, '\\\\')
    .replace(/;/g, '\\;')
    .replace(/,/g, '\\,')
    .replace(/\r\n|\r|\n/g, '\\n');
}

/** Folds a content line at 75 octets without splitting a UTF-8 character (§3.1). */
export function foldLine(line: string): string {
  const bytes = Buffer.from(line, 'utf8');
  if (bytes.length <= 75) return line;
  const parts: string[] = [];
  let start = 0;
  let limit = 75;
  while (start < bytes.length) {
    let end = Math.min(start + limit, bytes.length);
    // Step back off UTF-8 continuation bytes (10xxxxxx).
    while (end < bytes.length && (bytes[end] & 0xc0) === 0x80) end -= 1;
    parts.push(bytes.subarray(start, end).toString('utf8'));
    start = end;
    limit = 74; // continuation lines start with a space
  }
  return parts.join('\r\n ');
}

/**
 * An absolute trigger at the instant the reminder email is due. A relative `-P1D` would be read against
 * the UTC DTSTART, i.e. exactly 24 hours, while the email goes out at the same UK wall-clock time the
 * day before (23 or 25 hours across a clock change): the same rule, `reminderDueAt`, decides both.
 */
function alarmTrigger(startsAt: Date, offsetMinutes: number): string {
  return `TRIGGER;VALUE=DATE-TIME:${icsDate(reminderDueAt(startsAt, offsetMinutes))}`;
}

export function buildIcs(calendar: IcsCalendar): string {
  const method = calendar.method ?? 'PUBLISH';
  const lines = [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//CoP Hub//Events//EN',
    'CALSCALE:GREGORIAN',
    `METHOD:${method}`,
    `X-WR-CALNAME:${icsText(calendar.name)}`,
  ];
  for (const event of calendar.events) {
    lines.push(
      'BEGIN:VEVENT',
      `UID:${event.uid}`,
      `DTSTAMP:${icsDate(calendar.now)}`,
      `DTSTART:${icsDate(event.startsAt)}`,
      `DTEND:${icsDate(event.endsAt)}`,
      `SEQUENCE:${event.sequence}`,
      `SUMMARY:${icsText(event.summary)}`,
      `DESCRIPTION:${icsText(event.description)}`,
      `LOCATION:${icsText(event.location)}`,
      `URL:${event.url}`,
      `STATUS:${event.cancelled ? 'CANCELLED' : 'CONFIRMED'}`,
      `LAST-MODIFIED:${icsDate(event.lastModified)}`,
    );
    if (!event.cancelled) {
      for (const offset of event.alarms ?? []) {
        lines.push(
          'BEGIN:VALARM',
          'ACTION:DISPLAY',
          `DESCRIPTION:${icsText(event.summary)}`,
          alarmTrigger(event.startsAt, offset),
          'END:VALARM',
        );
      }
    }
    lines.push('END:VEVENT');
  }
  lines.push('END:VCALENDAR');
  return lines.map(foldLine).join('\r\n') + '\r\n';
}
