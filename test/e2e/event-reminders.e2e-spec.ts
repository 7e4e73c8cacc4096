import { once } from 'node:events';
import { createCommunity, createMember, eventually, TestStack, TestUser } from '@cophub/testing';

const HOUR = 3_600_000;

/**
 * Reminders end to end: API, worker, BullMQ on Redis and a real SMTP server. The stack's clock is
 * shared by API and worker; an event starting "24 hours and a few seconds from now" makes the day
 * reminder due in a few real seconds, and moving the clock 23 hours on makes the hour reminder due.
 */
describe('event reminders', () => {
  let stack: TestStack;

  beforeAll(async () => {
    stack = await TestStack.start();
    // A January week: no clock change while the tests move time on, so "1 day" is exactly 24 hours.
    stack.clock.set(new Date('2027-01-11T09:00:00Z'));
  });

  afterAll(async () => {
    await stack?.close();
  });

  async function setUp(secondsUntilDayReminder: number) {
    const community = await createCommunity(stack);
    const coChair = await createMember(stack, community, 'co_chair');
    const member = await createMember(stack, community);
    const startsAt = new Date(stack.clock.now().getTime() + 24 * HOUR + secondsUntilDayReminder * 1000);
    const created = await stack
      .http()
      .post(`/api/v1/communities/${community.slug}/events`)
      .set('Authorization', `Bearer ${coChair.token}`)
      .send({
        title: 'Supervision skills workshop',
        startsAt: startsAt.toISOString(),
        endsAt: new Date(startsAt.getTime() + 2 * HOUR).toISOString(),
        locationKind: 'online',
        joinUrl: 'https://meet.example.nhs.uk/abc',
        reminderOffsets: [1440, 60],
      })
      .expect(201);
    const eventId: string = created.body.id;
    await stack
      .http()
      .put(`/api/v1/events/${eventId}/rsvp`)
      .set('Authorization', `Bearer ${member.token}`)
      .send({ status: 'going' })
      .expect(200);
    return { community, coChair, member, eventId, startsAt };
  }

  const reminders = (user: TestUser, text: string) =>
    stack.smtp!.to(user.email).filter((m) => m.subject.startsWith('Reminder:') && m.subject.includes(text));

  async function slots(eventId: string) {
    return stack.query<{ offset_minutes: number; status: string; schedule_version: number }>(
      'SELECT offset_minutes, status, schedule_version FROM event_reminder_slots WHERE event_id = $1 ORDER BY schedule_version, offset_minutes DESC',
      [eventId],
    );
  }

  it('sends the day and the hour reminders once each to a member going', async () => {
    const { member, eventId } = await setUp(3);
    await stack.smtp!.waitForMessageTo(member.email, 'starts in 1 day', 20_000);
    const mail = reminders(member, '1 day')[0];
    expect(mail.text).toContain('Supervision skills workshop');
    expect(mail.text).toContain('https://meet.example.nhs.uk/abc');
    const list = mail.headers.get('list') as { unsubscribe: { url: string } };
    expect(list.unsubscribe.url).toContain('k=event_reminder');

    stack.clock.advance(23 * HOUR);
    await stack.smtp!.waitForMessageTo(member.email, 'starts in 1 hour', 20_000);
    // Give any duplicate time to show up: the worker's scan runs every second.
    await new Promise((r) => setTimeout(r, 2500));
    expect(reminders(member, '1 day')).toHaveLength(1);
    expect(reminders(member, '1 hour')).toHaveLength(1);
    expect((await slots(eventId)).map((s) => s.status)).toEqual(['sent', 'sent']);
  });

  it('re-plans when the event moves: the old reminders never arrive and the new ones do', async () => {
    const { coChair, member, eventId, startsAt } = await setUp(4);
    // Move it two days later before the day reminder is due.
    const moved = new Date(startsAt.getTime() + 48 * HOUR);
    await stack
      .http()
      .patch(`/api/v1/events/${eventId}`)
      .set('Authorization', `Bearer ${coChair.token}`)
      .send({ startsAt: moved.toISOString(), endsAt: new Date(moved.getTime() + 2 * HOUR).toISOString() })
      .expect(200);
    const changed = await stack.smtp!.waitForMessageTo(member.email, 'Changed:');
    expect(changed.text).toMatch(/Time: .* GMT to .* GMT → .* GMT to .* GMT/);

    await new Promise((r) => setTimeout(r, 6000)); // past the old day reminder's time
    expect(reminders(member, '')).toHaveLength(0);
    expect((await slots(eventId)).filter((s) => s.schedule_version === 1).map((s) => s.status)).toEqual([
      'superseded',
      'superseded',
    ]);

    stack.clock.advance(48 * HOUR);
    await stack.smtp!.waitForMessageTo(member.email, 'starts in 1 day', 20_000);
    stack.clock.advance(23 * HOUR);
    await stack.smtp!.waitForMessageTo(member.email, 'starts in 1 hour', 20_000);
    await new Promise((r) => setTimeout(r, 2000));
    expect(reminders(member, '1 day')).toHaveLength(1);
    expect(reminders(member, '1 hour')).toHaveLength(1);
  });

  it('sends a cancellation and no reminder when the event is cancelled', async () => {
    const { coChair, member, eventId } = await setUp(3);
    await stack
      .http()
      .post(`/api/v1/events/${eventId}/cancel`)
      .set('Authorization', `Bearer ${coChair.token}`)
      .expect(200);
    const cancelled = await stack.smtp!.waitForMessageTo(member.email, 'Cancelled:');
    expect(cancelled.text).toContain('Supervision skills workshop');
    stack.clock.advance(23 * HOUR);
    await new Promise((r) => setTimeout(r, 5000));
    expect(reminders(member, '')).toHaveLength(0);
    expect(stack.smtp!.to(member.email).filter((m) => m.subject.startsWith('Cancelled:'))).toHaveLength(1);
    expect((await slots(eventId)).every((s) => s.status === 'superseded')).toBe(true);
  });

  it('marks a reminder missed, not sent, when the worker was down past its useful time', async () => {
    await stack.stopWorker();
    try {
      const { member, eventId } = await setUp(2);
      // The system "comes back" 23.5 hours later: the day reminder is 23.5 hours late.
      stack.clock.advance(23.5 * HOUR);
      await stack.startWorker();
      await eventually(async () => {
        const rows = await slots(eventId);
        return rows.find((s) => s.offset_minutes === 1440)?.status === 'missed';
      }, 'day reminder marked missed');
      expect(reminders(member, '1 day')).toHaveLength(0);
    } finally {
      await stack.startWorker();
    }
  });

  it('delivers exactly once after the worker is killed and Redis emptied between scheduling and sending', async () => {
    await stack.stopWorker();
    const child = stack.spawnWorkerProcess();
    try {
      const { member, eventId } = await setUp(8);
      // The reminder jobs exist in Redis now; kill the worker hard and empty Redis.
      await new Promise((r) => setTimeout(r, 1500));
      child.kill('SIGKILL');
      await once(child, 'exit');
      expect(await stack.flushRedis()).toBeGreaterThan(0);

      // A fresh worker rebuilds from PostgreSQL.
      await stack.startWorker();
      await stack.smtp!.waitForMessageTo(member.email, 'starts in 1 day', 30_000);
      stack.clock.advance(23 * HOUR);
      await stack.smtp!.waitForMessageTo(member.email, 'starts in 1 hour', 20_000);
      await new Promise((r) => setTimeout(r, 2500));
      expect(reminders(member, '1 day')).toHaveLength(1);
      expect(reminders(member, '1 hour')).toHaveLength(1);
      const deliveries = await stack.query<{ n: string }>(
        `SELECT count(*) AS n FROM event_reminder_deliveries d JOIN event_reminder_slots s ON s.id = d.slot_id
          WHERE s.event_id = $1`,
        [eventId],
      );
      expect(Number(deliveries[0].n)).toBe(2);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  });
});
