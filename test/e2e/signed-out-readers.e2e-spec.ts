import { createCommunity, createMember, TestCommunity, TestStack, TestUser } from '@cophub/testing';
import { createPoll } from './polls.helpers';
import { makePdf, upload } from './resources.helpers';

const MISSING = '00000000-0000-4000-8000-000000000000';
const HOUR = 3_600_000;

/**
 * Someone who only reads email opens a link while signed out. Whatever the item, the API first asks
 * them to sign in (401) — it never says "not found" for an item they might be allowed to see once
 * signed in, and a missing item looks exactly like a members-only one, so nothing leaks to a stranger.
 */
describe('signed-out readers following links', () => {
  let stack: TestStack;
  let community: TestCommunity;
  let coChair: TestUser;
  let outsider: TestUser;
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    stack = await TestStack.start({ worker: false, smtp: false });
    community = await createCommunity(stack);
    coChair = await createMember(stack, community, 'co_chair');
    outsider = await createMember(stack, await createCommunity(stack));
    const auth = { Authorization: `Bearer ${coChair.token}` };
    const at = (hours: number) => new Date(stack.clock.now().getTime() + hours * HOUR).toISOString();
    const event = (visibility: string) =>
      stack
        .http()
        .post(`/api/v1/communities/${community.slug}/events`)
        .set(auth)
        .send({
          title: `A ${visibility} event`,
          description: 'x',
          startsAt: at(48),
          endsAt: at(49),
          locationKind: 'online',
          visibility,
        });
    ids.event = (await event('members')).body.id;
    ids.publicEvent = (await event('public')).body.id;
    const category = await stack
      .http()
      .post(`/api/v1/communities/${community.slug}/categories`)
      .set(auth)
      .send({ name: 'General' });
    const thread = await stack
      .http()
      .post(`/api/v1/communities/${community.slug}/threads`)
      .set(auth)
      .send({ categoryId: category.body.id, title: 'Supervision ratios', body: 'What do your services do?' });
    ids.thread = thread.body.id;
    [{ id: ids.post }] = await stack.query<{ id: string }>('SELECT id FROM forum_posts WHERE thread_id = $1', [
      ids.thread,
    ]);
    const resource = await upload(
      stack,
      `/api/v1/communities/${community.slug}/resources`,
      coChair.token,
      { title: 'Terms of reference' },
      { filename: 'terms.pdf', contentType: 'application/pdf', data: await makePdf(['Terms']) },
    );
    ids.resource = resource.body.id;
    ids.poll = (await createPoll(stack, community, coChair)).id;
    for (const [name, id] of Object.entries(ids)) if (!id) throw new Error(`set-up failed for ${name}`);
  });

  afterAll(async () => {
    await stack?.close();
  });

  const ROUTES: Array<[string, (id: string) => string]> = [
    ['event', (id) => `/api/v1/events/${id}`],
    ['event', (id) => `/api/v1/events/${id}/event.ics`],
    ['thread', (id) => `/api/v1/threads/${id}`],
    ['thread', (id) => `/api/v1/threads/${id}/posts`],
    ['post', (id) => `/api/v1/posts/${id}`],
    ['resource', (id) => `/api/v1/resources/${id}`],
    ['poll', (id) => `/api/v1/polls/${id}`],
    ['poll', (id) => `/api/v1/polls/${id}/results`],
  ];

  for (const [kind, path] of ROUTES) {
    it(`${path(':id')}: a members-only item and a missing one both answer 401 to a signed-out visitor`, async () => {
      const existing = await stack.http().get(path(ids[kind]));
      const missing = await stack.http().get(path(MISSING));
      expect([existing.status, missing.status]).toEqual([401, 401]);
      expect(existing.body).toEqual(missing.body);
      expect(existing.body).toMatchObject({ statusCode: 401, error: 'Unauthorized' });
      // An expired or forged token is treated like no token: sign in again.
      const forged = await stack.http().get(path(ids[kind])).set('Authorization', 'Bearer not-a-token');
      expect(forged.status).toBe(401);
    });
  }

  it('still shows a public event (and its .ics) to a signed-out visitor', async () => {
    const page = await stack.http().get(`/api/v1/events/${ids.publicEvent}`);
    expect(page.status).toBe(200);
    expect(page.body.title).toBe('A public event');
    const ics = await stack.http().get(`/api/v1/events/${ids.publicEvent}/event.ics`);
    expect(ics.status).toBe(200);
    expect(ics.text).toContain('SUMMARY:A public event');
  });

  it('once signed in, a member of another community is refused (403) and a missing event is 404', async () => {
    const auth = { Authorization: `Bearer ${outsider.token}` };
    expect((await stack.http().get(`/api/v1/events/${ids.event}`).set(auth)).status).toBe(403);
    expect((await stack.http().get(`/api/v1/events/${MISSING}`).set(auth)).status).toBe(404);
    expect((await stack.http().get(`/api/v1/events/${ids.publicEvent}`).set(auth)).status).toBe(200);
  });
});
