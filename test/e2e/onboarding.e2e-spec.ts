import { createCommunity, createMember, TestStack, linkToken } from '@cophub/testing';

describe('joining a community, end to end', () => {
  let stack: TestStack;

  beforeAll(async () => {
    stack = await TestStack.start();
  });

  afterAll(async () => {
    await stack?.close();
  });

  it('registers, verifies by the emailed link, signs in, asks to join and is approved by a co-chair', async () => {
    const community = await createCommunity(stack, { name: 'North West Psychological Practitioner CoP' });
    const coChair = await createMember(stack, community, 'co_chair');
    const email = 'Alex.Morgan@Example.org';

    const registered = await stack
      .http()
      .post('/api/v1/auth/register')
      .send({
        email,
        password: 'Quiet-Harbour-Lamp-7',
        displayName: 'Alex Morgan',
        profession: 'MHWP',
        careerStage: 'trainee',
        region: 'north_west',
        organisation: 'Greater Manchester Mental Health NHS FT',
      })
      .expect(202);
    // The answer is the same whether or not the address already had an account.
    expect(registered.body).toEqual({ message: expect.stringMatching(/Check your email/) });

    // The verification email really goes out: outbox row → BullMQ → worker → nodemailer → SMTP.
    const mail = await stack.smtp!.waitForMessageTo('alex.morgan@example.org', 'Confirm your email');
    expect(mail.html).toContain('Confirm email address');
    const token = linkToken(mail.text, '/verify-email');

    const login = await stack
      .http()
      .post('/api/v1/auth/login')
      .send({ email: 'ALEX.MORGAN@example.org', password: 'Quiet-Harbour-Lamp-7' })
      .expect(200);
    const auth = { Authorization: `Bearer ${login.body.accessToken}` };

    // Not verified yet: cannot ask to join.
    const early = await stack.http().post(`/api/v1/communities/${community.slug}/join`).set(auth).expect(403);
    expect(early.body).toMatchObject({ statusCode: 403, error: 'Forbidden' });
    expect(early.body.message).toMatch(/confirm your email/i);

    await stack.http().post('/api/v1/auth/verify-email').send({ token }).expect(200);
    const reuse = await stack.http().post('/api/v1/auth/verify-email').send({ token }).expect(400);
    expect(reuse.body.message).toMatch(/already been used/);

    const membersUrl = `/api/v1/communities/${community.slug}/members`;
    await stack.http().get(membersUrl).set(auth).expect(403);

    const joined = await stack.http().post(`/api/v1/communities/${community.slug}/join`).set(auth).expect(201);
    expect(joined.body.status).toBe('pending');
    const pendingRefusal = await stack.http().get(membersUrl).set(auth).expect(403);
    expect(pendingRefusal.body.message).toMatch(/waiting for a co-chair/);

    // The co-chair is told, and approves.
    await stack.smtp!.waitForMessageTo(coChair.email, 'asked to join');
    const pending = await stack
      .http()
      .get(`${membersUrl}?status=pending`)
      .set({ Authorization: `Bearer ${coChair.token}` })
      .expect(200);
    const applicant = pending.body.items.find((m: { email: string }) => m.email === 'alex.morgan@example.org');
    expect(applicant).toBeDefined();
    await stack
      .http()
      .post(`${membersUrl}/${applicant.userId}/approve`)
      .set({ Authorization: `Bearer ${coChair.token}` })
      .expect(200);
    await stack.smtp!.waitForMessageTo('alex.morgan@example.org', 'Welcome to');

    const members = await stack.http().get(membersUrl).set(auth).expect(200);
    expect(members.body.items.map((m: { userId: string }) => m.userId)).toEqual(
      expect.arrayContaining([coChair.id, applicant.userId]),
    );

    const audit = await stack.query<{ action: string }>(
      'SELECT action FROM audit_log WHERE community_id = $1 ORDER BY id',
      [community.id],
    );
    expect(audit.map((a) => a.action)).toEqual(['membership.requested', 'membership.approved']);

    const me = await stack.http().get('/api/v1/me').set(auth).expect(200);
    expect(me.body.memberships).toEqual([
      expect.objectContaining({ slug: community.slug, status: 'approved', role: 'member' }),
    ]);
  });
});
