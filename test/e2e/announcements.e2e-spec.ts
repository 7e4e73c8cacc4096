import {
  countRows,
  createCommunity,
  createMember,
  eventually,
  TestCommunity,
  TestStack,
  TestUser,
} from '@cophub/testing';

/**
 * A co-chair's announcement reaches exactly the members it is for: posted as a thread in the
 * Announcements category, and emailed (through the outbox, with one-click unsubscribe) to the audience
 * members whose channel for announcements is email.
 */
describe('announcements', () => {
  let stack: TestStack;
  let community: TestCommunity;
  let coChair: TestUser;
  let pwpNorthWest: TestUser;
  let secondPwpNorthWest: TestUser;
  let pwpLondon: TestUser;
  let mhwpNorthWest: TestUser;
  let quietPwp: TestUser;
  let moderator: TestUser;
  let outsider: TestUser;

  const auth = (u: TestUser) => ({ Authorization: `Bearer ${u.token}` });
  const announce = (u: TestUser, body: unknown, slug = community.slug) =>
    stack
      .http()
      .post(`/api/v1/communities/${slug}/announcements`)
      .set(auth(u))
      .send(body as object);
  const TABLES = ['forum_threads', 'forum_posts', 'forum_categories', 'notifications', 'mail_outbox'];

  beforeAll(async () => {
    stack = await TestStack.start();
    community = await createCommunity(stack);
    coChair = await createMember(stack, community, 'co_chair', { profession: 'PWP', region: 'north_west' });
    pwpNorthWest = await createMember(stack, community, 'member', { profession: 'PWP', region: 'north_west' });
    secondPwpNorthWest = await createMember(stack, community, 'member', {
      profession: 'PWP',
      region: 'north_west',
      careerStage: 'trainee',
    });
    pwpLondon = await createMember(stack, community, 'member', { profession: 'PWP', region: 'london' });
    mhwpNorthWest = await createMember(stack, community, 'member', { profession: 'MHWP', region: 'north_west' });
    quietPwp = await createMember(stack, community, 'member', { profession: 'PWP', region: 'north_west' });
    moderator = await createMember(stack, community, 'moderator', { profession: 'PWP', region: 'north_west' });
    outsider = await createMember(stack, await createCommunity(stack), 'co_chair', {
      profession: 'PWP',
      region: 'north_west',
    });
    // This member turned announcement emails off (the bell still shows them).
    await stack
      .http()
      .put('/api/v1/me/notification-preferences')
      .set(auth(quietPwp))
      .send({ announcement: 'in_app' })
      .expect((r) => expect(r.status).toBeLessThan(300));
  });

  afterAll(async () => {
    await stack?.close();
  });

  it('posts the announcement and emails exactly the audience, honouring each member’s choice', async () => {
    const created = await announce(coChair, {
      title: 'Supervision standards for PWPs in the North West',
      body: 'The Workforce Council meets on **Thursday**. Send us your views on supervision ratios.',
      audience: { professions: ['PWP'], regions: ['north_west'] },
    });
    expect(created.status).toBe(201);
    // PWPs in the North West, the sender aside: two members, the one who chose the bell only, the moderator.
    expect(created.body.audienceSize).toBe(4);
    const threadId = created.body.thread.id as string;

    // The thread sits in an "Announcements" category that only co-chairs may post in.
    const categories = await stack.http().get(`/api/v1/communities/${community.slug}/categories`).set(auth(pwpLondon));
    const announcements = (categories.body as Array<{ id: string; name: string; postPolicy: string }>).find(
      (c) => c.name === 'Announcements',
    );
    expect(announcements).toMatchObject({ postPolicy: 'co_chairs' });
    expect(created.body.thread.categoryId).toBe(announcements!.id);
    const page = await stack.http().get(`/api/v1/threads/${threadId}/posts`).set(auth(pwpLondon));
    expect(page.status).toBe(200);
    expect(page.body.items[0].html).toContain('<strong>Thursday</strong>');

    // Emails: the audience members with the default channel, each with a one-click unsubscribe.
    const expected = [pwpNorthWest, secondPwpNorthWest, moderator];
    for (const member of expected) {
      const mail = await stack.smtp!.waitForMessageTo(member.email, 'Supervision standards for PWPs');
      expect(mail.text).toContain('The Workforce Council meets on Thursday.');
      expect(mail.text).toContain(`${stack.config.publicUrl}/c/${community.slug}/t/${threadId}`);
      expect((mail.headers.get('list') as { unsubscribe: { url: string } }).unsubscribe.url).toContain(
        'k=announcement',
      );
    }
    // Every staged announcement email has been delivered before we look for any that should not exist.
    await eventually(async () => {
      const rows = await stack.query<{ status: string }>(
        "SELECT status FROM mail_outbox WHERE template = 'forum.announcement'",
      );
      return rows.length === expected.length && rows.every((r) => r.status === 'sent');
    }, 'announcement emails sent');
    for (const other of [coChair, pwpLondon, mhwpNorthWest, quietPwp, outsider]) {
      expect(stack.smtp!.to(other.email).filter((m) => m.subject.includes('Supervision standards'))).toEqual([]);
    }

    // The bell: the audience (the quiet member included) but nobody outside it.
    const bellKinds = async (u: TestUser) =>
      (
        (await stack.http().get('/api/v1/notifications').set(auth(u))).body.items as Array<{
          kind: string;
          url: string;
        }>
      ).filter((n) => n.kind === 'announcement');
    for (const member of [...expected, quietPwp]) {
      expect(await bellKinds(member)).toEqual([expect.objectContaining({ url: `/c/${community.slug}/t/${threadId}` })]);
    }
    for (const other of [coChair, pwpLondon, mhwpNorthWest, outsider]) expect(await bellKinds(other)).toEqual([]);

    // Members cannot reply to an announcement.
    const reply = await stack.http().post(`/api/v1/threads/${threadId}/posts`).set(auth(pwpNorthWest)).send({
      body: 'Replying here',
    });
    expect(reply.status).toBe(403);
  });

  it('reaches every member when no audience is given, reusing the Announcements category', async () => {
    const created = await announce(coChair, { title: 'Summer meeting dates', body: 'Dates are on the calendar.' });
    expect(created.status).toBe(201);
    expect(created.body.audienceSize).toBe(6);
    await stack.smtp!.waitForMessageTo(mhwpNorthWest.email, 'Summer meeting dates');
    await stack.smtp!.waitForMessageTo(pwpLondon.email, 'Summer meeting dates');
    const [{ n }] = await stack.query<{ n: string }>(
      "SELECT count(*) AS n FROM forum_categories WHERE community_id = $1 AND name = 'Announcements'",
      [community.id],
    );
    expect(Number(n)).toBe(1);
  });

  it('refuses members, moderators and other communities’ co-chairs, and sends nothing', async () => {
    const before = await countRows(stack, TABLES);
    const body = { title: 'Not allowed', body: 'Nobody should get this.' };
    expect((await announce(pwpNorthWest, body)).status).toBe(403);
    expect((await announce(moderator, body)).status).toBe(403);
    expect((await announce(outsider, body)).status).toBe(403);
    expect((await stack.http().post(`/api/v1/communities/${community.slug}/announcements`).send(body)).status).toBe(
      401,
    );
    expect(await countRows(stack, TABLES)).toEqual(before);
  });

  it('answers bad input with a 400 that says what is wrong, and changes nothing', async () => {
    const before = await countRows(stack, TABLES);
    const cases: Array<[unknown, RegExp]> = [
      [{ title: '', body: 'Something' }, /title/],
      [{ title: '   ', body: 'Something' }, /title/],
      [{ title: 'Blank body', body: '   ' }, /empty|blank|nothing/i],
      [{ title: 'Too long', body: 'x'.repeat(20_001) }, /body/],
      [{ title: 'Bad audience', body: 'Hi', audience: { professions: ['Plumber'] } }, /profession/],
      [{ title: 'Bad region', body: 'Hi', audience: { regions: ['atlantis'] } }, /region/],
      [{ title: 'Unknown field', body: 'Hi', urgent: true }, /urgent/],
      [{ title: 'Unknown audience field', body: 'Hi', audience: { teams: ['a'] } }, /teams/],
    ];
    for (const [body, message] of cases) {
      const response = await announce(coChair, body);
      expect({ body, status: response.status }).toEqual({ body, status: 400 });
      expect(JSON.stringify(response.body.message)).toMatch(message);
    }
    expect(await countRows(stack, TABLES)).toEqual(before);
  });

  it('creates one announcement for a retried request with the same Idempotency-Key', async () => {
    const body = { title: 'Retried announcement', body: 'Only once, please.', audience: { regions: ['london'] } };
    const first = await announce(coChair, body).set('Idempotency-Key', 'announce-retry-1');
    const second = await announce(coChair, body).set('Idempotency-Key', 'announce-retry-1');
    expect(first.status).toBe(201);
    expect(second.status).toBe(201);
    expect(second.headers['idempotent-replayed']).toBe('true');
    expect(second.body.thread.id).toBe(first.body.thread.id);
    const threads = await stack.query<{ id: string }>(
      "SELECT id FROM forum_threads WHERE title = 'Retried announcement'",
    );
    expect(threads).toHaveLength(1);
    await stack.smtp!.waitForMessageTo(pwpLondon.email, 'Retried announcement');
    const rows = await stack.query<{ recipient: string }>(
      "SELECT recipient FROM mail_outbox WHERE template = 'forum.announcement' AND params->>'title' = 'Retried announcement'",
    );
    expect(rows.map((r) => r.recipient)).toEqual([pwpLondon.email]);
  });
});
