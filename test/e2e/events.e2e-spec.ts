import ICAL from 'ical.js';
import { CareerStage, CommunityRole, Profession, Region } from '@cophub/identity';
import { SearchProviders } from '@cophub/search';
import {
  addMembership,
  countRows,
  createCommunity,
  createMember,
  createUser,
  TestCommunity,
  TestStack,
  TestUser,
} from '@cophub/testing';

const HOUR = 3_600_000;
const EVENT_TABLES = ['events', 'event_rsvps', 'event_reminder_slots', 'event_attendance', 'mail_outbox'];

function parseIcs(text: string) {
  const calendar = new ICAL.Component(ICAL.parse(text));
  return { calendar, events: calendar.getAllSubcomponents('vevent').map((v) => new ICAL.Event(v)) };
}

describe('events', () => {
  let stack: TestStack;
  let community: TestCommunity;
  let coChair: TestUser;
  let member: TestUser;

  beforeAll(async () => {
    stack = await TestStack.start({ worker: false, smtp: false });
    community = await createCommunity(stack);
    coChair = await createMember(stack, community, 'co_chair');
    member = await createMember(stack, community);
  });

  afterAll(async () => {
    await stack?.close();
  });

  const inHours = (hours: number) => new Date(stack.clock.now().getTime() + hours * HOUR).toISOString();

  async function createEvent(body: Record<string, unknown> = {}, as: TestUser = coChair, slug = community.slug) {
    return stack
      .http()
      .post(`/api/v1/communities/${slug}/events`)
      .set('Authorization', `Bearer ${as.token}`)
      .send({
        title: 'PWP CoP quarterly meeting',
        description: 'Agenda: **career progression** and role clarity',
        startsAt: inHours(48),
        endsAt: inHours(50),
        locationKind: 'online',
        joinUrl: 'https://meet.example.nhs.uk/quarterly',
        cpdHours: 2,
        ...body,
      });
  }

  const rsvp = (eventId: string, user: TestUser, status: 'going' | 'not_going') =>
    stack.http().put(`/api/v1/events/${eventId}/rsvp`).set('Authorization', `Bearer ${user.token}`).send({ status });

  describe('creating and editing', () => {
    it('creates an event shown in UK time, with the join link hidden from members not going', async () => {
      const created = await createEvent({ startsAt: '2027-07-01T10:00:00+01:00', endsAt: '2027-07-01T12:00:00+01:00' });
      expect(created.status).toBe(201);
      expect(created.body.startsAt).toBe('2027-07-01T09:00:00.000Z');
      expect(created.body.startsAtLocal).toBe('2027-07-01T10:00:00+01:00');
      expect(created.body.descriptionHtml).toContain('<strong>career progression</strong>');
      expect(created.body.checkInCode).toMatch(/^[A-Z0-9]{6}$/);

      const asMember = await stack
        .http()
        .get(`/api/v1/events/${created.body.id}`)
        .set('Authorization', `Bearer ${member.token}`);
      expect(asMember.status).toBe(200);
      expect(asMember.body.joinUrl).toBeNull();
      expect(asMember.body.checkInCode).toBeUndefined();
      await rsvp(created.body.id, member, 'going').expect(200);
      const going = await stack
        .http()
        .get(`/api/v1/events/${created.body.id}`)
        .set('Authorization', `Bearer ${member.token}`);
      expect(going.body.joinUrl).toBe('https://meet.example.nhs.uk/quarterly');
      expect(going.body.myRsvp).toEqual({ status: 'going', waitlistPlace: null, reminders: true });
    });

    it.each([
      [
        'an end before the start',
        { startsAt: '2027-03-01T12:00:00Z', endsAt: '2027-03-01T11:00:00Z' },
        'end must be after',
      ],
      [
        'a start without an offset',
        { startsAt: '2027-03-01T12:00:00', endsAt: '2027-03-01T13:00:00Z' },
        'with an offset',
      ],
      ['a date alone', { startsAt: '2027-03-01', endsAt: '2027-03-02T13:00:00Z' }, 'with an offset'],
      ['an in-person event with no venue', { locationKind: 'in_person', joinUrl: undefined }, 'needs a venue'],
      ['a zero capacity', { capacity: 0 }, 'capacity'],
      ['an RSVP deadline after the start', { rsvpDeadline: inHoursStatic(100) }, 'deadline'],
      ['a javascript: join link', { joinUrl: 'javascript:alert(1)' }, 'joinUrl'],
      ['an unknown field', { colour: 'red' }, 'colour'],
      ['an empty title', { title: '' }, 'title'],
    ])('refuses %s with a 400 and stores nothing', async (_name, body, message) => {
      const before = await countRows(stack, EVENT_TABLES);
      const response = await createEvent(body);
      expect(response.status).toBe(400);
      expect(JSON.stringify(response.body.message)).toContain(message);
      expect(await countRows(stack, EVENT_TABLES)).toEqual(before);
    });

    it('refuses to lower the capacity below the members already going, changing nothing', async () => {
      const { body: event } = await createEvent({ capacity: 5 });
      const people = await Promise.all([1, 2, 3].map(() => createMember(stack, community)));
      for (const p of people) await rsvp(event.id, p, 'going').expect(200);
      const response = await stack
        .http()
        .patch(`/api/v1/events/${event.id}`)
        .set('Authorization', `Bearer ${coChair.token}`)
        .send({ capacity: 2, title: 'Renamed' });
      expect(response.status).toBe(409);
      expect(response.body.message).toContain('3 people already going');
      const [row] = await stack.query<{ capacity: number; title: string; sequence: number }>(
        'SELECT capacity, title, sequence FROM events WHERE id = $1',
        [event.id],
      );
      expect(row).toEqual({ capacity: 5, title: 'PWP CoP quarterly meeting', sequence: 0 });
    });
  });

  describe('RSVP', () => {
    it('gives 50 places to 200 members answering at once and waitlists the other 150 in order', async () => {
      const { body: event } = await createEvent({ capacity: 50 });
      const people: TestUser[] = [];
      for (let i = 0; i < 200; i += 1) people.push(await createMember(stack, community));
      const answers = await Promise.all(people.map((p) => rsvp(event.id, p, 'going')));
      expect(answers.filter((a) => a.status !== 200).map((a) => [a.status, a.body])).toEqual([]);
      expect(answers.filter((a) => a.body.status === 'going')).toHaveLength(50);
      const places = answers.filter((a) => a.body.status === 'waitlisted').map((a) => a.body.waitlistPlace);
      expect(places.sort((a, b) => a - b)).toEqual(Array.from({ length: 150 }, (_, i) => i + 1));

      const [row] = await stack.query<{ going_count: number; waitlist_count: number }>(
        'SELECT going_count, waitlist_count FROM events WHERE id = $1',
        [event.id],
      );
      expect(row).toEqual({ going_count: 50, waitlist_count: 150 });
      const going = await stack.query<{ n: string }>(
        "SELECT count(*) AS n FROM event_rsvps WHERE event_id = $1 AND status = 'going'",
        [event.id],
      );
      expect(Number(going[0].n)).toBe(50);

      // Withdrawals promote the head of the waitlist, in order.
      const waitlist = await stack.query<{ user_id: string }>(
        "SELECT user_id FROM event_rsvps WHERE event_id = $1 AND status = 'waitlisted' ORDER BY waitlist_position",
        [event.id],
      );
      const goingPeople = people.filter((_, i) => answers[i].body.status === 'going');
      for (const leaver of goingPeople.slice(0, 3)) await rsvp(event.id, leaver, 'not_going').expect(200);
      const promoted = await stack.query<{ user_id: string }>(
        "SELECT user_id FROM event_rsvps WHERE event_id = $1 AND status = 'going' AND user_id = ANY($2::uuid[])",
        [event.id, waitlist.slice(0, 3).map((w) => w.user_id)],
      );
      expect(promoted).toHaveLength(3);
      const fourth = people.find((p) => p.id === waitlist[3].user_id)!;
      const mine = await stack.http().get(`/api/v1/events/${event.id}`).set('Authorization', `Bearer ${fourth.token}`);
      expect(mine.body.myRsvp).toMatchObject({ status: 'waitlisted', waitlistPlace: 1 });
      expect(mine.body).toMatchObject({ goingCount: 50, waitlistCount: 147 });
      const mails = await stack.query<{ recipient: string }>(
        "SELECT recipient FROM mail_outbox WHERE template = 'events.promoted' AND recipient = ANY($1::text[])",
        [people.filter((p) => waitlist.slice(0, 3).some((w) => w.user_id === p.id)).map((p) => p.email)],
      );
      expect(mails).toHaveLength(3);

      // A waitlisted member leaving changes no one's place but their own.
      await rsvp(event.id, fourth, 'not_going').expect(200);
      const fifth = people.find((p) => p.id === waitlist[4].user_id)!;
      const fifthView = await stack
        .http()
        .get(`/api/v1/events/${event.id}`)
        .set('Authorization', `Bearer ${fifth.token}`);
      expect(fifthView.body.myRsvp).toMatchObject({ status: 'waitlisted', waitlistPlace: 1 });
    });

    it('promotes from the waitlist when the capacity is raised', async () => {
      const { body: event } = await createEvent({ capacity: 1 });
      const [a, b] = [await createMember(stack, community), await createMember(stack, community)];
      await rsvp(event.id, a, 'going').expect(200);
      expect((await rsvp(event.id, b, 'going')).body.status).toBe('waitlisted');
      await stack
        .http()
        .patch(`/api/v1/events/${event.id}`)
        .set('Authorization', `Bearer ${coChair.token}`)
        .send({ capacity: 2 })
        .expect(200);
      const view = await stack.http().get(`/api/v1/events/${event.id}`).set('Authorization', `Bearer ${b.token}`);
      expect(view.body.myRsvp.status).toBe('going');
    });

    it('refuses an RSVP after the deadline, to a cancelled event or to one that has started, changing nothing', async () => {
      const { body: closed } = await createEvent({
        rsvpDeadline: inHours(-1),
        startsAt: inHours(2),
        endsAt: inHours(3),
      });
      const { body: cancelled } = await createEvent();
      await stack
        .http()
        .post(`/api/v1/events/${cancelled.id}/cancel`)
        .set('Authorization', `Bearer ${coChair.token}`)
        .expect(200);
      const { body: started } = await createEvent({ startsAt: inHours(-1), endsAt: inHours(1) });
      const before = await countRows(stack, EVENT_TABLES);
      const late = await rsvp(closed.id, member, 'going');
      expect(late.status).toBe(409);
      expect(late.body.message).toContain('closed');
      const toCancelled = await rsvp(cancelled.id, member, 'going');
      expect(toCancelled.status).toBe(409);
      expect(toCancelled.body.message).toContain('cancelled');
      expect((await rsvp(started.id, member, 'going')).status).toBe(409);
      expect(
        (
          await stack
            .http()
            .put(`/api/v1/events/${closed.id}/rsvp`)
            .set('Authorization', `Bearer ${member.token}`)
            .send({ status: 'maybe' })
        ).status,
      ).toBe(400);
      expect(await countRows(stack, EVENT_TABLES)).toEqual(before);
    });
  });

  describe('authorisation', () => {
    it('lets only co-chairs create, edit, cancel and see attendees; outsiders see nothing', async () => {
      const { body: event } = await createEvent();
      const outsider = await createUser(stack);
      const otherCommunity = await createCommunity(stack);
      const otherCoChair = await createMember(stack, otherCommunity, 'co_chair');
      const moderator = await createMember(stack, community, 'moderator');
      const pending = await createUser(stack);
      await addMembership(stack, community, pending, { status: 'pending' });

      expect((await createEvent({}, member)).status).toBe(403);
      expect((await createEvent({}, moderator)).status).toBe(403);
      expect((await createEvent({}, otherCoChair)).status).toBe(403);
      for (const who of [member, moderator, otherCoChair]) {
        const patch = await stack
          .http()
          .patch(`/api/v1/events/${event.id}`)
          .set('Authorization', `Bearer ${who.token}`)
          .send({ title: 'Hijacked' });
        expect(patch.status).toBe(403);
        const cancel = await stack
          .http()
          .post(`/api/v1/events/${event.id}/cancel`)
          .set('Authorization', `Bearer ${who.token}`);
        expect(cancel.status).toBe(403);
        const attendees = await stack
          .http()
          .get(`/api/v1/events/${event.id}/attendees`)
          .set('Authorization', `Bearer ${who.token}`);
        expect(attendees.status).toBe(403);
      }
      for (const who of [outsider, otherCoChair, pending]) {
        expect(
          (await stack.http().get(`/api/v1/events/${event.id}`).set('Authorization', `Bearer ${who.token}`)).status,
        ).toBe(403);
        expect((await rsvp(event.id, who, 'going')).status).toBe(403);
        expect(
          (
            await stack
              .http()
              .get(`/api/v1/communities/${community.slug}/events`)
              .set('Authorization', `Bearer ${who.token}`)
          ).status,
        ).toBe(403);
      }
      // Signed out: asked to sign in, exactly as for an id that does not exist.
      expect((await stack.http().get(`/api/v1/events/${event.id}`)).status).toBe(401);
      expect((await stack.http().get(`/api/v1/events/${event.id}/event.ics`)).status).toBe(401);
      const [row] = await stack.query<{ title: string; status: string }>(
        'SELECT title, status FROM events WHERE id = $1',
        [event.id],
      );
      expect(row).toEqual({ title: 'PWP CoP quarterly meeting', status: 'scheduled' });
      expect(
        (await stack.http().get('/api/v1/events/not-a-uuid').set('Authorization', `Bearer ${member.token}`)).status,
      ).toBe(400);
      expect(
        (
          await stack
            .http()
            .get('/api/v1/events/00000000-0000-4000-8000-000000000000')
            .set('Authorization', `Bearer ${member.token}`)
        ).status,
      ).toBe(404);
    });

    it('shows public events to anyone, on the public calendar and feed, without the join link', async () => {
      const { body: publicEvent } = await createEvent({
        title: 'National PWP day',
        visibility: 'public',
        startsAt: '2027-05-12T09:00:00+01:00',
        endsAt: '2027-05-12T16:00:00+01:00',
      });
      const { body: privateEvent } = await createEvent({
        title: 'Members-only supervision',
        startsAt: '2027-05-13T09:00:00+01:00',
        endsAt: '2027-05-13T10:00:00+01:00',
      });
      const anonymous = await stack.http().get(`/api/v1/events/${publicEvent.id}`);
      expect(anonymous.status).toBe(200);
      expect(anonymous.body.joinUrl).toBeNull();
      const calendar = await stack
        .http()
        .get(`/api/v1/public/communities/${community.slug}/events/calendar?year=2027&month=5`);
      expect(calendar.status).toBe(200);
      const titles = calendar.body.months[0].events.map((e: { title: string }) => e.title);
      expect(titles).toContain('National PWP day');
      expect(titles).not.toContain('Members-only supervision');
      const feed = await stack.http().get(`/api/v1/public/communities/${community.slug}/calendar.ics`);
      expect(feed.headers['content-type']).toContain('text/calendar');
      const uids = parseIcs(feed.text).events.map((e) => e.uid);
      expect(uids).toContain(`${publicEvent.id}@cophub`);
      expect(uids).not.toContain(`${privateEvent.id}@cophub`);
      expect(feed.text.replace(/\r\n /g, '')).not.toContain('meet.example.nhs.uk');
    });
  });

  describe('calendars', () => {
    it('serves an .ics that ical.js reads, across the October clock change, with SEQUENCE and cancellation', async () => {
      const { body: event } = await createEvent({
        title: 'Overnight crisis-line peer session',
        startsAt: '2027-10-30T23:00:00+01:00', // Saturday, British Summer Time
        endsAt: '2027-10-31T02:00:00+00:00', // Sunday, after the clocks go back
      });
      await rsvp(event.id, member, 'going').expect(200);
      const download = async (fileName: string) => {
        const res = await stack
          .http()
          .get(`/api/v1/events/${event.id}/event.ics`)
          .set('Authorization', `Bearer ${member.token}`);
        expect(res.status).toBe(200);
        expect(res.headers['content-disposition']).toContain(`attachment; filename="${fileName}"`);
        return parseIcs(res.text);
      };
      const first = await download('Overnight-crisis-line-peer-session.ics');
      const [vevent] = first.events;
      expect(vevent.uid).toBe(`${event.id}@cophub`);
      expect(vevent.startDate.toJSDate().toISOString()).toBe('2027-10-30T22:00:00.000Z');
      expect(vevent.endDate.toJSDate().toISOString()).toBe('2027-10-31T02:00:00.000Z');
      expect(vevent.duration.toSeconds()).toBe(4 * 3600);
      expect(vevent.description).toContain('https://meet.example.nhs.uk/quarterly');
      expect(vevent.sequence).toBe(0);

      await stack
        .http()
        .patch(`/api/v1/events/${event.id}`)
        .set('Authorization', `Bearer ${coChair.token}`)
        .send({ venue: null, title: 'Overnight peer session' })
        .expect(200);
      const second = await download('Overnight-peer-session.ics');
      expect(second.events[0].uid).toBe(vevent.uid);
      expect(second.events[0].sequence).toBe(1);

      await stack
        .http()
        .post(`/api/v1/events/${event.id}/cancel`)
        .set('Authorization', `Bearer ${coChair.token}`)
        .expect(200);
      const res = await stack
        .http()
        .get(`/api/v1/events/${event.id}/event.ics`)
        .set('Authorization', `Bearer ${member.token}`);
      const third = parseIcs(res.text);
      expect(third.calendar.getFirstPropertyValue('method')).toBe('CANCEL');
      expect(third.events[0].uid).toBe(vevent.uid);
      expect(third.events[0].sequence).toBe(2);
      expect(third.events[0].component.getFirstPropertyValue('status')).toBe('CANCELLED');
    });

    it('gives each member a private feed of the events they are going to, which they can revoke', async () => {
      const person = await createMember(stack, community);
      const { body: going } = await createEvent({ title: 'Going to this' });
      const { body: notGoing } = await createEvent({ title: 'Not going to this' });
      await rsvp(going.id, person, 'going').expect(200);
      const { body } = await stack
        .http()
        .post('/api/v1/me/calendar-feed')
        .set('Authorization', `Bearer ${person.token}`)
        .expect(201);
      const path = new URL(body.url).pathname;
      const feed = await stack.http().get(path).expect(200);
      const uids = parseIcs(feed.text).events.map((e) => e.uid);
      expect(uids).toEqual([`${going.id}@cophub`]);
      expect(uids).not.toContain(`${notGoing.id}@cophub`);
      // Their own feed carries the join link (in a folded DESCRIPTION line: unfold before looking).
      expect(feed.text.replace(/\r\n /g, '')).toContain('meet.example.nhs.uk');

      // Rotating revokes the old URL; deleting revokes the feed.
      const rotated = await stack
        .http()
        .post('/api/v1/me/calendar-feed')
        .set('Authorization', `Bearer ${person.token}`)
        .expect(201);
      expect((await stack.http().get(path)).status).toBe(404);
      const newPath = new URL(rotated.body.url).pathname;
      await stack.http().get(newPath).expect(200);
      await stack.http().delete('/api/v1/me/calendar-feed').set('Authorization', `Bearer ${person.token}`).expect(204);
      expect((await stack.http().get(newPath)).status).toBe(404);
    });

    it('lists the year calendar by UK month, including an event at 00:30 BST on the 1st', async () => {
      const cal = await createCommunity(stack);
      const chair = await createMember(stack, cal, 'co_chair');
      // 00:30 BST on 1 August is 23:30 UTC on 31 July: it belongs to August.
      await createEvent(
        { title: 'Midnight start', startsAt: '2027-08-01T00:30:00+01:00', endsAt: '2027-08-01T01:30:00+01:00' },
        chair,
        cal.slug,
      ).then((r) => expect(r.status).toBe(201));
      await createEvent(
        { title: 'March meeting', startsAt: '2027-03-10T10:00:00Z', endsAt: '2027-03-10T11:00:00Z' },
        chair,
        cal.slug,
      );
      const res = await stack
        .http()
        .get(`/api/v1/communities/${cal.slug}/events/calendar?year=2027`)
        .set('Authorization', `Bearer ${chair.token}`)
        .expect(200);
      expect(res.body.months).toHaveLength(12);
      const byMonth = Object.fromEntries(
        res.body.months.map((m: { month: number; events: Array<{ title: string }> }) => [
          m.month,
          m.events.map((e) => e.title),
        ]),
      );
      expect(byMonth[8]).toEqual(['Midnight start']);
      expect(byMonth[7]).toEqual([]);
      expect(byMonth[3]).toEqual(['March meeting']);
      expect(
        (
          await stack
            .http()
            .get(`/api/v1/communities/${cal.slug}/events/calendar?year=20x7`)
            .set('Authorization', `Bearer ${chair.token}`)
        ).status,
      ).toBe(400);
    });
  });

  describe('search', () => {
    it('finds events in the searcher’s community only, with an inert highlighted snippet', async () => {
      const other = await createCommunity(stack);
      const otherChair = await createMember(stack, other, 'co_chair');
      await createEvent({
        title: 'Reflective practice <b>clinic</b>',
        description: 'Bring a case about psychoeducation',
      });
      await createEvent({ title: 'Psychoeducation elsewhere' }, otherChair, other.slug);
      const providers = stack.api.get(SearchProviders);
      const scope = {
        user: { id: member.id, isAdmin: false, sessionId: 'x' },
        communityId: community.id,
        role: CommunityRole.Member,
        isAdmin: false,
        profession: Profession.PWP,
        careerStage: CareerStage.Qualified,
        region: Region.NorthWest,
      };
      const { items } = await providers.search(scope, { q: 'psychoeducation', kinds: ['event'] }, 10);
      expect(items).toHaveLength(1);
      expect(items[0]).toMatchObject({ kind: 'event', title: 'Reflective practice <b>clinic</b>' });
      expect(items[0].snippet).toContain('<mark>psychoeducation</mark>');
      expect(items[0].snippet).not.toContain('<b>');
    });
  });

  describe('attendance and CPD', () => {
    it('records attendance by check-in code and by co-chair, and gives each member their CPD record', async () => {
      const person = await createMember(stack, community, 'member', { displayName: 'Alex Practitioner' });
      const other = await createMember(stack, community);
      const { body: event } = await createEvent({
        title: 'Role clarity workshop',
        startsAt: inHours(0.25),
        endsAt: inHours(2.25),
        cpdHours: 1.5,
      });
      const { body: full } = await stack
        .http()
        .get(`/api/v1/events/${event.id}`)
        .set('Authorization', `Bearer ${coChair.token}`);

      const wrong = await stack
        .http()
        .post(`/api/v1/events/${event.id}/check-in`)
        .set('Authorization', `Bearer ${person.token}`)
        .send({ code: 'WRONG1' });
      expect(wrong.status).toBe(400);
      await stack
        .http()
        .post(`/api/v1/events/${event.id}/check-in`)
        .set('Authorization', `Bearer ${person.token}`)
        .send({ code: full.checkInCode.toLowerCase() })
        .expect(200);

      // Co-chairs can only mark once the event has started, and only members.
      const early = await stack
        .http()
        .post(`/api/v1/events/${event.id}/attendance`)
        .set('Authorization', `Bearer ${coChair.token}`)
        .send({ userIds: [other.id] });
      expect(early.status).toBe(409);
      stack.clock.advance(HOUR);
      const stranger = await createUser(stack);
      const notMember = await stack
        .http()
        .post(`/api/v1/events/${event.id}/attendance`)
        .set('Authorization', `Bearer ${coChair.token}`)
        .send({ userIds: [other.id, stranger.id] });
      expect(notMember.status).toBe(400);
      expect(
        await stack.query('SELECT 1 FROM event_attendance WHERE event_id = $1 AND user_id = $2', [event.id, other.id]),
      ).toHaveLength(0);
      await stack
        .http()
        .post(`/api/v1/events/${event.id}/attendance`)
        .set('Authorization', `Bearer ${coChair.token}`)
        .send({ userIds: [other.id] })
        .expect(200);
      const byMember = await stack
        .http()
        .post(`/api/v1/events/${event.id}/attendance`)
        .set('Authorization', `Bearer ${person.token}`)
        .send({ userIds: [person.id] });
      expect(byMember.status).toBe(403);

      // The record keeps what was true at the event, even if the event is edited later.
      await stack
        .http()
        .patch(`/api/v1/events/${event.id}`)
        .set('Authorization', `Bearer ${coChair.token}`)
        .send({ cpdHours: 5 })
        .expect(200);
      const record = await stack
        .http()
        .get('/api/v1/me/cpd')
        .set('Authorization', `Bearer ${person.token}`)
        .expect(200);
      expect(record.body.totalHours).toBe(1.5);
      expect(record.body.entries).toEqual([
        expect.objectContaining({ title: 'Role clarity workshop', cpdHours: 1.5, method: 'check_in' }),
      ]);
      const csv = await stack
        .http()
        .get('/api/v1/me/cpd.csv')
        .set('Authorization', `Bearer ${person.token}`)
        .expect(200);
      expect(csv.headers['content-type']).toContain('text/csv');
      const lines = csv.text.trim().split('\r\n');
      expect(lines[0]).toContain('CPD hours');
      expect(lines[1]).toContain('"Role clarity workshop"');
      expect(lines[lines.length - 1]).toContain('"1.50"');
      const print = await stack
        .http()
        .get('/api/v1/me/cpd/print')
        .set('Authorization', `Bearer ${person.token}`)
        .expect(200);
      expect(print.text).toContain('CPD record: Alex Practitioner');
      expect(print.text).not.toContain('<script');
      const otherRecord = await stack
        .http()
        .get('/api/v1/me/cpd')
        .set('Authorization', `Bearer ${other.token}`)
        .expect(200);
      expect(otherRecord.body.entries[0]).toMatchObject({ method: 'marked', cpdHours: 1.5 });
    });
  });
});

function inHoursStatic(hours: number): string {
  return new Date(Date.now() + hours * HOUR).toISOString();
}
