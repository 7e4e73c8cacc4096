import {
  addMembership,
  createCommunity,
  createMember,
  createUser,
  TestCommunity,
  TestStack,
  TestUser,
} from '@cophub/testing';
import { createPoll, openPoll } from './polls.helpers';

const HOUR = 3_600_000;

describe('community overview', () => {
  let stack: TestStack;
  let cop: TestCommunity;
  let coChair: TestUser;
  let member: TestUser;
  const auth = (user: TestUser) => ({ Authorization: `Bearer ${user.token}` });

  beforeAll(async () => {
    stack = await TestStack.start({ smtp: false });
    cop = await createCommunity(stack);
    coChair = await createMember(stack, cop, 'co_chair', { displayName: 'Chidi Cochair' });
    member = await createMember(stack, cop, 'member', { displayName: 'Mo Member' });
    await createMember(stack, cop, 'co_chair', { displayName: 'Unlisted Cochair' });
  });

  afterAll(async () => {
    await stack.close();
  });

  const overview = (user: TestUser) => stack.http().get(`/api/v1/communities/${cop.slug}/overview`).set(auth(user));

  it('shows a member the unread thread, the upcoming event with their RSVP and the poll waiting for them', async () => {
    const category = await stack
      .http()
      .post(`/api/v1/communities/${cop.slug}/categories`)
      .set(auth(coChair))
      .send({ name: 'General' })
      .expect(201);
    const thread = await stack
      .http()
      .post(`/api/v1/communities/${cop.slug}/threads`)
      .set(auth(coChair))
      .send({ categoryId: category.body.id, title: 'Band 6 routes', body: 'What have you seen work?' })
      .expect(201);
    const inHours = (h: number) => new Date(stack.clock.now().getTime() + h * HOUR).toISOString();
    const event = await stack
      .http()
      .post(`/api/v1/communities/${cop.slug}/events`)
      .set(auth(coChair))
      .send({ title: 'Quarterly CoP', startsAt: inHours(48), endsAt: inHours(50), locationKind: 'online' })
      .expect(201);
    await stack
      .http()
      .put(`/api/v1/events/${event.body.id}/rsvp`)
      .set(auth(member))
      .send({ status: 'going' })
      .expect(200);
    const poll = await createPoll(stack, cop, coChair, { title: 'Supervision pulse' });
    await openPoll(stack, poll.id, coChair);

    const res = await overview(member);
    expect(res.status).toBe(200);
    expect(res.body.unreadThreads.map((t: { id: string }) => t.id)).toEqual([thread.body.id]);
    expect(res.body.upcomingEvents[0]).toMatchObject({ id: event.body.id, myRsvp: { status: 'going' } });
    expect(res.body.pollsToAnswer).toEqual([expect.objectContaining({ id: poll.id, title: 'Supervision pulse' })]);
    expect(res.body.since).toBeNull();

    // Once read, the thread is no longer "new"; the author has nothing unread.
    await stack
      .http()
      .put(`/api/v1/threads/${thread.body.id}/read`)
      .set(auth(member))
      .send({ postNumber: 1 })
      .expect(200);
    expect((await overview(member)).body.unreadThreads).toEqual([]);
  });

  it('lists only the co-chairs who agreed to be key contacts, and only a co-chair may agree', async () => {
    expect((await overview(member)).body.keyContacts).toEqual([]);
    await stack
      .http()
      .put(`/api/v1/communities/${cop.slug}/me/key-contact`)
      .set(auth(coChair))
      .send({ listed: true })
      .expect(204);
    const res = await overview(member);
    expect(res.body.keyContacts.map((c: { displayName: string }) => c.displayName)).toEqual(['Chidi Cochair']);
    await stack
      .http()
      .put(`/api/v1/communities/${cop.slug}/me/key-contact`)
      .set(auth(member))
      .send({ listed: true })
      .expect(403);
    const bad = await stack
      .http()
      .put(`/api/v1/communities/${cop.slug}/me/key-contact`)
      .set(auth(coChair))
      .send({ listed: 'yes' });
    expect(bad.status).toBe(400);
  });

  it('answers 401 signed out, and 403 to a visitor and to a pending request', async () => {
    expect((await stack.http().get(`/api/v1/communities/${cop.slug}/overview`)).status).toBe(401);
    const visitor = await createUser(stack);
    expect((await overview(visitor)).status).toBe(403);
    const pending = await createUser(stack);
    await addMembership(stack, cop, pending, { status: 'pending' });
    const res = await overview(pending);
    expect(res.status).toBe(403);
    expect(res.body.code).toBe('membership_pending');
  });
});
