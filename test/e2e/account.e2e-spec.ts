import { createCommunity, createMember, TEST_PASSWORD, TestStack } from '@cophub/testing';

const HOUR = 3_600_000;

/** Personal data export and account closure across modules. */
describe('personal data export and account closure', () => {
  let stack: TestStack;

  beforeAll(async () => {
    stack = await TestStack.start({ worker: false, smtp: false });
  });

  afterAll(async () => {
    await stack?.close();
  });

  async function thread(slug: string, token: string): Promise<string> {
    const category = await stack
      .http()
      .post(`/api/v1/communities/${slug}/categories`)
      .set('Authorization', `Bearer ${token}`)
      .send({ name: 'General' })
      .expect(201);
    const created = await stack
      .http()
      .post(`/api/v1/communities/${slug}/threads`)
      .set('Authorization', `Bearer ${token}`)
      .send({ categoryId: category.body.id, title: 'Caseload limits', body: 'What are yours?' })
      .expect(201);
    return created.body.id;
  }

  async function eventWithOnePlace(slug: string, token: string) {
    const start = new Date(stack.clock.now().getTime() + 48 * HOUR);
    const res = await stack
      .http()
      .post(`/api/v1/communities/${slug}/events`)
      .set('Authorization', `Bearer ${token}`)
      .send({
        title: 'Peer supervision circle',
        startsAt: start.toISOString(),
        endsAt: new Date(start.getTime() + HOUR).toISOString(),
        locationKind: 'online',
        capacity: 1,
      })
      .expect(201);
    return res.body.id as string;
  }

  it('exports what each module holds about the caller, and nobody else', async () => {
    const community = await createCommunity(stack);
    const coChair = await createMember(stack, community, 'co_chair');
    const member = await createMember(stack, community, 'member', { displayName: 'Sam Export' });
    const other = await createMember(stack, community);
    const eventId = await eventWithOnePlace(community.slug, coChair.token);
    await stack
      .http()
      .put(`/api/v1/events/${eventId}/rsvp`)
      .set('Authorization', `Bearer ${member.token}`)
      .send({ status: 'going' });
    await stack
      .http()
      .put(`/api/v1/events/${eventId}/rsvp`)
      .set('Authorization', `Bearer ${other.token}`)
      .send({ status: 'going' });
    const threadId = await thread(community.slug, coChair.token);
    await stack
      .http()
      .post(`/api/v1/threads/${threadId}/posts`)
      .set('Authorization', `Bearer ${member.token}`)
      .send({ body: 'My view on caseloads' })
      .expect(201);
    const res = await stack.http().get('/api/v1/me/export').set('Authorization', `Bearer ${member.token}`).expect(200);
    expect(res.headers['content-disposition']).toMatch(/cophub-personal-data-\d{4}-\d{2}-\d{2}\.json/);
    const data = JSON.parse(res.text);
    const items = (section: string, part: string) => data.sections[section][part].items;
    expect(items('identity', 'profile')).toEqual([
      expect.objectContaining({ id: member.id, email: member.email, displayName: 'Sam Export' }),
    ]);
    expect(items('identity', 'memberships')).toEqual([
      expect.objectContaining({ slug: community.slug, status: 'approved' }),
    ]);
    expect(items('events', 'rsvps')).toEqual([
      expect.objectContaining({ title: 'Peer supervision circle', status: 'going' }),
    ]);
    expect(items('forum', 'posts')).toEqual([
      expect.objectContaining({ thread: 'Caseload limits', markdown: 'My view on caseloads' }),
    ]);
    expect(items('notifications', 'preferences')).toEqual([]);
    expect(res.text).not.toContain(other.email);
    expect(res.text).not.toContain('password');
  });

  it('closes an account: de-identified, signed out, its place given to the waitlist; refused without the password', async () => {
    const community = await createCommunity(stack);
    const coChair = await createMember(stack, community, 'co_chair');
    const leaver = await createMember(stack, community);
    const waiting = await createMember(stack, community);
    const eventId = await eventWithOnePlace(community.slug, coChair.token);
    await stack
      .http()
      .put(`/api/v1/events/${eventId}/rsvp`)
      .set('Authorization', `Bearer ${leaver.token}`)
      .send({ status: 'going' })
      .expect(200);
    await stack
      .http()
      .put(`/api/v1/events/${eventId}/rsvp`)
      .set('Authorization', `Bearer ${waiting.token}`)
      .send({ status: 'going' })
      .expect(200);

    const threadId = await thread(community.slug, coChair.token);
    await stack
      .http()
      .post(`/api/v1/threads/${threadId}/posts`)
      .set('Authorization', `Bearer ${leaver.token}`)
      .send({ body: 'Leaving soon' })
      .expect(201);
    const wrong = await stack
      .http()
      .post('/api/v1/me/close')
      .set('Authorization', `Bearer ${leaver.token}`)
      .send({ password: 'not-it' });
    expect(wrong.status).toBe(401);
    expect((await stack.query('SELECT closed_at FROM users WHERE id = $1', [leaver.id]))[0]).toEqual({
      closed_at: null,
    });

    await stack
      .http()
      .post('/api/v1/me/close')
      .set('Authorization', `Bearer ${leaver.token}`)
      .send({ password: TEST_PASSWORD })
      .expect(204);
    const [row] = await stack.query<{ email: string; display_name: string; closed_at: Date | null }>(
      'SELECT email, display_name, closed_at FROM users WHERE id = $1',
      [leaver.id],
    );
    expect(row.email).toBe(`closed-${leaver.id}@closed.invalid`);
    expect(row.display_name).toBe('Former member');
    expect(row.closed_at).not.toBeNull();
    const view = await stack.http().get(`/api/v1/events/${eventId}`).set('Authorization', `Bearer ${waiting.token}`);
    expect(view.body.myRsvp.status).toBe('going');
    // The closed account's access token ends with its sessions: the next request is not signed in.
    expect(
      (
        await stack
          .http()
          .get(`/api/v1/communities/${community.slug}/events`)
          .set('Authorization', `Bearer ${leaver.token}`)
      ).status,
    ).toBe(401);
    // Their post stays, attributed to a former member.
    const posts = await stack
      .http()
      .get(`/api/v1/threads/${threadId}/posts`)
      .set('Authorization', `Bearer ${coChair.token}`)
      .expect(200);
    const theirs = posts.body.items.find((p: { html: string | null }) => p.html?.includes('Leaving soon'));
    expect(theirs.author.displayName).toBe('Former member');
    const login = await stack.http().post('/api/v1/auth/login').send({ email: leaver.email, password: TEST_PASSWORD });
    expect(login.status).toBe(401);
  });

  it('refuses to close the account of a community’s only co-chair', async () => {
    const community = await createCommunity(stack);
    const only = await createMember(stack, community, 'co_chair');
    const res = await stack
      .http()
      .post('/api/v1/me/close')
      .set('Authorization', `Bearer ${only.token}`)
      .send({ password: TEST_PASSWORD });
    expect(res.status).toBe(409);
    expect(res.body.message).toContain('only co-chair');
    expect((await stack.query('SELECT closed_at FROM users WHERE id = $1', [only.id]))[0]).toEqual({ closed_at: null });
  });
});
