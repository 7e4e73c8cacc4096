import ICAL from 'ical.js';
import { reminderDueAt } from './reminder-time';
import { buildIcs, foldLine, IcsEvent } from './ics';

const base: IcsEvent = {
  uid: '6b1f0d8e-1111-4222-8333-944455556666@cophub',
  sequence: 0,
  startsAt: new Date('2025-10-25T22:00:00Z'), // 23:00 BST, Saturday 25 October
  endsAt: new Date('2025-10-26T02:00:00Z'), // 02:00 GMT, after the clocks went back
  summary: 'Night-shift peer support; supervision, Q&A',
  description: 'Line one\nLine two, with a comma',
  location: 'Online',
  url: 'http://cophub.test/events/1',
  cancelled: false,
  lastModified: new Date('2025-10-01T12:00:00Z'),
  alarms: [1440, 60],
};

function parse(text: string) {
  const component = new ICAL.Component(ICAL.parse(text));
  return { calendar: component, events: component.getAllSubcomponents('vevent').map((v) => new ICAL.Event(v)) };
}

describe('iCalendar output', () => {
  it('is read back by ical.js with exact instants across the October clock change', () => {
    const { calendar, events } = parse(buildIcs({ name: 'My events', events: [base], now: new Date() }));
    expect(calendar.getFirstPropertyValue('method')).toBe('PUBLISH');
    const [event] = events;
    expect(event.uid).toBe(base.uid);
    expect(event.startDate.toJSDate().toISOString()).toBe('2025-10-25T22:00:00.000Z');
    expect(event.endDate.toJSDate().toISOString()).toBe('2025-10-26T02:00:00.000Z');
    // Four real hours, although the London wall clock reads 23:00 → 02:00 (three hours).
    expect(event.duration.toSeconds()).toBe(4 * 3600);
    expect(event.summary).toBe(base.summary);
    expect(event.description).toBe(base.description);
    expect(event.sequence).toBe(0);
    expect(event.component.getAllSubcomponents('valarm')).toHaveLength(2);
  });

  it('fires "1 day before" at the same instant as the reminder email, across the October clock change', () => {
    // Sunday 26 October 2025, 10:00 GMT; the clocks went back that morning. The email goes at
    // 10:00 BST on Saturday (25 hours earlier), and so must the calendar's alarm.
    const startsAt = new Date('2025-10-26T10:00:00Z');
    const text = buildIcs({
      name: 'x',
      events: [{ ...base, startsAt, endsAt: new Date('2025-10-26T11:00:00Z'), alarms: [1440, 60] }],
      now: new Date(),
    });
    const [event] = parse(text).events;
    const fires = event.component.getAllSubcomponents('valarm').map((alarm) => {
      const trigger = alarm.getFirstProperty('trigger')!;
      expect(trigger.type).toBe('date-time');
      return (trigger.getFirstValue() as ICAL.Time).toJSDate().toISOString();
    });
    expect(fires).toEqual([reminderDueAt(startsAt, 1440).toISOString(), reminderDueAt(startsAt, 60).toISOString()]);
    expect(fires).toEqual(['2025-10-25T09:00:00.000Z', '2025-10-26T09:00:00.000Z']);
  });

  it('keeps every line break of a long description, folded at 75 octets and read back whole', () => {
    const description = `Agenda:\n1. Welcome\r\n2. ${'Supervision, caseloads; and role clarity '.repeat(4)}\n\nBring a café latte ☕`;
    const text = buildIcs({ name: 'x', events: [{ ...base, description }], now: new Date() });
    for (const line of text.split('\r\n')) expect(Buffer.byteLength(line)).toBeLessThanOrEqual(75);
    expect(text).toContain('DESCRIPTION:Agenda:\\n1. Welcome\\n2. ');
    const [event] = parse(text).events;
    expect(event.description).toBe(description.replace(/\r\n/g, '\n'));
  });

  it('marks a cancelled event and keeps its UID with a higher SEQUENCE', () => {
    const text = buildIcs({
      name: 'x',
      method: 'CANCEL',
      events: [{ ...base, sequence: 3, cancelled: true }],
      now: new Date(),
    });
    const { calendar, events } = parse(text);
    expect(calendar.getFirstPropertyValue('method')).toBe('CANCEL');
    expect(events[0].uid).toBe(base.uid);
    expect(events[0].sequence).toBe(3);
    expect(events[0].component.getFirstPropertyValue('status')).toBe('CANCELLED');
    expect(events[0].component.getAllSubcomponents('valarm')).toHaveLength(0);
  });

  it('folds long lines at 75 octets without splitting characters', () => {
    const line = `SUMMARY:${'é'.repeat(100)}`;
    const folded = foldLine(line);
    for (const part of folded.split('\r\n')) expect(Buffer.byteLength(part)).toBeLessThanOrEqual(75);
    expect(folded.split('\r\n ').join('')).toBe(line);
  });

  it('uses CRLF line endings throughout', () => {
    const text = buildIcs({ name: 'x', events: [base], now: new Date() });
    expect(text.split('\r\n').length).toBeGreaterThan(10);
    expect(text.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/);
  });
});
