import { createCommunity, createMember, TestCommunity, TestStack, TestUser } from '@cophub/testing';

/** A report must reach the people who can act on it, and the queue must say what was reported. */
describe('reported posts reach moderators', () => {
  let stack: TestStack;
  let community: TestCommunity;
  let coChair: TestUser;
  let moderator: TestUser;
  let reporter: TestUser;
  let bystander: TestUser;
  let outsider: TestUser;

  beforeAll(async () => {
    stack = await TestStack.start();
    community = await createCommunity(stack);
    coChair = await createMember(stack, community, 'co_chair');
    moderator = await createMember(stack, community, 'moderator');
    reporter = await createMember(stack, community);
    bystander = await createMember(stack, community);
    outsider = await createMember(stack, await createCommunity(stack), 'co_chair');
  });

  afterAll(async () => {
    await stack?.close();
  });

  const bell = async (user: TestUser) =>
    (await stack.http().get('/api/v1/notifications').set('Authorization', `Bearer ${user.token}`)).body.items as Array<{
      kind: string;
      title: string;
      url: string;
    }>;

  it('notifies every moderator and co-chair (bell, and email by default), not the reporter or members', async () => {
    const auth = (u: TestUser) => ({ Authorization: `Bearer ${u.token}` });
    // The moderator prefers reports in the app only.
    await stack
      .http()
      .put('/api/v1/me/notification-preferences')
      .set(auth(moderator))
      .send({ moderation_flag: 'in_app' })
      .expect((r) => expect(r.status).toBeLessThan(300));
    const category = await stack
      .http()
      .post(`/api/v1/communities/${community.slug}/categories`)
      .set(auth(coChair))
      .send({ name: 'Practice' });
    const thread = await stack
      .http()
      .post(`/api/v1/communities/${community.slug}/threads`)
      .set(auth(bystander))
      .send({ categoryId: category.body.id, title: 'Caseload limits for trainees', body: 'First post' });
    const reply = await stack
      .http()
      .post(`/api/v1/threads/${thread.body.id}/posts`)
      .set(auth(bystander))
      .send({ body: 'Something that needs a moderator to look at it, quite urgently.' });
    expect(reply.status).toBe(201);

    const flagged = await stack
      .http()
      .post(`/api/v1/posts/${reply.body.id}/flags`)
      .set(auth(reporter))
      .send({ reason: 'Shares identifiable client details' });
    expect(flagged.status).toBe(201);

    for (const user of [coChair, moderator]) {
      const items = await bell(user);
      expect(items).toContainEqual(
        expect.objectContaining({
          kind: 'moderation_flag',
          title: 'A post was reported in "Caseload limits for trainees"',
          url: `/c/${community.slug}/moderation`,
        }),
      );
    }
    for (const user of [reporter, bystander, outsider]) {
      expect((await bell(user)).filter((n) => n.kind === 'moderation_flag')).toEqual([]);
    }

    // Email per preference: the co-chair (default: email) gets one, the moderator (in-app) does not.
    const mail = await stack.smtp!.waitForMessageTo(coChair.email, 'A post was reported');
    expect(mail.text).toContain('Reason given: Shares identifiable client details');
    expect(mail.text).toContain(`${stack.config.publicUrl}/c/${community.slug}/moderation`);
    expect((mail.headers.get('list') as { unsubscribe: { url: string } }).unsubscribe.url).toContain(
      'k=moderation_flag',
    );
    const rows = await stack.query<{ recipient: string }>(
      "SELECT recipient FROM mail_outbox WHERE template = 'forum.flagged'",
    );
    expect(rows.map((r) => r.recipient)).toEqual([coChair.email]);

    // The queue says which thread, what the post says, and links to it.
    const queue = await stack.http().get(`/api/v1/communities/${community.slug}/moderation/flags`).set(auth(moderator));
    expect(queue.body.items[0]).toMatchObject({
      threadTitle: 'Caseload limits for trainees',
      postNumber: 2,
      excerpt: 'Something that needs a moderator to look at it, quite urgently.',
      url: `/c/${community.slug}/t/${thread.body.id}/2`,
      reason: 'Shares identifiable client details',
    });
  });

  it('changes nothing and notifies nobody when the report is refused', async () => {
    const before = await stack.query<{ n: string }>('SELECT count(*) AS n FROM notifications');
    const missing = await stack
      .http()
      .post('/api/v1/posts/00000000-0000-4000-8000-000000000000/flags')
      .set('Authorization', `Bearer ${reporter.token}`)
      .send({ reason: 'x' });
    expect(missing.status).toBe(404);
    const after = await stack.query<{ n: string }>('SELECT count(*) AS n FROM notifications');
    expect(after).toEqual(before);
  });
});
