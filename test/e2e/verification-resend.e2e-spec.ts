import { createUser, linkToken, registration, TestStack } from '@cophub/testing';

/** A member whose verification link expired asks for a new one from the page the old link opened. */
describe('asking for a new verification link', () => {
  let stack: TestStack;

  beforeAll(async () => {
    stack = await TestStack.start({
      env: { RATE_LIMIT_PASSWORD_RESET_PER_IP_PER_HOUR: '6', RATE_LIMIT_REGISTER_PER_IP_PER_HOUR: '1000' },
    });
  });

  afterAll(async () => {
    await stack?.close();
  });

  it('answers the same for a registered, unknown or verified address, and only the unverified one gets mail', async () => {
    const email = 'resend-me@example.nhs.net';
    await stack
      .http()
      .post('/api/v1/auth/register')
      .send(registration(email, { displayName: 'Resend Tester', profession: 'PWP', careerStage: 'trainee' }))
      .expect(202);
    const first = linkToken((await stack.smtp!.waitForMessageTo(email, 'Confirm')).text, '/verify-email');
    const verified = await createUser(stack);

    const answers = [];
    for (const address of [email, 'nobody-here@example.nhs.net', verified.email]) {
      const response = await stack.http().post('/api/v1/auth/verify/resend').send({ email: address });
      answers.push([response.status, response.body]);
    }
    expect(answers[0]).toEqual(answers[1]);
    expect(answers[1]).toEqual(answers[2]);
    expect(answers[0][0]).toBe(202);

    await stack.smtp!.waitFor((m) => m.filter((x) => x.to.includes(email)).length === 2);
    const second = linkToken(stack.smtp!.to(email)[1].text, '/verify-email');
    expect(second).not.toBe(first);
    expect(stack.smtp!.to('nobody-here@example.nhs.net')).toHaveLength(0);
    expect(stack.smtp!.to(verified.email)).toHaveLength(0);
    // The new link confirms the address and says who, so the page can fill in the sign-in form.
    const confirmed = await stack.http().post('/api/v1/auth/verify-email').send({ token: second }).expect(200);
    expect(confirmed.body.email).toBe(email);
  });

  it('refuses a malformed body with 400 and is rate limited per network with Retry-After', async () => {
    await stack.http().post('/api/v1/auth/verify/resend').send({ email: 'not-an-address' }).expect(400);
    await stack.http().post('/api/v1/auth/verify/resend').send({ email: 'x@example.org', extra: 1 }).expect(400);
    let last;
    for (let i = 0; i < 8; i += 1) {
      last = await stack
        .http()
        .post('/api/v1/auth/verify/resend')
        .send({ email: `spam${i}@example.org` });
      if (last.status === 429) break;
    }
    expect(last!.status).toBe(429);
    expect(Number(last!.headers['retry-after'])).toBeGreaterThan(0);
  });
});
