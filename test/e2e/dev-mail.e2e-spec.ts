import { createUser, eventually, TestStack } from '@cophub/testing';

describe('running with no mail server', () => {
  let stack: TestStack;

  beforeAll(async () => {
    stack = await TestStack.start({ smtp: false });
  });

  afterAll(async () => {
    await stack?.close();
  });

  it('keeps each email in the local outbox, readable at /dev/mail and by admins', async () => {
    await stack
      .http()
      .post('/api/v1/auth/register')
      .send({
        email: 'no.smtp@example.org',
        password: 'Quiet-Harbour-Lamp-7',
        displayName: 'Casey Dev',
        profession: 'EMHP',
        careerStage: 'trainee',
        region: 'london',
      })
      .expect(202);
    const message = await eventually(
      async () =>
        (
          await stack.query<{ id: string; transport: string }>(
            "SELECT id, transport FROM mail_outbox WHERE recipient = 'no.smtp@example.org' AND status = 'sent'",
          )
        )[0],
      'the message to be kept locally',
    );
    expect(message.transport).toBe('local');

    const index = await stack.http().get('/dev/mail').expect(200);
    expect(index.text).toContain('no.smtp@example.org');
    expect(index.text).toContain('Confirm your email address for CoP Hub');
    const body = await stack.http().get(`/dev/mail/${message.id}`).expect(200);
    expect(body.text).toMatch(/verify-email\?token=[A-Za-z0-9_-]+/);

    const admin = await createUser(stack, { isAdmin: true });
    const api = await stack
      .http()
      .get(`/api/v1/admin/mail/outbox/${message.id}`)
      .set('Authorization', `Bearer ${admin.token}`)
      .expect(200);
    expect(api.body).toMatchObject({ recipient: 'no.smtp@example.org', status: 'sent', transport: 'local' });
    expect(api.body.bodyText).toContain('/verify-email?token=');
  });
});
