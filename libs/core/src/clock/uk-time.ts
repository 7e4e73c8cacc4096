import { DateTime } from 'luxon';

/** Every time the product shows is UK time, whatever the reader's or the server's zone. */
export const UK_TIME_ZONE = 'Europe/London';

/**
 * "GMT" or "BST" for an instant. Spelled out from the offset rather than left to ICU data, which names
 * the zone "GMT+1" on some installs. The abbreviation is what makes the repeated autumn hour readable:
 * 01:30 BST and 01:30 GMT are an hour apart.
 */
export function ukZoneName(instant: Date): 'GMT' | 'BST' {
  return DateTime.fromJSDate(instant, { zone: UK_TIME_ZONE }).offset === 60 ? 'BST' : 'GMT';
}

function local(instant: Date): DateTime {
  return DateTime.fromJSDate(instant, { zone: UK_TIME_ZONE });
}

/** "10:00 GMT". */
export function ukTime(instant: Date): string {
  return `${local(instant).toFormat('HH:mm')} ${ukZoneName(instant)}`;
}

/** "Tue 27 October 2026". */
export function ukDate(instant: Date): string {
  return local(instant).toFormat('ccc d LLLL yyyy');
}

/** "Tue 27 October 2026, 10:00 GMT" — the one way a date and time is written in emails, .ics text and the app. */
export function ukDateTime(instant: Date): string {
  return `${ukDate(instant)}, ${ukTime(instant)}`;
}

/**
 * A start and end: "Tue 27 October 2026, 10:00 GMT to 11:30 GMT" on one day, both dates written out
 * otherwise. Each time carries its own zone, so an hour-long event in the repeated autumn hour reads
 * "01:30 BST to 01:30 GMT", never "1:30 am to 1:30 am".
 */
export function ukTimeRange(startsAt: Date, endsAt: Date): string {
  const sameDay = local(startsAt).hasSame(local(endsAt), 'day');
  return sameDay ? `${ukDateTime(startsAt)} to ${ukTime(endsAt)}` : `${ukDateTime(startsAt)} to ${ukDateTime(endsAt)}`;
}
