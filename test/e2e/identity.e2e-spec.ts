import { countRows, createUser, TEST_PASSWORD, TestStack, linkToken } from '@cophub/testing';

const REGISTRATION = {
  password: 'Quiet-Harbour-Lamp-7',
  displayName: 'Jordan Ellis',
  profession: 'PWP',
  careerStage: 'qualified',
  region: 'north_west',
};

const IDENTITY_TABLES = ['users', 'user_tokens', 'refresh_tokens', 'memberships', 'mail_outbox'];

describe('accounts, sign-in and tokens', () => {
  let stack: TestStack;

  beforeAll(async () => {
    stack = await TestStack.start({
      env: { LOGIN_FAILURES_BEFORE_DELAY: '5', RATE_LIMIT_REGISTER_PER_IP_PER_HOUR: '1000', TRUST_PROXY: 'true' },
    });
  });

  afterAll(async () => {
    await stack?.close();
  });

  describe('bad registration input is refused with a clear 4xx and changes nothing', () => {
    const cases: Array<[string, () => Promise<{ status: number; body: { message: string } }>, number, RegExp]> = [
      [
        'malformed JSON',
        () => stack.http().post('/api/v1/auth/register').set('content-type', 'application/json').send('{"email": '),
        400,
        /not valid JSON|JSON/,
      ],
      [
        'an oversized body',
        () =>
          stack
            .http()
            .post('/api/v1/auth/register')
            .send({ ...REGISTRATION, email: 'big@example.org', organisation: 'x'.repeat(300_000) }),
        413,
        /too large/,
      ],
      [
        'an unknown field',
        () =>
          stack
            .http()
            .post('/api/v1/auth/register')
            .send({ ...REGISTRATION, email: 'extra@example.org', isAdmin: true }),
        400,
        /property isAdmin should not exist/,
      ],
      [
        'a wrong type',
        () =>
          stack
            .http()
            .post('/api/v1/auth/register')
            .send({ ...REGISTRATION, email: 'types@example.org', displayName: 42 }),
        400,
        /displayName must be a string/,
      ],
      [
        'an unknown profession',
        () =>
          stack
            .http()
            .post('/api/v1/auth/register')
            .send({ ...REGISTRATION, email: 'prof@example.org', profession: 'GP' }),
        400,
        /profession must be one of/,
      ],
      [
        'an invalid email',
        () =>
          stack
            .http()
            .post('/api/v1/auth/register')
            .send({ ...REGISTRATION, email: 'not-an-email' }),
        400,
        /valid email/,
      ],
      [
        'a short password',
        () =>
          stack
            .http()
            .post('/api/v1/auth/register')
            .send({ ...REGISTRATION, email: 'short@example.org', password: 'abc12' }),
        400,
        /at least 10 characters/,
      ],
      [
        'a common password',
        () =>
          stack
            .http()
            .post('/api/v1/auth/register')
            .send({ ...REGISTRATION, email: 'common@example.org', password: 'password123' }),
        400,
        /too common/,
      ],
      [
        'a password containing the email',
        () =>
          stack
            .http()
            .post('/api/v1/auth/register')
            .send({ ...REGISTRATION, email: 'jordanellis@example.org', password: 'jordanellis-2024' }),
        400,
        /email/,
      ],
    ];
    for (const [what, send, status, message] of cases) {
      it(`refuses ${what}`, async () => {
        const before = await countRows(stack, IDENTITY_TABLES);
        const response = await send();
        expect(response.status).toBe(status);
        expect(response.body).toEqual(expect.objectContaining({ statusCode: status, error: expect.any(String) }));
        expect(response.body.message).toMatch(message);
        expect(await countRows(stack, IDENTITY_TABLES)).toEqual(before);
      });
    }
  });

  it('makes no second account for the same email in any letter case, without revealing the first', async () => {
    const fresh = await stack
      .http()
      .post('/api/v1/auth/register')
      .send({ ...REGISTRATION, email: 'case.test@example.org' })
      .expect(202);
    await stack.smtp!.waitForMessageTo('case.test@example.org', 'Confirm your email');
    const [{ n: usersBefore }] = await stack.query<{ n: number }>('SELECT count(*)::int AS n FROM users');
    const duplicate = await stack
      .http()
      .post('/api/v1/auth/register')
      .send({ ...REGISTRATION, email: 'Case.TEST@Example.org' })
      .expect(202);
    // The same answer either way: nobody learns from it whether the address has an account.
    expect(duplicate.body).toEqual(fresh.body);
    const [{ n: usersAfter }] = await stack.query<{ n: number }>('SELECT count(*)::int AS n FROM users');
    expect(usersAfter).toBe(usersBefore);
    // The owner hears of it, with a way in if it was them.
    const notice = await stack.smtp!.waitForMessageTo('case.test@example.org', 'tried to register');
    const reset = linkToken(notice.text, '/reset-password');
    await stack
      .http()
      .post('/api/v1/auth/password-reset/confirm')
      .send({ token: reset, password: 'Brand-New-Orchard-88' })
      .expect(204);
  });

  it('verification links expire, are single-use, and a resend replaces the old link', async () => {
    const email = 'expiry@example.org';
    await stack
      .http()
      .post('/api/v1/auth/register')
      .send({ ...REGISTRATION, email })
      .expect(202);
    const first = linkToken((await stack.smtp!.waitForMessageTo(email, 'Confirm')).text, '/verify-email');

    stack.clock.advance(49 * 3600_000);
    try {
      const expired = await stack.http().post('/api/v1/auth/verify-email').send({ token: first }).expect(400);
      expect(expired.body.message).toMatch(/expired/);
    } finally {
      stack.clock.advance(-49 * 3600_000);
    }

    await stack.http().post('/api/v1/auth/verify-email/resend').send({ email }).expect(202);
    await stack.smtp!.waitFor((m) => m.filter((x) => x.to.includes(email)).length === 2);
    const second = linkToken(stack.smtp!.to(email)[1].text, '/verify-email');
    const replaced = await stack.http().post('/api/v1/auth/verify-email').send({ token: first }).expect(400);
    expect(replaced.body.message).toMatch(/already been used/);
    await stack.http().post('/api/v1/auth/verify-email').send({ token: second }).expect(200);
    await stack
      .http()
      .post('/api/v1/auth/verify-email')
      .send({ token: 'A'.repeat(43) })
      .expect(400);
    const [user] = await stack.query<{ email_verified_at: Date | null }>(
      'SELECT email_verified_at FROM users WHERE email = $1',
      [email],
    );
    expect(user.email_verified_at).not.toBeNull();
  });

  it('rotates refresh tokens and revokes the whole sign-in when an old one is replayed', async () => {
    const user = await createUser(stack);
    const login = await stack
      .http()
      .post('/api/v1/auth/login')
      .send({ email: user.email, password: TEST_PASSWORD })
      .expect(200);
    const r1 = login.body.refreshToken;
    const rotated = await stack.http().post('/api/v1/auth/refresh').send({ refreshToken: r1 }).expect(200);
    const r2 = rotated.body.refreshToken;
    expect(r2).not.toBe(r1);
    await stack.http().get('/api/v1/me').set('Authorization', `Bearer ${rotated.body.accessToken}`).expect(200);

    // r1 replayed (stolen): refused, and r2 (the legitimate holder's) stops working too.
    const replay = await stack.http().post('/api/v1/auth/refresh').send({ refreshToken: r1 }).expect(401);
    expect(replay.body.message).toMatch(/already used/);
    await stack.http().post('/api/v1/auth/refresh').send({ refreshToken: r2 }).expect(401);

    // Another sign-in is unaffected.
    const other = await stack
      .http()
      .post('/api/v1/auth/login')
      .send({ email: user.email, password: TEST_PASSWORD })
      .expect(200);
    await stack.http().post('/api/v1/auth/refresh').send({ refreshToken: other.body.refreshToken }).expect(200);
  });

  it('signs out: the refresh token stops working', async () => {
    const user = await createUser(stack);
    const login = await stack
      .http()
      .post('/api/v1/auth/login')
      .send({ email: user.email, password: TEST_PASSWORD })
      .expect(200);
    await stack.http().post('/api/v1/auth/logout').set('Authorization', `Bearer ${login.body.accessToken}`).expect(204);
    await stack.http().post('/api/v1/auth/refresh').send({ refreshToken: login.body.refreshToken }).expect(401);
  });

  it('refuses wrong passwords and unknown accounts with the same message', async () => {
    const user = await createUser(stack);
    const wrong = await stack
      .http()
      .post('/api/v1/auth/login')
      .send({ email: user.email, password: 'Not-The-Password-1' })
      .expect(401);
    const unknown = await stack
      .http()
      .post('/api/v1/auth/login')
      .send({ email: 'nobody@example.org', password: 'Not-The-Password-1' })
      .expect(401);
    expect(wrong.body.message).toBe(unknown.body.message);
  });

  it('slows repeated wrong passwords from one address with growing waits, without locking the owner out', async () => {
    const user = await createUser(stack);
    const attempt = (from: string, password: string) =>
      stack.http().post('/api/v1/auth/login').set('X-Forwarded-For', from).send({ email: user.email, password });
    for (let i = 0; i < 5; i += 1) expect((await attempt('203.0.113.7', 'Wrong-Password-123')).status).toBe(401);
    const limited = await attempt('203.0.113.7', TEST_PASSWORD);
    expect(limited.status).toBe(429);
    expect(limited.body.message).toMatch(/Too many sign-in attempts/);
    expect(limited.headers['retry-after']).toBe('1');
    const [{ n }] = await stack.query<{ n: string }>(
      `SELECT count(*) AS n FROM refresh_tokens WHERE user_id = $1 AND token_hash NOT LIKE 'test-%'`,
      [user.id],
    );
    expect(Number(n)).toBe(0);

    // The owner, from their own address, signs in at once.
    expect((await attempt('198.51.100.20', TEST_PASSWORD)).status).toBe(200);

    // Each further failure from the guessing address doubles its wait: 1 s, 2 s, 4 s…
    for (const wait of [2, 4, 8]) {
      stack.clock.advance(60_000);
      expect((await attempt('203.0.113.7', 'Wrong-Password-123')).status).toBe(401);
      const next = await attempt('203.0.113.7', 'Wrong-Password-123');
      expect(next.status).toBe(429);
      expect(next.headers['retry-after']).toBe(String(wait));
    }
    // After waiting, the right password works from there too and clears the count.
    stack.clock.advance(60_000);
    expect((await attempt('203.0.113.7', TEST_PASSWORD)).status).toBe(200);
    expect((await attempt('203.0.113.7', 'Wrong-Password-123')).status).toBe(401);
    expect((await attempt('203.0.113.7', 'Wrong-Password-123')).status).toBe(401);
  });

  it('resets a password by email: single use, signs out everywhere, old password stops working', async () => {
    const user = await createUser(stack);
    const session = await stack
      .http()
      .post('/api/v1/auth/login')
      .send({ email: user.email, password: TEST_PASSWORD })
      .expect(200);
    const outboxBefore = await countRows(stack, ['mail_outbox']);
    await stack.http().post('/api/v1/auth/password-reset').send({ email: 'no-such-person@example.org' }).expect(202);
    expect(await countRows(stack, ['mail_outbox'])).toEqual(outboxBefore);

    await stack.http().post('/api/v1/auth/password-reset').send({ email: user.email.toUpperCase() }).expect(202);
    const token = linkToken((await stack.smtp!.waitForMessageTo(user.email, 'Reset')).text, '/reset-password');
    const weak = await stack
      .http()
      .post('/api/v1/auth/password-reset/confirm')
      .send({ token, password: 'short' })
      .expect(400);
    expect(weak.body.message).toMatch(/at least 10/);
    await stack
      .http()
      .post('/api/v1/auth/password-reset/confirm')
      .send({ token, password: 'Brand-New-Orchard-88' })
      .expect(204);
    const reused = await stack
      .http()
      .post('/api/v1/auth/password-reset/confirm')
      .send({ token, password: 'Another-New-Orchard-99' })
      .expect(400);
    expect(reused.body.message).toMatch(/already been used/);

    await stack.http().post('/api/v1/auth/refresh').send({ refreshToken: session.body.refreshToken }).expect(401);
    await stack.http().post('/api/v1/auth/login').send({ email: user.email, password: TEST_PASSWORD }).expect(401);
    await stack
      .http()
      .post('/api/v1/auth/login')
      .send({ email: user.email, password: 'Brand-New-Orchard-88' })
      .expect(200);
    await stack.smtp!.waitForMessageTo(user.email, 'password was changed');
  });

  it('refuses display names with invisible or direction-changing characters, at registration and later', async () => {
    for (const displayName of ['Platform\u200b Admin', 'Sam\u202eniamdA', 'Sam\u2066Admin', 'Robin\u00a0Hale']) {
      const registered = await stack
        .http()
        .post('/api/v1/auth/register')
        .send({ ...REGISTRATION, email: 'impostor@example.org', displayName });
      expect(registered.status).toBe(400);
      expect(registered.body.message).toMatch(/invisible or control character/);
    }
    expect(await stack.query('SELECT 1 FROM users WHERE email = $1', ['impostor@example.org'])).toHaveLength(0);
    const user = await createUser(stack, { displayName: 'Robin Hale' });
    const patched = await stack
      .http()
      .patch('/api/v1/me')
      .set('Authorization', `Bearer ${user.token}`)
      .send({ displayName: 'Platform\u200b Admin' });
    expect(patched.status).toBe(400);
    const [row] = await stack.query<{ display_name: string }>('SELECT display_name FROM users WHERE id = $1', [
      user.id,
    ]);
    expect(row.display_name).toBe('Robin Hale');
  });

  it('lets a person read and edit their profile, but not their email or admin flag', async () => {
    const user = await createUser(stack, { profession: 'CYWP', careerStage: 'trainee' });
    const auth = { Authorization: `Bearer ${user.token}` };
    const updated = await stack
      .http()
      .patch('/api/v1/me')
      .set(auth)
      .send({ careerStage: 'qualified', organisation: 'Alder Hey Children’s NHS FT', displayName: '  Robin Hale ' })
      .expect(200);
    expect(updated.body).toMatchObject({
      careerStage: 'qualified',
      organisation: 'Alder Hey Children’s NHS FT',
      displayName: 'Robin Hale',
      profession: 'CYWP',
    });
    await stack.http().patch('/api/v1/me').set(auth).send({ isAdmin: true }).expect(400);
    await stack.http().patch('/api/v1/me').set(auth).send({ email: 'new@example.org' }).expect(400);
    await stack.http().patch('/api/v1/me').set(auth).send({ careerStage: 'consultant' }).expect(400);
    const [row] = await stack.query<{ is_admin: boolean; email: string; career_stage: string }>(
      'SELECT is_admin, email, career_stage FROM users WHERE id = $1',
      [user.id],
    );
    expect(row).toEqual({ is_admin: false, email: user.email, career_stage: 'qualified' });
  });

  it('refuses forged and malformed access tokens', async () => {
    const user = await createUser(stack);
    const forged = user.token.slice(0, -4) + 'AAAA';
    const bad = await stack.http().get('/api/v1/me').set('Authorization', `Bearer ${forged}`).expect(401);
    expect(bad.body.message).toMatch(/expired or is not valid/);
    await stack.http().get('/api/v1/me').set('Authorization', 'Basic abc').expect(401);
  });
});
