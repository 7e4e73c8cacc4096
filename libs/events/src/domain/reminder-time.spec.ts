import { londonIso, offsetText, reminderDueAt, reminderSendableUntil } from './reminder-time';

describe('reminder times', () => {
  it('puts a one-day reminder at the same London wall-clock time the day before, across the October change', () => {
    // Sunday 26 October 2025 10:00 GMT; the clocks went back at 02:00 BST that morning.
    const start = new Date('2025-10-26T10:00:00Z');
    const due = reminderDueAt(start, 1440);
    expect(londonIso(due)).toBe('2025-10-25T10:00:00+01:00');
    expect((start.getTime() - due.getTime()) / 3_600_000).toBe(25);
  });

  it('puts a one-day reminder at the same wall-clock time across the March change (23 hours elapse)', () => {
    const start = new Date('2025-03-30T09:00:00Z'); // 10:00 BST, the day the clocks went forward
    const due = reminderDueAt(start, 1440);
    expect(londonIso(due)).toBe('2025-03-29T10:00:00+00:00');
    expect((start.getTime() - due.getTime()) / 3_600_000).toBe(23);
  });

  it('treats hour offsets as exact durations', () => {
    const start = new Date('2025-10-26T10:00:00Z');
    expect(reminderDueAt(start, 60).toISOString()).toBe('2025-10-26T09:00:00.000Z');
    expect(reminderDueAt(start, 90).toISOString()).toBe('2025-10-26T08:30:00.000Z');
  });

  it('lets a reminder go out late by a quarter of its offset but never after the start', () => {
    const start = new Date('2025-06-01T10:00:00Z');
    const dayDue = reminderDueAt(start, 1440);
    expect(reminderSendableUntil(dayDue, 1440, start).toISOString()).toBe('2025-05-31T16:00:00.000Z');
    const hourDue = reminderDueAt(start, 60);
    expect(reminderSendableUntil(hourDue, 60, start).toISOString()).toBe('2025-06-01T09:15:00.000Z');
    const fiveMinuteDue = reminderDueAt(start, 5);
    expect(reminderSendableUntil(fiveMinuteDue, 5, start).toISOString()).toBe('2025-06-01T10:00:00.000Z');
  });

  it('words offsets for emails', () => {
    expect(offsetText(1440)).toBe('1 day');
    expect(offsetText(2880)).toBe('2 days');
    expect(offsetText(60)).toBe('1 hour');
    expect(offsetText(90)).toBe('1 hour 30 minutes');
  });
});
