import type { INestApplicationContext } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Transporter } from 'nodemailer';
import type SMTPTransport from 'nodemailer/lib/smtp-transport';
import { createMailIn } from '../../apps/mail-in/src/mail-in.factory';
import { RawMessageRetention } from '@cophub/mail-in';
import { createCommunity, createMember, eventually, TestCommunity, TestStack, TestUser } from '@cophub/testing';
import {
  compose,
  makeDomain,
  postToWebhook,
  TestDomain,
  sendRaw,
  signed,
  smtpClient,
  stubResolver,
} from './mail-in.helpers';
import { makePdf, makeZip } from './resources.helpers';

const DOMAIN = 'in.cophub.test';
const WEBHOOK_SECRET = 'webhook-secret-0123456789-abcdef';
const auth = (user: TestUser) => ({ Authorization: `Bearer ${user.token}` });

// The members' trust signs with DKIM and publishes DMARC p=reject; a second domain is a stranger's.
const trust = makeDomain('trust.example');
const strangerDomain = makeDomain('elsewhere.example');
// A forger holds a key of their own, not the trust's.
const forger = makeDomain('trust.example', 'test');
const resolver = stubResolver([trust, strangerDomain]);

// Each test drives SMTP, the API, the worker and the outbox together on a shared 2-core machine.
jest.setTimeout(180_000);

describe('inbound mail (SMTP into the running mail-in app)', () => {
  let stack: TestStack;
  let mailIn: INestApplicationContext;
  let client: Transporter<SMTPTransport.SentMessageInfo>;
  let community: TestCommunity;
  let coChair: TestUser;
  let alice: TestUser;
  let general: string;
  let share: string;

  beforeAll(async () => {
    stack = await TestStack.start({
      env: { MAIL_IN_DOMAIN: DOMAIN, MAIL_IN_PORT: '0', MAIL_IN_WEBHOOK_SECRET: WEBHOOK_SECRET },
      mailInResolver: resolver,
    });
    const started = await createMailIn(stack.config, { resolver, logs: false, clock: stack.clock });
    mailIn = started.app;
    client = smtpClient(started.port);
    community = await createCommunity(stack, { slug: `north-west-${randomUUID().slice(0, 6)}` });
    coChair = await createMember(stack, community, 'co_chair', { displayName: 'Chris Chair' });
    alice = await createMember(stack, community, 'member', {
      displayName: 'Alice Archer',
      email: `alice.${randomUUID().slice(0, 6)}@trust.example`,
    });
    share = `share+${community.slug}@${DOMAIN}`;
    const category = await stack
      .http()
      .post(`/api/v1/communities/${community.slug}/categories`)
      .set(auth(coChair))
      .send({ name: 'Shared by members' })
      .expect(201);
    general = category.body.id;
  });

  afterAll(async () => {
    client?.close();
    await mailIn?.close();
    await stack?.close();
  });

  async function memberMail(options: {
    from?: string;
    to?: string;
    subject: string;
    text: string;
    attachments?: Array<{ filename: string; content: Buffer; contentType?: string }>;
    headers?: Record<string, string>;
    messageId?: string;
    signWith?: TestDomain;
  }): Promise<Buffer> {
    const raw = await compose({
      from: options.from ?? `Alice Archer <${alice.email}>`,
      to: options.to ?? share,
      subject: options.subject,
      text: options.text,
      attachments: options.attachments,
      headers: options.headers,
      messageId: options.messageId ?? `<${randomUUID()}@trust.example>`,
    });
    return signed(raw, options.signWith ?? trust);
  }

  async function submissions(status?: string) {
    const res = await stack
      .http()
      .get(`/api/v1/communities/${community.slug}/mail-submissions${status ? `?status=${status}` : ''}`)
      .set(auth(coChair))
      .expect(200);
    return res.body.items as Array<{
      id: string;
      subject: string;
      status: string;
      holdReason: string | null;
      attachments: Array<{ id: string; fileName: string }>;
      authentication: { dmarc: string };
    }>;
  }

  /** The provider webhook, as a provider would call it. */
  function webhook(raw: Buffer, query: { from?: string; to: string }, secret = WEBHOOK_SECRET) {
    return postToWebhook(stack, raw, query, secret);
  }

  async function inbound(messageId: string) {
    return stack.query<{
      outcome: string;
      reason: string | null;
      kind: string;
      dmarc: string;
      auth: { dkim: Array<{ domain: string; result: string }>; dmarcPolicy: string | null };
    }>('SELECT outcome, reason, kind, dmarc, auth FROM inbound_messages WHERE message_id = $1', [
      messageId.toLowerCase(),
    ]);
  }

  it('refuses, at RCPT, every address that is not a community, reply or bounce address', async () => {
    const raw = await memberMail({ subject: 'hello', text: 'hi', to: `someone@${DOMAIN}` });
    await expect(sendRaw(client, raw, { from: alice.email, to: [`someone@${DOMAIN}`] })).rejects.toMatchObject({
      responseCode: 550,
    });
    await expect(
      sendRaw(client, raw, { from: alice.email, to: ['share+no-such-cop@' + DOMAIN] }),
    ).rejects.toMatchObject({
      responseCode: 550,
    });
    await expect(sendRaw(client, raw, { from: alice.email, to: ['share@other.example'] })).rejects.toMatchObject({
      responseCode: 550,
    });
  });

  it('a member shares a PDF; a co-chair publishes it as a resource; acknowledgement and outcome arrive', async () => {
    const pdf = await makePdf(['Supervision framework for PWPs', 'Second page']);
    const raw = await memberMail({
      subject: 'Supervision framework',
      text: 'Our trust wrote this framework; it may help others.\n\nAlice',
      attachments: [{ filename: 'framework.pdf', content: pdf, contentType: 'application/pdf' }],
    });
    await sendRaw(client, raw, { from: alice.email, to: [share] });

    const ack = await stack.smtp!.waitForMessageTo(alice.email, 'Received: Supervision framework');
    expect(ack.text).toContain('framework.pdf');
    expect(String(ack.headers.get('auto-submitted'))).toBe('auto-replied');

    const [submission] = (await submissions('pending')).filter((s) => s.subject === 'Supervision framework');
    expect(submission).toMatchObject({ status: 'pending', holdReason: null, authentication: { dmarc: 'pass' } });
    expect(submission.attachments.map((a) => a.fileName)).toEqual(['framework.pdf']);

    // A member cannot see the queue, let alone decide.
    await stack.http().get(`/api/v1/communities/${community.slug}/mail-submissions`).set(auth(alice)).expect(403);

    const published = await stack
      .http()
      .post(`/api/v1/communities/${community.slug}/mail-submissions/${submission.id}/publish-resource`)
      .set(auth(coChair))
      .send({ title: 'Supervision framework (North West)', tags: ['supervision'] })
      .expect(200);
    expect(published.body.status).toBe('published');
    const resourceId = published.body.resourceId as string;
    const resource = await stack.http().get(`/api/v1/resources/${resourceId}`).set(auth(alice)).expect(200);
    expect(resource.body.title).toBe('Supervision framework (North West)');
    expect(resource.body.versions[0]).toMatchObject({ fileName: 'framework.pdf', versionNo: 1 });
    const download = await stack
      .http()
      .get(`/api/v1/resources/${resourceId}/versions/1/download`)
      .set(auth(alice))
      .buffer(true)
      .parse((res, done) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => done(null, Buffer.concat(chunks)));
      })
      .expect(200);
    expect(Buffer.compare(download.body as Buffer, pdf)).toBe(0);

    const outcome = await stack.smtp!.waitForMessageTo(alice.email, 'was published in the resource library');
    expect(outcome.text).toContain(`/resources/${resourceId}`);

    // Deciding twice is a conflict, not a second resource.
    await stack
      .http()
      .post(`/api/v1/communities/${community.slug}/mail-submissions/${submission.id}/decline`)
      .set(auth(coChair))
      .send({ note: 'too late' })
      .expect(409);
  });

  it('a co-chair publishes a submission as a forum thread with its attachment linked', async () => {
    const raw = await memberMail({
      subject: 'Kickstarter slides',
      text: 'Slides from our **kickstarter** event.\n\n<script>alert(1)</script>',
      attachments: [{ filename: 'slides.pdf', content: await makePdf(['Kickstarter']) }],
    });
    await sendRaw(client, raw, { from: alice.email, to: [share] });
    const submission = await eventually(
      async () => (await submissions('pending')).find((s) => s.subject === 'Kickstarter slides'),
      'the submission',
    );
    const res = await stack
      .http()
      .post(`/api/v1/communities/${community.slug}/mail-submissions/${submission.id}/publish-thread`)
      .set(auth(coChair))
      .send({ categoryId: general })
      .expect(200);
    const posts = await stack.http().get(`/api/v1/threads/${res.body.threadId}/posts`).set(auth(coChair)).expect(200);
    const first = posts.body.items[0];
    expect(first.author.id).toBe(alice.id);
    expect(first.html).toContain('<strong>kickstarter</strong>');
    expect(first.html).not.toContain('<script>');
    expect(first.html).toMatch(/href="[^"]*\/resources\/[0-9a-f-]{36}"/);
    await stack.smtp!.waitForMessageTo(alice.email, 'was published as a forum thread');
  });

  /** A thread where the co-chair mentions Alice; returns it with the Reply-To of her notification. */
  async function mentionAlice(title: string): Promise<{ threadId: string; replyTo: string }> {
    const thread = await stack
      .http()
      .post(`/api/v1/communities/${community.slug}/threads`)
      .set(auth(coChair))
      .send({ categoryId: general, title, body: 'What are your caseloads like?' })
      .expect(201);
    await stack
      .http()
      .post(`/api/v1/threads/${thread.body.id}/posts`)
      .set(auth(coChair))
      .send({ body: '@AliceArcher what does your team do?' })
      .expect(201);
    await stack.smtp!.waitFor(
      () => stack.smtp!.to(alice.email).some((m) => m.text.includes(`"${title}"`)),
      15_000,
      `the mention in ${title}`,
    );
    const notification = stack.smtp!.to(alice.email).find((m) => m.text.includes(`"${title}"`))!;
    const replyTo = (notification.headers.get('reply-to') as { value: Array<{ address: string }> }).value[0].address;
    return { threadId: thread.body.id, replyTo };
  }

  async function postsIn(threadId: string) {
    const res = await stack.http().get(`/api/v1/threads/${threadId}/posts`).set(auth(coChair)).expect(200);
    return res.body.items as Array<{ author: { id: string }; html: string }>;
  }

  it('a member replies to a mention notification from Outlook and Gmail; only the new text is posted', async () => {
    const { threadId, replyTo } = await mentionAlice('Caseload limits');
    expect(replyTo).toMatch(new RegExp(`^reply\\+[a-z2-7]{42}@${DOMAIN.replace(/\./g, '\\.')}$`));

    const outlook = [
      'We cap at 40 active cases per PWP.',
      '',
      '________________________________',
      'From: CoP Hub <no-reply@cophub.test>',
      'Sent: 26 November 2026 14:03',
      `To: Alice Archer <${alice.email}>`,
      'Subject: Chris Chair mentioned you',
      '',
      'Hello Alice,',
      'Chris Chair mentioned you in "Caseload limits":',
    ].join('\r\n');
    await sendRaw(client, await memberMail({ to: replyTo, subject: 'RE: Chris Chair mentioned you', text: outlook }), {
      from: alice.email,
      to: [replyTo],
    });
    const gmail = [
      'And supervision is fortnightly.',
      '',
      'On Thu, 26 Nov 2026 at 14:03, CoP Hub <no-reply@cophub.test> wrote:',
      '',
      '> Hello Alice,',
      '> Chris Chair mentioned you in "Caseload limits":',
    ].join('\r\n');
    await sendRaw(client, await memberMail({ to: replyTo, subject: 'Re: Chris Chair mentioned you', text: gmail }), {
      from: alice.email,
      to: [replyTo],
    });

    const posts = await eventually(async () => {
      const items = await postsIn(threadId);
      return items.length === 4 ? items : null;
    }, 'both replies posted');
    const byAlice = posts.filter((p) => p.author.id === alice.id).map((p) => p.html);
    expect(byAlice).toEqual(['<p>We cap at 40 active cases per PWP.</p>', '<p>And supervision is fortnightly.</p>']);
  });

  it('a spoofed From (DKIM fails, DMARC reject) is not posted', async () => {
    const { threadId, replyTo } = await mentionAlice('Spoof target');
    const messageId = `<${randomUUID()}@attacker.example>`;
    const raw = await memberMail({
      to: replyTo,
      subject: 'Re: spoof',
      text: 'I resign from everything!',
      messageId,
      signWith: forger,
    });
    await sendRaw(client, raw, { from: 'attacker@attacker.example', to: [replyTo] });
    const [row] = await inbound(messageId);
    expect(row).toMatchObject({ kind: 'reply', outcome: 'reply_refused', dmarc: 'fail' });
    // The forger's signature claims the trust's domain but does not verify against its published key.
    expect(row.auth).toMatchObject({ dkim: [{ domain: 'trust.example', result: 'fail' }], dmarcPolicy: 'reject' });
    expect(await postsIn(threadId)).toHaveLength(2);

    // Also not as a submission: a forged member message to the share address is held, not queued.
    const shareId = `<${randomUUID()}@attacker.example>`;
    const forged = await memberMail({ subject: 'Forged share', text: 'fake', messageId: shareId, signWith: forger });
    await sendRaw(client, forged, { from: 'attacker@attacker.example', to: [share] });
    expect((await inbound(shareId))[0]).toMatchObject({ outcome: 'held', reason: 'authentication_failed' });
    // No polite reply either: the envelope sender is unverified, so it might be someone else's address.
    expect(stack.smtp!.to('attacker@attacker.example')).toHaveLength(0);
  });

  it('refuses politely: a locked thread, a suspended member, an unknown reply address', async () => {
    const { threadId, replyTo } = await mentionAlice('Locked later');
    await stack.http().put(`/api/v1/threads/${threadId}/lock`).set(auth(coChair)).send({ locked: true }).expect(200);
    await sendRaw(client, await memberMail({ to: replyTo, subject: 'Re: locked', text: 'Too late?' }), {
      from: alice.email,
      to: [replyTo],
    });
    const locked = await stack.smtp!.waitForMessageTo(alice.email, 'Not delivered: Re: locked');
    expect(locked.text).toMatch(/locked/i);

    const open = await mentionAlice('Open thread');
    await stack.query(`UPDATE memberships SET status = 'suspended' WHERE user_id = $1`, [alice.id]);
    try {
      await sendRaw(client, await memberMail({ to: open.replyTo, subject: 'Re: suspended', text: 'Hello?' }), {
        from: alice.email,
        to: [open.replyTo],
      });
      const suspended = await stack.smtp!.waitForMessageTo(alice.email, 'Not delivered: Re: suspended');
      expect(suspended.text).toMatch(/suspended/i);
    } finally {
      await stack.query(`UPDATE memberships SET status = 'approved' WHERE user_id = $1`, [alice.id]);
    }
    expect(await postsIn(threadId)).toHaveLength(2);
    expect(await postsIn(open.threadId)).toHaveLength(2);

    // A forwarded notification answered by someone else: the address belongs to Alice alone.
    const stranger = `sam.${randomUUID().slice(0, 6)}@elsewhere.example`;
    const forwardedId = `<${randomUUID()}@elsewhere.example>`;
    await sendRaw(
      client,
      await memberMail({
        from: stranger,
        to: open.replyTo,
        subject: 'Re: fwd',
        text: 'Me too',
        messageId: forwardedId,
        signWith: strangerDomain,
      }),
      { from: stranger, to: [open.replyTo] },
    );
    expect((await inbound(forwardedId))[0]).toMatchObject({ outcome: 'reply_refused' });
    expect(await postsIn(open.threadId)).toHaveLength(2);

    // A made-up token (right shape, wrong signature) is refused the same polite way, not posted.
    const fake = `reply+${'a'.repeat(42)}@${DOMAIN}`;
    await sendRaw(client, await memberMail({ to: fake, subject: 'Re: fake', text: 'Guessing' }), {
      from: alice.email,
      to: [fake],
    });
    const invalid = await stack.smtp!.waitForMessageTo(alice.email, 'Not delivered: Re: fake');
    expect(invalid.text).toContain('not a valid reply address');
  });

  it('a non-member gets one polite reply; an auto-reply gets none', async () => {
    const bob = `bob.${randomUUID().slice(0, 6)}@elsewhere.example`;
    for (const subject of ['Please share this', 'And this too']) {
      const raw = await memberMail({ from: bob, subject, text: 'From a stranger', signWith: strangerDomain });
      await sendRaw(client, raw, { from: bob, to: [share] });
    }
    const reply = await stack.smtp!.waitForMessageTo(bob, 'Not delivered: Please share this');
    expect(reply.text).toContain('Only members');
    const held = (await submissions('held')).filter((s) => ['Please share this', 'And this too'].includes(s.subject));
    expect(held.map((s) => s.holdReason)).toEqual(['not_a_member', 'not_a_member']);

    const carol = `carol.${randomUUID().slice(0, 6)}@elsewhere.example`;
    const autoId = `<${randomUUID()}@elsewhere.example>`;
    const auto = await memberMail({
      from: carol,
      subject: 'Out of office',
      text: 'I am away until Monday.',
      headers: { 'Auto-Submitted': 'auto-replied' },
      messageId: autoId,
      signWith: strangerDomain,
    });
    await sendRaw(client, auto, { from: carol, to: [share] });
    expect((await inbound(autoId))[0]).toMatchObject({ outcome: 'ignored_automatic' });

    // Let the worker send anything staged, then count: Bob got exactly one, Carol none.
    await eventually(
      async () =>
        Number(
          (
            await stack.query<{ n: string }>(
              `SELECT count(*) AS n FROM mail_outbox WHERE status IN ('pending', 'sending')`,
            )
          )[0].n,
        ) === 0,
      'outbox drained',
    );
    expect(stack.smtp!.to(bob)).toHaveLength(1);
    expect(stack.smtp!.to(carol)).toHaveLength(0);
    expect(await stack.query(`SELECT 1 FROM mail_outbox WHERE recipient = $1`, [carol])).toHaveLength(0);
  });

  it('refuses hostile attachments (HTML disguised as PDF, a zip bomb) and keeps nothing of them', async () => {
    const filesBefore = await stack.query<{ n: string }>('SELECT count(*) AS n FROM mail_submission_attachments');
    const cases = [
      {
        subject: 'Minutes',
        filename: 'minutes.pdf',
        content: Buffer.from('<!doctype html><script>steal()</script>'),
        expect: /minutes\.pdf.*refused/s,
      },
      {
        subject: 'Guide',
        filename: 'guide.docx',
        content: makeZip([
          { name: '[Content_Types].xml', data: Buffer.from('<Types/>') },
          { name: 'word/document.xml', data: Buffer.alloc(100 * 1024 * 1024) },
        ]),
        expect: /zip bomb/,
      },
    ];
    for (const c of cases) {
      const messageId = `<${randomUUID()}@trust.example>`;
      const raw = await memberMail({
        subject: c.subject,
        text: 'see attached',
        messageId,
        attachments: [{ filename: c.filename, content: c.content }],
      });
      await sendRaw(client, raw, { from: alice.email, to: [share] });
      const [row] = await inbound(messageId);
      expect(row.outcome).toBe('refused');
      expect(row.reason).toMatch(c.expect);
      const reply = await stack.smtp!.waitForMessageTo(alice.email, `Not delivered: ${c.subject}`);
      expect(reply.text).toMatch(c.expect);
    }
    const filesAfter = await stack.query<{ n: string }>('SELECT count(*) AS n FROM mail_submission_attachments');
    expect(filesAfter[0].n).toBe(filesBefore[0].n);
    expect((await submissions()).filter((s) => ['Minutes', 'Guide'].includes(s.subject))).toHaveLength(0);
  });

  it('the same Message-ID delivered twice (SMTP, then the provider webhook) makes one item', async () => {
    const messageId = `<${randomUUID()}@trust.example>`;
    const raw = await memberMail({ subject: 'Twice', text: 'sent twice', messageId });
    await sendRaw(client, raw, { from: alice.email, to: [share] });
    await sendRaw(client, raw, { from: alice.email, to: [share] });
    const viaWebhook = await webhook(raw, { from: alice.email, to: share }).expect(200);
    expect(viaWebhook.body).toMatchObject({ duplicate: true });
    expect((await submissions()).filter((s) => s.subject === 'Twice')).toHaveLength(1);
    expect(await inbound(messageId)).toHaveLength(1);
  });

  it('the same message delivered twice at once makes one submission and keeps one copy of its file', async () => {
    const root = join(stack.config.files.storageDir, 'objects');
    const objects = () =>
      existsSync(root)
        ? readdirSync(root, { recursive: true, withFileTypes: true }).filter((entry) => entry.isFile()).length
        : 0;
    const before = objects();
    const messageId = `<${randomUUID()}@trust.example>`;
    const raw = await memberMail({
      subject: 'At once',
      text: 'sent by two connections at the same time',
      messageId,
      attachments: [{ filename: 'at-once.pdf', content: await makePdf(['At once']) }],
    });
    // A non-pooled client opens a connection per message: two sessions deliver it concurrently.
    const answers = await Promise.all([
      sendRaw(client, raw, { from: alice.email, to: [share] }),
      sendRaw(client, raw, { from: alice.email, to: [share] }),
    ]);
    expect(answers.map((a) => a.response)).toEqual([expect.stringMatching(/^250/), expect.stringMatching(/^250/)]);
    const mine = (await submissions()).filter((s) => s.subject === 'At once');
    expect(mine).toHaveLength(1);
    expect(mine[0].attachments.map((a) => a.fileName)).toEqual(['at-once.pdf']);
    expect(await inbound(messageId)).toHaveLength(1);
    // The duplicate's staged copy of the file was removed again.
    expect(objects()).toBe(before + 1);
  });

  it('stores the raw message compressed with lz4', async () => {
    const messageId = `<${randomUUID()}@trust.example>`;
    // Large enough (about 40 kB) for PostgreSQL to compress the value at all.
    const guide = Buffer.concat([await makePdf(['Guide']), Buffer.alloc(30 * 1024, 'guide text\n')]);
    const raw = await memberMail({
      subject: 'Big guide',
      text: 'attached',
      messageId,
      attachments: [{ filename: 'big-guide.pdf', content: guide }],
    });
    await sendRaw(client, raw, { from: alice.email, to: [share] });
    const [row] = await stack.query<{ compression: string | null; raw: Buffer }>(
      'SELECT pg_column_compression(raw) AS compression, raw FROM inbound_messages WHERE message_id = $1',
      [messageId.toLowerCase()],
    );
    expect(row.compression).toBe('lz4');
    expect(Buffer.compare(row.raw, raw)).toBe(0);
  });

  it('the provider webhook needs its secret and processes like SMTP', async () => {
    const raw = await memberMail({ subject: 'By webhook', text: 'via provider' });
    await webhook(raw, { to: share }, 'wrong-secret-wrong-secret-000').expect(401);
    await webhook(raw, { to: `nobody@${DOMAIN}` }).expect(400);
    // Without the client IP (not passed by this provider) SPF is not checked; DKIM still aligns for DMARC.
    const res = await webhook(raw, { from: alice.email, to: share }).expect(200);
    expect(res.body).toMatchObject({ duplicate: false, kind: 'submission', outcome: 'submitted' });
  });

  it('a bounce marks the address: no more mail to it until its owner confirms it', async () => {
    const [sent] = await stack.query<{ id: string }>(
      `SELECT id FROM mail_outbox WHERE recipient = $1 AND status = 'sent' ORDER BY created_at LIMIT 1`,
      [alice.email],
    );
    // Each message goes out with its own signed return path; the report comes back to it.
    const returnPath = stack.smtp!.to(alice.email).find((m) => m.messageId.includes(sent.id))!.from;
    const dsn = [
      'From: Mail Delivery System <MAILER-DAEMON@mx.trust.example>',
      `To: ${returnPath}`,
      'Subject: Undelivered Mail Returned to Sender',
      `Message-ID: <${randomUUID()}@mx.trust.example>`,
      'MIME-Version: 1.0',
      'Content-Type: multipart/report; report-type=delivery-status; boundary="b1"',
      '',
      '--b1',
      'Content-Type: text/plain',
      '',
      'This is the mail system. Your message could not be delivered.',
      '',
      '--b1',
      'Content-Type: message/delivery-status',
      '',
      'Reporting-MTA: dns; mx.trust.example',
      '',
      `Final-Recipient: rfc822; ${alice.email}`,
      'Action: failed',
      'Status: 5.1.1',
      'Diagnostic-Code: smtp; 550 5.1.1 User unknown',
      '',
      '--b1',
      'Content-Type: text/rfc822-headers',
      '',
      'From: CoP Hub <no-reply@cophub.test>',
      `To: ${alice.email}`,
      `Message-ID: <${sent.id}@cophub.test>`,
      '',
      '--b1--',
      '',
    ].join('\r\n');
    // DSNs come with the null return path; they are recorded but never answered.
    await sendRaw(client, Buffer.from(dsn), { from: '', to: [returnPath] });
    const admin = await createMember(stack, community, 'member', { isAdmin: true });
    const bouncing = await stack.http().get('/api/v1/admin/mail/bouncing').set(auth(admin)).expect(200);
    expect(bouncing.body.items).toEqual([expect.objectContaining({ address: alice.email, status: '5.1.1' })]);
    await stack.http().get('/api/v1/admin/mail/bouncing').set(auth(alice)).expect(403);
    const status = await stack.http().get('/api/v1/me/mail-status').set(auth(alice)).expect(200);
    expect(status.body).toMatchObject({ bouncing: true });

    // The next mail to Alice (an acknowledgement) is skipped by the outbox.
    const before = stack.smtp!.to(alice.email).length;
    await sendRaw(client, await memberMail({ subject: 'While bouncing', text: 'hello' }), {
      from: alice.email,
      to: [share],
    });
    await eventually(
      async () =>
        (
          await stack.query<{ status: string }>(
            `SELECT status FROM mail_outbox WHERE recipient = $1 AND status = 'suppressed'`,
            [alice.email],
          )
        ).length > 0,
      'the acknowledgement suppressed',
    );
    expect(stack.smtp!.to(alice.email)).toHaveLength(before);

    // Alice asks for a confirmation link (the one mail still sent), follows it, and mail resumes.
    await stack.http().post('/api/v1/me/mail-status/confirm').set(auth(alice)).expect(202);
    const confirm = await stack.smtp!.waitForMessageTo(alice.email, 'Confirm your email address still works');
    const token = /mail-status\/confirm\?token=([^\s"&]+)/.exec(confirm.text)![1];
    await stack.http().get(`/api/v1/mail-status/confirm?token=${token}`).expect(200);
    expect((await stack.http().get('/api/v1/me/mail-status').set(auth(alice)).expect(200)).body.bouncing).toBe(true);
    await stack.http().post(`/api/v1/mail-status/confirm?token=${token}`).expect(200);
    expect((await stack.http().get('/api/v1/me/mail-status').set(auth(alice)).expect(200)).body.bouncing).toBe(false);
  });

  it('a forged bounce about mail we never sent changes nothing', async () => {
    const victim = await createMember(stack, community, 'member');
    const dsn = [
      'From: MAILER-DAEMON@evil.example',
      `To: bounces@${DOMAIN}`,
      'Subject: failure',
      `Message-ID: <${randomUUID()}@evil.example>`,
      'Content-Type: multipart/report; report-type=delivery-status; boundary="x"',
      '',
      '--x',
      'Content-Type: message/delivery-status',
      '',
      `Final-Recipient: rfc822; ${victim.email}`,
      'Action: failed',
      'Status: 5.1.1',
      '',
      '--x--',
      '',
    ].join('\r\n');
    await sendRaw(client, Buffer.from(dsn), { from: '', to: [`bounces@${DOMAIN}`] });
    expect(await stack.query('SELECT 1 FROM mail_suppressions WHERE address = $1', [victim.email])).toHaveLength(0);
  });

  it('deletes raw messages after the retention period and still recognises them as duplicates', async () => {
    const messageId = `<${randomUUID()}@trust.example>`;
    const raw = await memberMail({ subject: 'Old news', text: 'kept a while', messageId });
    await sendRaw(client, raw, { from: alice.email, to: [share] });
    await stack.query(`UPDATE inbound_messages SET received_at = now() - interval '31 days' WHERE message_id = $1`, [
      messageId.toLowerCase(),
    ]);
    expect(await mailIn.get(RawMessageRetention).purge()).toBeGreaterThanOrEqual(1);
    const [row] = await stack.query<{ raw: Buffer | null; raw_deleted_at: Date | null; outcome: string }>(
      'SELECT raw, raw_deleted_at, outcome FROM inbound_messages WHERE message_id = $1',
      [messageId.toLowerCase()],
    );
    expect(row).toMatchObject({ raw: null, outcome: 'submitted' });
    expect(row.raw_deleted_at).not.toBeNull();
    // Recent messages keep their bytes.
    const [recent] = await stack.query<{ n: string }>(
      `SELECT count(*) AS n FROM inbound_messages WHERE raw IS NULL AND received_at > now() - interval '1 day'`,
    );
    expect(Number(recent.n)).toBe(0);
    await sendRaw(client, raw, { from: alice.email, to: [share] });
    expect((await submissions()).filter((s) => s.subject === 'Old news')).toHaveLength(1);
  });
});
