import { Queue } from 'bullmq';
import Redis from 'ioredis';
import { DataSource } from 'typeorm';
import { EventJob } from '@cophub/events';
import {
  namedStatement,
  queryNamed,
  RequestDeadline,
  RequestDeadlineError,
  requestDeadlines,
  queueOf,
  SqlPort,
} from '@cophub/core';
import { createCommunity, createMember, TestCommunity, TestStack, TestUser } from '@cophub/testing';

const HOUR = 3_600_000;

/**
 * The two ways TypeORM answers `query()` (rows for INSERT … RETURNING, `[rows, count]` for UPDATE and
 * DELETE … RETURNING) once gave wrong numbers and lost job ids. These pin the behaviour users see.
 */
describe('statements whose results are read', () => {
  let stack: TestStack;
  let community: TestCommunity;
  let coChair: TestUser;
  let queue: Queue;
  let connection: Redis;

  beforeAll(async () => {
    stack = await TestStack.start({ worker: false, smtp: false });
    community = await createCommunity(stack);
    coChair = await createMember(stack, community, 'co_chair');
    connection = new Redis(stack.config.redisUrl, { maxRetriesPerRequest: null });
    queue = new Queue(queueOf(EventJob.Reminder), { connection, prefix: stack.config.queuePrefix });
  });

  afterAll(async () => {
    await queue?.close();
    connection?.disconnect();
    await stack?.close();
  });

  const inHours = (hours: number) => new Date(stack.clock.now().getTime() + hours * HOUR);

  async function createEvent(startsAt: Date, reminderOffsets = [1440, 60]): Promise<string> {
    const { body } = await stack
      .http()
      .post(`/api/v1/communities/${community.slug}/events`)
      .set('Authorization', `Bearer ${coChair.token}`)
      .send({
        title: 'Supervision skills workshop',
        startsAt: startsAt.toISOString(),
        endsAt: new Date(startsAt.getTime() + 2 * HOUR).toISOString(),
        locationKind: 'online',
        joinUrl: 'https://meet.example.nhs.uk/abc',
        reminderOffsets,
      })
      .expect(201);
    return body.id as string;
  }

  async function reminderJobs(eventId: string) {
    const slots = await stack.query<{ id: string; status: string }>(
      'SELECT id, status FROM event_reminder_slots WHERE event_id = $1',
      [eventId],
    );
    const jobs = await Promise.all(slots.map((s) => queue.getJob(`event-reminder-${s.id}`)));
    return slots.map((slot, i) => ({ ...slot, queued: Boolean(jobs[i]) }));
  }

  it('reports and audits the real number of attendance records removed', async () => {
    const attendees = await Promise.all([1, 2, 3].map(() => createMember(stack, community)));
    const eventId = await createEvent(inHours(0.25), []);
    stack.clock.advance(HOUR);
    const mark = (userIds: string[], attended: boolean) =>
      stack
        .http()
        .post(`/api/v1/events/${eventId}/attendance`)
        .set('Authorization', `Bearer ${coChair.token}`)
        .send({ userIds, attended })
        .expect(200);

    expect(
      (
        await mark(
          attendees.map((a) => a.id),
          true,
        )
      ).body,
    ).toEqual({ changed: 3 });
    // One of the three removed, and one who never attended: one record changes.
    const outsider = await createMember(stack, community);
    expect((await mark([attendees[0].id, outsider.id], false)).body).toEqual({ changed: 1 });
    expect((await mark([attendees[0].id], false)).body).toEqual({ changed: 0 });
    expect((await mark([attendees[1].id, attendees[2].id], false)).body).toEqual({ changed: 2 });

    const audit = await stack.query<{ action: string; data: { changed: number } }>(
      `SELECT action, data FROM audit_log WHERE target_id = $1 AND action LIKE 'event.attendance%' ORDER BY id`,
      [eventId],
    );
    expect(audit.map((a) => [a.action, a.data.changed])).toEqual([
      ['event.attendance_marked', 3],
      ['event.attendance_removed', 1],
      ['event.attendance_removed', 0],
      ['event.attendance_removed', 2],
    ]);
    const left = await stack.query('SELECT 1 FROM event_attendance WHERE event_id = $1', [eventId]);
    expect(left).toHaveLength(0);
  });

  it('removes the delayed reminder jobs of an event that moves, and of one that is cancelled', async () => {
    const startsAt = inHours(72);
    const eventId = await createEvent(startsAt);
    const planned = await reminderJobs(eventId);
    expect(planned).toHaveLength(2);
    expect(planned.every((s) => s.queued)).toBe(true);

    const moved = new Date(startsAt.getTime() + 24 * HOUR);
    await stack
      .http()
      .patch(`/api/v1/events/${eventId}`)
      .set('Authorization', `Bearer ${coChair.token}`)
      .send({ startsAt: moved.toISOString(), endsAt: new Date(moved.getTime() + 2 * HOUR).toISOString() })
      .expect(200);
    const afterMove = await reminderJobs(eventId);
    expect(afterMove.filter((s) => s.status === 'superseded').map((s) => s.queued)).toEqual([false, false]);
    expect(afterMove.filter((s) => s.status === 'pending').map((s) => s.queued)).toEqual([true, true]);

    await stack
      .http()
      .post(`/api/v1/events/${eventId}/cancel`)
      .set('Authorization', `Bearer ${coChair.token}`)
      .expect(200);
    const afterCancel = await reminderJobs(eventId);
    expect(afterCancel).toHaveLength(4);
    expect(afterCancel.every((s) => s.status === 'superseded' && !s.queued)).toBe(true);
  });

  it('prepares a named statement once per connection, answers as query() does, and keeps the request deadline', async () => {
    const dataSource = stack.api.get(DataSource);
    const statement = namedStatement('e2e_named_sum', 'SELECT $1::int + 1 AS n');
    const runner = dataSource.createQueryRunner();
    try {
      expect(await queryNamed(runner, statement, [1])).toEqual([{ n: 2 }]);
      expect(await queryNamed(runner, statement, [41])).toEqual([{ n: 42 }]);
      expect(await runner.query(`SELECT name FROM pg_prepared_statements WHERE name = 'e2e_named_sum'`)).toHaveLength(
        1,
      );
      // Through the port, a named statement answers to the request's deadline like any other.
      const sql = stack.api.get(SqlPort);
      expect(await sql.rows(statement, [2])).toEqual([{ n: 3 }]);
      const expired = new RequestDeadline(1, () => undefined);
      expired.expired = true;
      await expect(requestDeadlines.run(expired, () => sql.rows(statement, [1]))).rejects.toBeInstanceOf(
        RequestDeadlineError,
      );
    } finally {
      await runner.release();
    }
  });
});
