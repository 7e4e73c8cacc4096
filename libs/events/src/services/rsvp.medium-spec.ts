import { CommunityAccessService, CommunityRole } from '@cophub/identity';
import {
  countRows,
  createCommunity,
  createMember,
  MediumModule,
  mediumModule,
  TestCommunity,
  TestUser,
} from '@cophub/testing';
import { EventsJobsModule } from '../events.jobs.module';
import { EventsModule } from '../events.module';
import { EventLocationKind, EventVisibility, ReminderSlotStatus, RsvpStatus } from '../domain/enums';
import { EventsErrorCode } from '../errors/events.error';
import { ReminderDeliveryService } from '../jobs/reminder-delivery.service';
import { EventInput, EventsService } from './events.service';
import { RsvpService } from './rsvp.service';

const HOUR = 3_600_000;
const RSVP_TABLES = ['event_rsvps', 'mail_outbox', 'notifications', 'event_reminder_slots'];

/** RSVPs and the waitlist on a real database: capacity, arrival order, promotion, and what is written with them. */
describe('RSVPs and the waitlist', () => {
  let medium: MediumModule;
  let community: TestCommunity;
  let coChair: TestUser;
  let rsvps: RsvpService;
  let events: EventsService;

  beforeAll(async () => {
    medium = await mediumModule({ imports: [EventsModule, EventsJobsModule] });
    community = await createCommunity(medium);
    coChair = await createMember(medium, community, 'co_chair');
    rsvps = medium.get(RsvpService);
    events = medium.get(EventsService);
  });

  afterAll(async () => {
    await medium?.close();
  });

  const members = (n: number) => Promise.all(Array.from({ length: n }, () => createMember(medium, community)));

  async function createEvent(input: Partial<EventInput> = {}) {
    const now = medium.clock.now().getTime();
    const context = await medium
      .get(CommunityAccessService)
      .byId(medium.caller(coChair), community.id, CommunityRole.CoChair);
    return events.create(context, {
      title: 'Supervision skills workshop',
      description: 'Bring a case',
      startsAt: new Date(now + 48 * HOUR),
      endsAt: new Date(now + 50 * HOUR),
      locationKind: EventLocationKind.Online,
      joinUrl: 'https://meet.example.nhs.uk/workshop',
      venue: null,
      capacity: null,
      rsvpDeadline: null,
      visibility: EventVisibility.Members,
      audienceProfessions: [],
      audienceStages: [],
      cpdHours: 2,
      reminderOffsets: [1440, 60],
      ...input,
    });
  }

  const answer = (
    user: TestUser,
    eventId: string,
    status: RsvpStatus.Going | RsvpStatus.NotGoing,
    reminders?: boolean,
  ) => rsvps.respond(medium.caller(user), eventId, { status, reminders });

  /** Who is going and who waits, in order, with the event row's counters. */
  async function seats(eventId: string) {
    const list = await rsvps.attendees(community.id, eventId);
    const [counters] = await medium.query<{ going_count: number; waitlist_count: number }>(
      'SELECT going_count, waitlist_count FROM events WHERE id = $1',
      [eventId],
    );
    return {
      going: list
        .filter((a) => a.status === RsvpStatus.Going)
        .map((a) => a.userId)
        .sort(),
      waiting: list.filter((a) => a.status === RsvpStatus.Waitlisted).map((a) => a.userId),
      counters,
    };
  }

  const promotedNotices = (eventId: string) =>
    medium.query<{ user_id: string }>(
      `SELECT user_id FROM notifications WHERE kind = 'event_waitlist' AND url LIKE '%' || $1 || '%'`,
      [eventId],
    );

  it('fills the places, then waitlists in arrival order with each member told their place', async () => {
    const event = await createEvent({ capacity: 2 });
    const [a, b, c, d] = await members(4);
    expect(await answer(a, event.id, RsvpStatus.Going)).toMatchObject({ status: 'going', waitlistPlace: null });
    expect(await answer(b, event.id, RsvpStatus.Going)).toMatchObject({ status: 'going', waitlistPlace: null });
    expect(await answer(c, event.id, RsvpStatus.Going)).toMatchObject({ status: 'waitlisted', waitlistPlace: 1 });
    expect(await answer(d, event.id, RsvpStatus.Going)).toMatchObject({ status: 'waitlisted', waitlistPlace: 2 });
    // Answering "going" again changes nothing: no second place, no new confirmation.
    const before = await countRows(medium, RSVP_TABLES);
    expect(await answer(d, event.id, RsvpStatus.Going)).toMatchObject({ status: 'waitlisted', waitlistPlace: 2 });
    expect(await countRows(medium, RSVP_TABLES)).toEqual(before);

    expect(await seats(event.id)).toEqual({
      going: [a.id, b.id].sort(),
      waiting: [c.id, d.id],
      counters: { going_count: 2, waitlist_count: 2 },
    });
    // Each answer's confirmation was staged with it: "going" twice, "waitlisted" with the place.
    const mails = await medium.query<{ recipient: string; status: string; place: number | null }>(
      `SELECT recipient, params->>'status' AS status, (params->>'waitlistPlace')::int AS place FROM mail_outbox
        WHERE template = 'events.rsvp-confirmed' AND recipient = ANY($1) ORDER BY created_at`,
      [[a, b, c, d].map((u) => u.email)],
    );
    expect(mails).toEqual([
      { recipient: a.email, status: 'going', place: null },
      { recipient: b.email, status: 'going', place: null },
      { recipient: c.email, status: 'waitlisted', place: 1 },
      { recipient: d.email, status: 'waitlisted', place: 2 },
    ]);
  });

  it('holds the capacity when many answer at once: every other member waits, each in a place of their own', async () => {
    const event = await createEvent({ capacity: 3 });
    const crowd = await members(10);
    const answers = await Promise.all(crowd.map((m) => answer(m, event.id, RsvpStatus.Going)));
    expect(answers.filter((r) => r.status === RsvpStatus.Going)).toHaveLength(3);
    const places = answers.filter((r) => r.status === RsvpStatus.Waitlisted).map((r) => r.waitlistPlace);
    expect([...places].sort((x, y) => x! - y!)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    const { going, waiting, counters } = await seats(event.id);
    expect(going).toHaveLength(3);
    expect(waiting).toHaveLength(7);
    expect(counters).toEqual({ going_count: 3, waitlist_count: 7 });
  });

  it('gives a freed place to the head of the waitlist, and tells them', async () => {
    const event = await createEvent({ capacity: 1 });
    const [a, b, c] = await members(3);
    for (const m of [a, b, c]) await answer(m, event.id, RsvpStatus.Going);

    expect(await answer(a, event.id, RsvpStatus.NotGoing)).toMatchObject({ status: 'not_going' });
    expect(await seats(event.id)).toEqual({
      going: [b.id],
      waiting: [c.id],
      counters: { going_count: 1, waitlist_count: 1 },
    });
    expect(await rsvps.mine(c.id, event.id)).toMatchObject({ status: 'waitlisted', waitlistPlace: 1 });
    expect((await promotedNotices(event.id)).map((n) => n.user_id)).toEqual([b.id]);

    // Leaving the waitlist promotes nobody and frees no place.
    await answer(c, event.id, RsvpStatus.NotGoing);
    expect(await seats(event.id)).toEqual({
      going: [b.id],
      waiting: [],
      counters: { going_count: 1, waitlist_count: 0 },
    });
    expect(await promotedNotices(event.id)).toHaveLength(1);
  });

  it('promotes exactly one member when the same place is given back twice at once', async () => {
    const event = await createEvent({ capacity: 1 });
    const [a, b, c] = await members(3);
    for (const m of [a, b, c]) await answer(m, event.id, RsvpStatus.Going);

    await Promise.all([answer(a, event.id, RsvpStatus.NotGoing), answer(a, event.id, RsvpStatus.NotGoing)]);
    expect(await seats(event.id)).toEqual({
      going: [b.id],
      waiting: [c.id],
      counters: { going_count: 1, waitlist_count: 1 },
    });
    expect((await promotedNotices(event.id)).map((n) => n.user_id)).toEqual([b.id]);
  });

  it('promotes one member per place when two members cancel at once, in waitlist order', async () => {
    const event = await createEvent({ capacity: 2 });
    const [a, b, c, d, e] = await members(5);
    for (const m of [a, b, c, d, e]) await answer(m, event.id, RsvpStatus.Going);

    await Promise.all([answer(a, event.id, RsvpStatus.NotGoing), answer(b, event.id, RsvpStatus.NotGoing)]);
    expect(await seats(event.id)).toEqual({
      going: [c.id, d.id].sort(),
      waiting: [e.id],
      counters: { going_count: 2, waitlist_count: 1 },
    });
    expect((await promotedNotices(event.id)).map((n) => n.user_id).sort()).toEqual([c.id, d.id].sort());
  });

  it('going, then not going, then going again: the place went to the waitlist, so the member joins its end', async () => {
    const event = await createEvent({ capacity: 1 });
    const [a, b, c] = await members(3);
    for (const m of [a, b, c]) await answer(m, event.id, RsvpStatus.Going);

    await answer(a, event.id, RsvpStatus.NotGoing);
    expect(await answer(a, event.id, RsvpStatus.Going)).toMatchObject({ status: 'waitlisted', waitlistPlace: 2 });
    expect(await seats(event.id)).toEqual({
      going: [b.id],
      waiting: [c.id, a.id],
      counters: { going_count: 1, waitlist_count: 2 },
    });
    // One row per member and event, however often they change their mind.
    const [{ n }] = await medium.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM event_rsvps WHERE event_id = $1 AND user_id = $2',
      [event.id, a.id],
    );
    expect(n).toBe(1);

    // With room, going again takes a place straight away.
    const open = await createEvent();
    await answer(a, open.id, RsvpStatus.Going);
    await answer(a, open.id, RsvpStatus.NotGoing);
    expect(await answer(a, open.id, RsvpStatus.Going)).toMatchObject({ status: 'going', waitlistPlace: null });
  });

  it('refuses an answer once the event has started or was cancelled, and changes nothing', async () => {
    const [member, waiting] = await members(2);
    const started = await createEvent({ capacity: 1 });
    await answer(member, started.id, RsvpStatus.Going);
    await answer(waiting, started.id, RsvpStatus.Going);
    const cancelled = await createEvent();
    await answer(member, cancelled.id, RsvpStatus.Going);
    await events.cancel(medium.caller(coChair), cancelled.id, null);

    medium.clock.advance(49 * HOUR);
    try {
      const before = await countRows(medium, RSVP_TABLES);
      await expect(answer(member, started.id, RsvpStatus.NotGoing)).rejects.toMatchObject({
        code: EventsErrorCode.Started,
      });
      await expect(answer(waiting, started.id, RsvpStatus.NotGoing)).rejects.toMatchObject({
        code: EventsErrorCode.Started,
      });
      await expect(answer(member, cancelled.id, RsvpStatus.NotGoing)).rejects.toMatchObject({
        code: EventsErrorCode.Cancelled,
      });
      expect(await countRows(medium, RSVP_TABLES)).toEqual(before);
      expect(await seats(started.id)).toEqual({
        going: [member.id],
        waiting: [waiting.id],
        counters: { going_count: 1, waitlist_count: 1 },
      });
    } finally {
      medium.clock.advance(-49 * HOUR);
    }
  });

  it('plans reminders with the event, in its transaction, and sends each to the members going who want it', async () => {
    const event = await createEvent({ capacity: 2 });
    const slots = () =>
      medium.query<{ id: string; offset_minutes: number; status: string }>(
        'SELECT id, offset_minutes, status FROM event_reminder_slots WHERE event_id = $1 ORDER BY offset_minutes DESC',
        [event.id],
      );
    expect((await slots()).map((s) => [s.offset_minutes, s.status])).toEqual([
      [1440, 'pending'],
      [60, 'pending'],
    ]);

    // A refused change (capacity below those going) with a new start keeps the plan as it was: the
    // re-plan ran in the change's transaction and went with it.
    const [going, quiet, waiting] = await members(3);
    await answer(going, event.id, RsvpStatus.Going);
    await answer(quiet, event.id, RsvpStatus.Going, false);
    await answer(waiting, event.id, RsvpStatus.Going);
    const moved = new Date(event.startsAt.getTime() + 24 * HOUR);
    await expect(
      events.update(medium.caller(coChair), event.id, {
        capacity: 1,
        startsAt: moved,
        endsAt: new Date(moved.getTime() + 2 * HOUR),
      }),
    ).rejects.toMatchObject({ code: EventsErrorCode.CapacityBelowAttendees });
    const planned = await slots();
    expect(planned.map((s) => s.status)).toEqual(['pending', 'pending']);

    // When the day-before reminder is due it goes to the member going with reminders on: not to the
    // one who turned them off, nor to the waitlist; delivering it again stages nobody twice.
    medium.clock.advance(24 * HOUR);
    try {
      const deliver = medium.get(ReminderDeliveryService);
      expect(await deliver.deliver(planned[0].id)).toBe('sent');
      expect(await deliver.deliver(planned[0].id)).toBe('already_done');
    } finally {
      medium.clock.advance(-24 * HOUR);
    }
    const reminded = await medium.query<{ recipient: string }>(
      `SELECT recipient FROM mail_outbox WHERE template = 'events.reminder' AND dedupe_key LIKE $1`,
      [`event-reminder:${planned[0].id}:%`],
    );
    expect(reminded).toEqual([{ recipient: going.email }]);
    expect(await slots()).toEqual([
      expect.objectContaining({ offset_minutes: 1440, status: ReminderSlotStatus.Sent }),
      expect.objectContaining({ offset_minutes: 60, status: ReminderSlotStatus.Pending }),
    ]);
  });
});
