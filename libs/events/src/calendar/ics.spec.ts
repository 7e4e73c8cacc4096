import ICAL from 'ical.js';
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
    const alarms = event.component
      .getAllSubcomponents('valarm')
      .map((a) => a.getFirstPropertyValue('trigger')!.toString());
    expect(alarms).toEqual(['-P1D', '-PT1H']);
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
