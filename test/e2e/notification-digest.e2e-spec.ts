import { DigestService } from '@cophub/notifications';
import { createUser, TestStack, TestUser } from '@cophub/testing';

/** The daily digest and one-click unsubscribe, through the worker, the outbox and a real SMTP server. */
describe('notification digest and one-click unsubscribe', () => {
  let stack: TestStack;
  let digests: DigestService;

  beforeAll(async () => {
    stack = await TestStack.start({ env: { DIGEST_HOUR: '7' } });
    digests = stack.worker!.get(DigestService);
  });

  afterAll(async () => {
    await stack?.close();
  });

  async function pending(user: TestUser, title: string) {
    await stack.query(
      `INSERT INTO notifications (user_id, kind, title, url, digest_pending) VALUES ($1, 'forum_reply', $2, '/t/1', true)`,
      [user.id, title],
    );
  }

  const digestsTo = (user: TestUser) => stack.smtp!.to(user.email).filter((m) => m.subject.includes('digest'));

  it('sends one digest a day from the digest hour, listing what waited, and never a second that day', async () => {
    const user = await createUser(stack, { displayName: 'Dana Digest' });
    await pending(user, 'New reply in “Supervision models”');
    await pending(user, 'New reply in “Caseload limits”');

    stack.clock.set(new Date('2027-01-12T06:30:00Z')); // 06:30 in London: too early
    expect(await digests.runOnce()).toBe(0);

    stack.clock.set(new Date('2027-01-12T07:05:00Z'));
    expect(await digests.runOnce()).toBe(1);
    const mail = await stack.smtp!.waitForMessageTo(user.email, 'digest');
    expect(mail.subject).toContain('12 January 2027: 2 updates');
    expect(mail.text).toContain('Supervision models');
    expect(mail.text).toContain('Caseload limits');
    expect(mail.text).toContain('http://cophub.test/t/1');

    // Something new the same day waits for tomorrow's digest.
    await pending(user, 'New reply in “Role clarity”');
    expect(await digests.runOnce()).toBe(0);
    stack.clock.set(new Date('2027-01-13T07:01:00Z'));
    expect(await digests.runOnce()).toBe(1);
    await stack.smtp!.waitFor(() => digestsTo(user).length === 2, 15_000, 'second digest');
    expect(digestsTo(user)[1].text).toContain('Role clarity');
    expect(digestsTo(user)[1].text).not.toContain('Caseload limits');
    expect(await digests.runOnce()).toBe(0);
  });

  it('carries an RFC 8058 one-click unsubscribe that moves digest kinds to in-app only', async () => {
    const user = await createUser(stack);
    await stack
      .http()
      .put('/api/v1/me/notification-preferences')
      .set('Authorization', `Bearer ${user.token}`)
      .send({ forum_reply: 'digest', forum_quote: 'digest' })
      .expect(200);
    await pending(user, 'A reply');
    stack.clock.set(new Date('2027-01-14T08:00:00Z'));
    await digests.runOnce();
    const mail = await stack.smtp!.waitForMessageTo(user.email, 'digest');
    // mailparser groups List-* headers under `list`.
    const list = mail.headers.get('list') as { unsubscribe: { url: string }; 'unsubscribe-post': { name: string } };
    expect(list['unsubscribe-post'].name).toBe('List-Unsubscribe=One-Click');
    const url = new URL(list.unsubscribe.url);
    expect(mail.text).toContain(`Unsubscribe from these emails: ${url.toString()}`);
    expect(mail.text).toContain(`notification settings: ${stack.config.publicUrl}/settings/notifications`);

    // A GET (a link scanner) changes nothing; a forged signature is refused; the POST unsubscribes.
    const page = await stack.http().get(`${url.pathname}${url.search}`).expect(200);
    expect(page.text).toContain('<form method="post"');
    const forged = new URLSearchParams(url.search);
    forged.set('s', 'A'.repeat(43));
    await stack
      .http()
      .post(`${url.pathname}?${forged.toString()}`)
      .type('form')
      .send('List-Unsubscribe=One-Click')
      .expect(400);
    const other = await createUser(stack);
    const stolen = new URLSearchParams(url.search);
    stolen.set('u', other.id);
    await stack
      .http()
      .post(`${url.pathname}?${stolen.toString()}`)
      .type('form')
      .send('List-Unsubscribe=One-Click')
      .expect(400);
    let prefs = await stack
      .http()
      .get('/api/v1/me/notification-preferences')
      .set('Authorization', `Bearer ${user.token}`);
    expect(prefs.body).toMatchObject({ forum_reply: 'digest', forum_quote: 'digest' });

    const done = await stack
      .http()
      .post(`${url.pathname}${url.search}`)
      .type('form')
      .send('List-Unsubscribe=One-Click')
      .expect(200);
    expect(done.headers['content-type']).toContain('text/html');
    expect(done.text).toContain('<h1>You are unsubscribed</h1>');
    prefs = await stack.http().get('/api/v1/me/notification-preferences').set('Authorization', `Bearer ${user.token}`);
    expect(prefs.body).toMatchObject({ forum_reply: 'in_app', forum_quote: 'in_app' });

    // The confirmation's Undo puts back exactly what was changed; a tampered undo changes nothing.
    const undoAction = /<form method="post" action="undo\?([^"]+)"/.exec(done.text)![1].replace(/&amp;/g, '&');
    const tampered = new URLSearchParams(undoAction);
    tampered.set('p', 'forum_reply:email');
    await stack.http().post(`${url.pathname}/undo?${tampered.toString()}`).expect(400);
    const undone = await stack.http().post(`${url.pathname}/undo?${undoAction}`).expect(200);
    expect(undone.text).toContain('You are subscribed again');
    prefs = await stack.http().get('/api/v1/me/notification-preferences').set('Authorization', `Bearer ${user.token}`);
    expect(prefs.body).toMatchObject({ forum_reply: 'digest', forum_quote: 'digest' });
  });
});
