import type { INestApplicationContext } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import v8 from 'node:v8';
import { runInNewContext } from 'node:vm';
import type { Transporter } from 'nodemailer';
import type SMTPTransport from 'nodemailer/lib/smtp-transport';
import { createMailIn } from '../../apps/mail-in/src/mail-in.factory';
import { createCommunity, createMember, eventually, TestCommunity, TestStack, TestUser } from '@cophub/testing';
import {
  compose,
  makeDomain,
  postToWebhook,
  sendOversized,
  sendRaw,
  signed,
  smtpClient,
  stubResolver,
  TestDomain,
} from './mail-in.helpers';
import { makePdf } from './resources.helpers';

/**
 * Inbound mail as an attacker sends it: forged Received lines, DKIM-signed mail replayed to another
 * address, forged replies where a community accepts DMARC failures, oversized and malformed messages,
 * too many recipients, forged bounces. Each case goes through real SMTP (the smtp-server listener)
 * and the provider webhook, with DKIM from mailauth's signer and DNS from a stub.
 */

const DOMAIN = 'in.cophub.test';
const WEBHOOK_SECRET = 'webhook-secret-0123456789-abcdef';
const PROVIDER_HOST = 'mx.provider.test';
const MAX_BYTES = 3 * 1024 * 1024;
const MAX_RECIPIENTS = 5;
const auth = (user: TestUser) => ({ Authorization: `Bearer ${user.token}` });

// The members' trust: DKIM, SPF for 127.0.0.1 (where the tests send from) and its public server, DMARC p=reject.
const trust = makeDomain('trust.example');
// A domain that lists only a remote server in SPF and signs nothing.
const spfOnly = makeDomain('spf-only.example');
// A domain with DMARC p=none and SPF naming a remote server: mail from it fails DMARC without a signature.
const relaxed = makeDomain('relaxed.example');
// The trust's outbound server as the internet sees it (a public address its SPF record lists).
const TRUST_SERVER = '203.0.113.5';
const resolver = stubResolver([
  { ...trust, spf: `v=spf1 ip4:127.0.0.1 ip4:${TRUST_SERVER} -all` },
  { ...spfOnly, spf: 'v=spf1 ip4:192.0.2.10 -all' },
  { ...relaxed, spf: 'v=spf1 ip4:192.0.2.20 -all', dmarc: 'v=DMARC1; p=none' },
]);

jest.setTimeout(240_000);

describe('inbound mail an attacker sends', () => {
  let stack: TestStack;
  let mailIn: INestApplicationContext;
  let client: Transporter<SMTPTransport.SentMessageInfo>;
  let port: number;
  let strict: TestCommunity;
  let lenient: TestCommunity;
  let chair: TestUser;
  let lenientChair: TestUser;
  let alice: TestUser;
  let bob: TestUser;
  let category: string;
  let lenientCategory: string;

  beforeAll(async () => {
    stack = await TestStack.start({
      env: {
        MAIL_IN_DOMAIN: DOMAIN,
        MAIL_IN_PORT: '0',
        MAIL_IN_WEBHOOK_SECRET: WEBHOOK_SECRET,
        MAIL_IN_TRUSTED_RECEIVED_HOSTS: PROVIDER_HOST,
        MAIL_IN_MAX_MESSAGE_BYTES: String(MAX_BYTES),
        MAIL_IN_MAX_RECIPIENTS: String(MAX_RECIPIENTS),
      },
      mailInResolver: resolver,
    });
    const started = await createMailIn(stack.config, { resolver, logs: false, clock: stack.clock });
    mailIn = started.app;
    port = started.port;
    client = smtpClient(port);
    strict = await createCommunity(stack, { slug: `strict-${randomUUID().slice(0, 6)}` });
    lenient = await createCommunity(stack, { slug: `lenient-${randomUUID().slice(0, 6)}` });
    chair = await createMember(stack, strict, 'co_chair', { displayName: 'Chris Chair' });
    lenientChair = await createMember(stack, lenient, 'co_chair', { displayName: 'Lee Chair' });
    alice = await createMember(stack, strict, 'member', {
      displayName: 'Alice Archer',
      email: `alice.${randomUUID().slice(0, 6)}@trust.example`,
    });
    bob = await createMember(stack, lenient, 'member', {
      displayName: 'Bob Baker',
      email: `bob.${randomUUID().slice(0, 6)}@relaxed.example`,
    });
    category = (
      await stack
        .http()
        .post(`/api/v1/communities/${strict.slug}/categories`)
        .set(auth(chair))
        .send({ name: 'General' })
        .expect(201)
    ).body.id;
    lenientCategory = (
      await stack
        .http()
        .post(`/api/v1/communities/${lenient.slug}/categories`)
        .set(auth(lenientChair))
        .send({ name: 'General' })
        .expect(201)
    ).body.id;
    await stack
      .http()
      .patch(`/api/v1/communities/${lenient.slug}/mail-settings`)
      .set(auth(lenientChair))
      .send({ acceptDmarcFailures: true })
      .expect(200);
  });

  afterAll(async () => {
    client?.close();
    await mailIn?.close();
    await stack?.close();
  });

  const share = (community: TestCommunity) => `share+${community.slug}@${DOMAIN}`;

  async function message(options: {
    from: string;
    to: string;
    cc?: string;
    subject: string;
    text: string;
    received?: string[];
    attachments?: Array<{ filename: string; content: Buffer }>;
    signWith?: TestDomain | null;
    messageId?: string;
  }): Promise<{ raw: Buffer; messageId: string }> {
    const messageId = options.messageId ?? `<${randomUUID()}@${options.from.split('@')[1]}>`;
    let raw = await compose({
      from: options.from,
      to: options.to,
      cc: options.cc,
      subject: options.subject,
      text: options.text,
      attachments: options.attachments,
      messageId,
    });
    if (options.signWith) raw = await signed(raw, options.signWith);
    // Trace lines go on top, as each server that handled the message adds its own above the rest.
    if (options.received) raw = Buffer.concat([Buffer.from(options.received.map((r) => `${r}\r\n`).join('')), raw]);
    return { raw, messageId };
  }

  function webhook(raw: Buffer, query: { from?: string; to: string }) {
    return postToWebhook(stack, raw, query, WEBHOOK_SECRET);
  }

  async function inbound(messageId: string) {
    const [row] = await stack.query<{
      outcome: string;
      reason: string | null;
      auth: { spf: string; dmarc: string };
    }>('SELECT outcome, reason, auth FROM inbound_messages WHERE message_id = $1', [messageId.toLowerCase()]);
    return row;
  }

  async function submission(community: TestCommunity, coChair: TestUser, subject: string) {
    const res = await stack
      .http()
      .get(`/api/v1/communities/${community.slug}/mail-submissions`)
      .set(auth(coChair))
      .expect(200);
    return (
      res.body.items as Array<{
        id: string;
        subject: string;
        status: string;
        holdReason: string | null;
        to: string[];
        cc: string[];
        attachments: unknown[];
      }>
    ).find((s) => s.subject === subject);
  }

  const outboxTo = (address: string) =>
    stack.query<{ template: string }>('SELECT template FROM mail_outbox WHERE recipient = $1', [address.toLowerCase()]);

  /** A thread where the co-chair mentions the member; returns the Reply-To of the notification they got. */
  async function mention(
    member: TestUser,
    community: TestCommunity,
    coChair: TestUser,
    categoryId: string,
  ): Promise<{ threadId: string; replyTo: string }> {
    const title = `Thread ${randomUUID().slice(0, 8)}`;
    const thread = await stack
      .http()
      .post(`/api/v1/communities/${community.slug}/threads`)
      .set(auth(coChair))
      .send({ categoryId, title, body: 'What do your teams do?' })
      .expect(201);
    await stack
      .http()
      .post(`/api/v1/threads/${thread.body.id}/posts`)
      .set(auth(coChair))
      .send({ body: `@${member.displayName.replace(/\s/g, '')} what does your team do?` })
      .expect(201);
    await stack.smtp!.waitFor(
      () => stack.smtp!.to(member.email).some((m) => m.text.includes(`"${title}"`)),
      15_000,
      `the mention in ${title}`,
    );
    const notification = stack.smtp!.to(member.email).find((m) => m.text.includes(`"${title}"`))!;
    const replyTo = (notification.headers.get('reply-to') as { value: Array<{ address: string }> }).value[0].address;
    return { threadId: thread.body.id, replyTo };
  }

  async function postCount(threadId: string, reader: TestUser) {
    const res = await stack.http().get(`/api/v1/threads/${threadId}/posts`).set(auth(reader)).expect(200);
    return (res.body.items as unknown[]).length;
  }

  describe('sender authentication cannot be forged with a Received line', () => {
    // Fails on the previous code: without a client IP from the provider, mailauth took the IP from
    // the first Received line the sender wrote, so SPF passed for the trust's server and DMARC with it.
    it('a webhook reply with a forged Received line naming the trust’s server is not posted', async () => {
      const { threadId, replyTo } = await mention(alice, strict, chair, category);
      const { raw, messageId } = await message({
        from: alice.email,
        to: replyTo,
        subject: 'Re: forged',
        text: 'Posted by someone else',
        received: [`Received: from mail.trust.example (mail.trust.example [${TRUST_SERVER}]) by mx.attacker.test`],
      });
      await webhook(raw, { from: alice.email, to: replyTo }).expect(200);
      const row = await inbound(messageId);
      expect(row.auth).toMatchObject({ spf: 'none' });
      expect(row.outcome).not.toBe('posted');
      expect(await postCount(threadId, chair)).toBe(2);
    });

    // Fails on the previous code: the forged line made SPF pass for the victim's domain, so a polite
    // refusal went to an address that never wrote to us (backscatter).
    it('a forged non-member share by webhook is held and nothing is mailed to the forged sender', async () => {
      const victim = `victim.${randomUUID().slice(0, 6)}@trust.example`;
      const { raw, messageId } = await message({
        from: victim,
        to: share(strict),
        subject: 'Backscatter bait',
        text: 'hello',
        received: [`Received: from mail.trust.example (mail.trust.example [${TRUST_SERVER}]) by mx.attacker.test`],
      });
      await webhook(raw, { from: victim, to: share(strict) }).expect(200);
      expect(await inbound(messageId)).toMatchObject({ outcome: 'held', auth: { spf: 'none' } });
      expect(await outboxTo(victim)).toHaveLength(0);
    });

    // Guard (the previous code read the top line too): the setting's positive case and its limit.
    it('trusts the Received line of a configured provider host, and only the one it wrote', async () => {
      const provider = (ip: string, helo = 'mail.trust.example') =>
        `Received: from ${helo} (${helo} [${ip}]) by ${PROVIDER_HOST} with ESMTPS id x1; Mon, 7 Dec 2026 10:00:00 +0000`;
      const genuine = await message({
        from: alice.email,
        to: share(strict),
        subject: 'Via provider',
        text: 'relayed by our provider',
        received: [provider(TRUST_SERVER)],
      });
      await webhook(genuine.raw, { from: alice.email, to: share(strict) }).expect(200);
      expect(await inbound(genuine.messageId)).toMatchObject({ outcome: 'submitted', auth: { spf: 'pass' } });

      // The provider received it from an outside server; a line below the provider's, naming the
      // trust's server, was written by the sender and is not read.
      const forged = await message({
        from: alice.email,
        to: share(strict),
        subject: 'Under the provider',
        text: 'forged hop',
        received: [provider('198.51.100.7', 'relay.attacker.test'), provider(TRUST_SERVER)],
      });
      await webhook(forged.raw, { from: alice.email, to: share(strict) }).expect(200);
      expect(await inbound(forged.messageId)).toMatchObject({ outcome: 'held', reason: 'authentication_failed' });
      expect(await outboxTo(alice.email).then((rows) => rows.filter((r) => r.template === 'mailin.refused'))).toEqual(
        [],
      );
    });

    // Guard (SMTP always had the connection's address): a Received line never replaces it.
    it('over SMTP, SPF is checked against the connecting address, never a Received line', async () => {
      const carol = await createMember(stack, strict, 'member', {
        email: `carol.${randomUUID().slice(0, 6)}@spf-only.example`,
      });
      const { raw, messageId } = await message({
        from: carol.email,
        to: share(strict),
        subject: 'SPF by header',
        text: 'from the listed server, honestly',
        received: [`Received: from mail.spf-only.example (mail.spf-only.example [192.0.2.10]) by ${PROVIDER_HOST}`],
      });
      await sendRaw(client, raw, { from: carol.email, to: [share(strict)] });
      expect(await inbound(messageId)).toMatchObject({ outcome: 'held', auth: { spf: 'fail' } });
      expect(await outboxTo(carol.email)).toHaveLength(0);
    });

    // Fails on the previous code: with "accept DMARC failures" on, an unauthenticated submission was
    // acknowledged by mail to whatever From it claimed.
    it('an unauthenticated submission a community accepts gets no acknowledgement (SMTP and webhook)', async () => {
      for (const via of ['smtp', 'webhook'] as const) {
        const subject = `Unverified share ${via}`;
        const { raw } = await message({ from: bob.email, to: share(lenient), subject, text: 'unsigned' });
        if (via === 'smtp') await sendRaw(client, raw, { from: bob.email, to: [share(lenient)] });
        else await webhook(raw, { from: bob.email, to: share(lenient) }).expect(200);
        expect(await submission(lenient, lenientChair, subject)).toMatchObject({ status: 'pending' });
      }
      expect((await outboxTo(bob.email)).filter((r) => r.template === 'mailin.received')).toHaveLength(0);
    });
  });

  describe('mail is filed only where it was sent', () => {
    // Fails on the previous code: the community came from the envelope alone, so a member's signed
    // mail to someone else, re-sent to the share address, became their submission with its file.
    it('a DKIM-signed message to someone else, replayed to the share address, is held without attachments', async () => {
      const answersToAlice = async () =>
        (await outboxTo(alice.email)).filter((r) => ['mailin.received', 'mailin.refused'].includes(r.template)).length;
      const answeredBefore = await answersToAlice();
      const pdf = await makePdf(['Private letter']);
      for (const via of ['smtp', 'webhook'] as const) {
        const subject = `Letter to a colleague ${via}`;
        const { raw, messageId } = await message({
          from: alice.email,
          to: 'colleague@trust.example',
          subject,
          text: 'For your eyes only',
          attachments: [{ filename: 'letter.pdf', content: pdf }],
          signWith: trust,
        });
        if (via === 'smtp') await sendRaw(client, raw, { from: 'attacker@elsewhere.test', to: [share(strict)] });
        else await webhook(raw, { from: 'attacker@elsewhere.test', to: share(strict) }).expect(200);
        expect(await inbound(messageId)).toMatchObject({ outcome: 'held', reason: 'not_addressed_here' });
        const held = await submission(strict, chair, subject);
        expect(held).toMatchObject({
          status: 'held',
          holdReason: 'not_addressed_here',
          to: ['colleague@trust.example'],
          cc: [],
          attachments: [],
        });
      }
      // A To line added above the signed one is not covered by the signature and does not count.
      const subject = 'Letter with a To added';
      const { raw } = await message({
        from: alice.email,
        to: 'colleague@trust.example',
        subject,
        text: 'For your eyes only',
        signWith: trust,
      });
      await sendRaw(client, Buffer.concat([Buffer.from(`To: ${share(strict)}\r\n`), raw]), {
        from: 'attacker@elsewhere.test',
        to: [share(strict)],
      });
      expect(await submission(strict, chair, subject)).toMatchObject({ holdReason: 'not_addressed_here' });
      // Alice did not write to us: she is not answered.
      expect(await answersToAlice()).toBe(answeredBefore);
    });

    // Fails on the previous code for the queue's To and Cc (not shown); the filing itself is the guard.
    it('a member who copies the share address in Cc is filed, and the queue shows To and Cc', async () => {
      const subject = 'Copied to the CoP';
      const { raw } = await message({
        from: alice.email,
        to: 'team@trust.example',
        cc: share(strict),
        subject,
        text: 'FYI all',
        signWith: trust,
      });
      await sendRaw(client, raw, { from: alice.email, to: [share(strict)] });
      expect(await submission(strict, chair, subject)).toMatchObject({
        status: 'pending',
        to: ['team@trust.example'],
        cc: [share(strict)],
      });
    });

    // Fails on the previous code: a signed mail the member sent elsewhere, re-sent to their reply
    // address, was posted in the thread.
    it('a signed message replayed to a reply address is not posted (SMTP and webhook)', async () => {
      const { threadId, replyTo } = await mention(alice, strict, chair, category);
      for (const via of ['smtp', 'webhook'] as const) {
        const { raw, messageId } = await message({
          from: alice.email,
          to: 'colleague@trust.example',
          subject: `Something else ${via}`,
          text: 'Meant for a colleague',
          signWith: trust,
        });
        if (via === 'smtp') await sendRaw(client, raw, { from: 'attacker@elsewhere.test', to: [replyTo] });
        else await webhook(raw, { from: 'attacker@elsewhere.test', to: replyTo }).expect(200);
        expect(await inbound(messageId)).toMatchObject({ outcome: 'reply_refused', reason: 'not_addressed_here' });
      }
      expect(await postCount(threadId, chair)).toBe(2);
    });
  });

  describe('replies need an aligned DMARC or DKIM pass', () => {
    // Fails on the previous code: with "accept DMARC failures" on, an unsigned reply claiming to be
    // Bob was posted at once.
    it('an unauthenticated reply is posted only after the member confirms it, once (SMTP and webhook)', async () => {
      const { threadId, replyTo } = await mention(bob, lenient, lenientChair, lenientCategory);
      for (const via of ['smtp', 'webhook'] as const) {
        const subject = `Re: confirm ${via}`;
        const { raw, messageId } = await message({
          from: bob.email,
          to: replyTo,
          subject,
          text: `Our team meets weekly (${via}).`,
        });
        if (via === 'smtp') await sendRaw(client, raw, { from: bob.email, to: [replyTo] });
        else await webhook(raw, { from: bob.email, to: replyTo }).expect(200);
        expect(await inbound(messageId)).toMatchObject({ outcome: 'awaiting_confirmation' });
        expect(await postCount(threadId, lenientChair)).toBe(via === 'smtp' ? 2 : 3);

        const confirmation = await stack.smtp!.waitForMessageTo(bob.email, `Post your reply? ${subject}`);
        expect(confirmation.text).toContain(`Our team meets weekly (${via}).`);
        const token = /confirm-reply\?token=([A-Za-z0-9_-]+)/.exec(confirmation.text)![1];
        // Opening the link (as a mail scanner does) shows the button and posts nothing.
        const page = await stack.http().get(`/api/v1/mail-in/confirm-reply?token=${token}`).expect(200);
        expect(page.text).toContain('Post this reply');
        expect(await postCount(threadId, lenientChair)).toBe(via === 'smtp' ? 2 : 3);

        await stack.http().post(`/api/v1/mail-in/confirm-reply?token=${token}`).expect(200);
        expect(await postCount(threadId, lenientChair)).toBe(via === 'smtp' ? 3 : 4);
        // The same link again, and a made-up one, are refused and post nothing.
        await stack.http().post(`/api/v1/mail-in/confirm-reply?token=${token}`).expect(409);
        await stack
          .http()
          .post(`/api/v1/mail-in/confirm-reply?token=${'x'.repeat(43)}`)
          .expect(400);
        await stack.http().post('/api/v1/mail-in/confirm-reply').expect(400);
        expect(await postCount(threadId, lenientChair)).toBe(via === 'smtp' ? 3 : 4);
      }
    });

    // Fails on the previous code (no confirmation: the reply was posted at once).
    it('an expired confirmation link posts nothing', async () => {
      const { threadId, replyTo } = await mention(bob, lenient, lenientChair, lenientCategory);
      const subject = 'Re: late click';
      const { raw } = await message({ from: bob.email, to: replyTo, subject, text: 'Clicked too late.' });
      await sendRaw(client, raw, { from: bob.email, to: [replyTo] });
      const confirmation = await stack.smtp!.waitForMessageTo(bob.email, `Post your reply? ${subject}`);
      const token = /confirm-reply\?token=([A-Za-z0-9_-]+)/.exec(confirmation.text)![1];
      await stack.query(`UPDATE mail_reply_confirmations SET expires_at = now() - interval '1 minute'`);
      await stack.http().post(`/api/v1/mail-in/confirm-reply?token=${token}`).expect(410);
      expect(await postCount(threadId, lenientChair)).toBe(2);
    });

    // Guard: a proven reply needs no confirmation.
    it('a signed reply from the same community is still posted at once', async () => {
      // Alice's trust signs: aligned DKIM pass, so no confirmation is needed.
      const { threadId, replyTo } = await mention(alice, strict, chair, category);
      const { raw } = await message({
        from: alice.email,
        to: replyTo,
        subject: 'Re: signed',
        text: 'Signed and posted.',
        signWith: trust,
      });
      await sendRaw(client, raw, { from: alice.email, to: [replyTo] });
      expect(await postCount(threadId, chair)).toBe(3);
    });
  });

  describe('bounded SMTP', () => {
    /** A full garbage collection (V8's own, reached without starting node with --expose-gc). */
    const collect = (() => {
      v8.setFlagsFromString('--expose-gc');
      return runInNewContext('gc') as () => void;
    })();

    /** Buffer memory this process (where the listener runs) still holds, after a full collection. */
    const heldBuffers = () => {
      collect();
      return process.memoryUsage().arrayBuffers;
    };

    // Fails on the previous code: every chunk was kept until the end of DATA, so the 40 MB sent to a
    // 3 MB limit were all held in memory before the 552.
    it('answers 552 to a message over the limit without keeping its bytes', async () => {
      const { raw } = await message({ from: alice.email, to: share(strict), subject: 'Huge', text: 'x' });
      const before = heldBuffers();
      let held = 0;
      const answer = await sendOversized(
        port,
        { from: alice.email, to: share(strict) },
        raw,
        40 * 1024 * 1024,
        async () => {
          // Everything but the final dot has been sent: what the listener kept of it is held now.
          await new Promise((resolve) => setTimeout(resolve, 200));
          held = heldBuffers() - before;
        },
      );
      expect(answer).toMatchObject({ code: 552 });
      expect(answer.text).toContain('5.3.4');
      // The old listener held all 40 MB (42 MB measured); the bounded one holds its last chunks and the
      // stream buffers in flight, which on a loaded 2-core machine reached 16 MB before they were read.
      expect(held).toBeLessThan(24 * 1024 * 1024);
      // The connection's next message is taken as usual.
      const { raw: next, messageId } = await message({
        from: alice.email,
        to: share(strict),
        subject: 'After the huge one',
        text: 'small',
        signWith: trust,
      });
      await sendRaw(client, next, { from: alice.email, to: [share(strict)] });
      expect(await inbound(messageId)).toMatchObject({ outcome: 'submitted' });
    });

    // Guard (the webhook stopped reading at the limit before too): an oversized webhook body is 413
    // and stores nothing.
    it('the webhook refuses a message over the limit with 413 and stores nothing', async () => {
      const { raw, messageId } = await message({
        from: alice.email,
        to: share(strict),
        subject: 'Huge hook',
        text: 'x',
      });
      const huge = Buffer.concat([raw, Buffer.alloc(MAX_BYTES, 'A')]);
      const res = await webhook(huge, { from: alice.email, to: share(strict) });
      expect(res.status).toBe(413);
      expect(await inbound(messageId)).toBeUndefined();
    });

    // Fails on the previous code: every recipient was taken (1,500 of 1,500).
    it('takes at most MAIL_IN_MAX_RECIPIENTS recipients per message (452 4.5.3), and the webhook as many', async () => {
      // Reply addresses of the right shape are taken at RCPT (their tokens are checked with the message).
      const recipients = 'abcdefg'.split('').map((c) => `reply+${'a'.repeat(41)}${c}@${DOMAIN}`);
      const { raw } = await message({
        from: alice.email,
        to: share(strict),
        subject: 'Many',
        text: 'x',
        signWith: trust,
      });
      const info = await sendRaw(client, raw, { from: alice.email, to: recipients });
      expect(info.accepted).toHaveLength(MAX_RECIPIENTS);
      const rejected = (info as { rejectedErrors?: Array<{ responseCode?: number; message: string }> }).rejectedErrors;
      expect(rejected?.map((e) => e.responseCode)).toEqual([452, 452]);
      expect(rejected?.[0].message).toContain('4.5.3');

      const many = await webhook(raw, { from: alice.email, to: recipients.join(',') }).expect(400);
      expect(many.body.message).toMatch(/recipients/);
    });

    // Fails on the previous code: the parser's refusal was answered 451, so the sender retried for days
    // (and the webhook answered 500).
    it('a message the parser refuses is answered 554 5.6.0 and 400 by the webhook', async () => {
      const { raw, messageId } = await message({ from: alice.email, to: share(strict), subject: 'Bad', text: 'x' });
      const broken = Buffer.concat([Buffer.from(`X-Padding: ${'a'.repeat(2_200_000)}\r\n`), raw]);
      await expect(sendRaw(client, broken, { from: alice.email, to: [share(strict)] })).rejects.toMatchObject({
        responseCode: 554,
        response: expect.stringContaining('5.6.0'),
      });
      await webhook(broken, { from: alice.email, to: share(strict) }).expect(400);
      expect(await inbound(messageId)).toBeUndefined();
    });
  });

  describe('bounces count only at a per-message address', () => {
    /** A delivery status notification about `recipient`, citing the Message-ID of our mail. */
    function dsn(recipient: string, outboxId: string, returnTo: string) {
      return Buffer.from(
        [
          'From: Mail Delivery System <MAILER-DAEMON@mx.trust.example>',
          `To: ${returnTo}`,
          'Subject: Undelivered Mail Returned to Sender',
          `Message-ID: <${randomUUID()}@mx.trust.example>`,
          'MIME-Version: 1.0',
          'Content-Type: multipart/report; report-type=delivery-status; boundary="b1"',
          '',
          '--b1',
          'Content-Type: message/delivery-status',
          '',
          'Reporting-MTA: dns; mx.trust.example',
          '',
          `Final-Recipient: rfc822; ${recipient}`,
          'Action: failed',
          'Status: 5.1.1',
          'Diagnostic-Code: smtp; 550 5.1.1 User unknown',
          '',
          '--b1',
          'Content-Type: text/rfc822-headers',
          '',
          `To: ${recipient}`,
          `Message-ID: <${outboxId}@cophub.test>`,
          '',
          '--b1--',
          '',
        ].join('\r\n'),
      );
    }

    /** The latest mail we sent to `member`: its outbox id and the envelope sender it went out with. */
    async function lastSent(member: TestUser) {
      await eventually(async () => stack.smtp!.to(member.email).length > 0, 'a mail to the member');
      const mail = stack.smtp!.to(member.email).at(-1)!;
      const outboxId = /^<?([0-9a-f-]{36})@/.exec(mail.messageId)![1];
      // The worker marks the row sent just after the relay took it.
      await eventually(
        async () =>
          (await stack.query(`SELECT 1 FROM mail_outbox WHERE id = $1 AND status = 'sent'`, [outboxId])).length > 0,
        'the mail marked sent',
      );
      return { outboxId, returnPath: mail.from };
    }

    async function paused(member: TestUser) {
      const res = await stack.http().get('/api/v1/me/mail-status').set(auth(member)).expect(200);
      return res.body as { bouncing: boolean; paused: boolean; pausedReason: string | null };
    }

    // Fails on the previous code: a report citing a Message-ID once sent to the member, from any sender
    // to the shared bounces@ address, switched off all of their mail.
    it('a report to the plain bounces address, or with a forged or stale VERP address, changes nothing', async () => {
      const victim = await createMember(stack, strict, 'member');
      await mention(victim, strict, chair, category);
      const { outboxId, returnPath } = await lastSent(victim);
      // Outgoing mail carries a per-message return path with an HMAC.
      expect(returnPath).toMatch(new RegExp(`^bounces\\+[0-9a-z.]+@${DOMAIN.replace(/\./g, '\\.')}$`));

      // The plain address of older mail still takes reports, and ignores them.
      const plain = await sendRaw(client, dsn(victim.email, outboxId, `bounces@${DOMAIN}`), {
        from: '',
        to: [`bounces@${DOMAIN}`],
      });
      expect(plain.response).toMatch(/^250/);
      const viaWebhook = await webhook(dsn(victim.email, outboxId, `bounces@${DOMAIN}`), {
        to: `bounces@${DOMAIN}`,
      }).expect(200);
      expect(viaWebhook.body).toMatchObject({ kind: 'bounce', outcome: 'bounce_ignored' });
      // A VERP address with its HMAC changed is refused at RCPT.
      const forged = returnPath.replace(/([0-9a-z])@/, (_m, c: string) => `${c === 'a' ? 'b' : 'a'}@`);
      await expect(
        sendRaw(client, dsn(victim.email, outboxId, forged), { from: '', to: [forged] }),
      ).rejects.toMatchObject({ responseCode: 550 });
      await webhook(dsn(victim.email, outboxId, forged), { to: forged }).expect(400);
      // The real address, for mail sent longer ago than MAIL_IN_BOUNCE_DAYS, does not count either.
      await stack.query(`UPDATE mail_outbox SET sent_at = now() - interval '30 days' WHERE id = $1`, [outboxId]);
      await sendRaw(client, dsn(victim.email, outboxId, returnPath), { from: '', to: [returnPath] });
      await stack.query(`UPDATE mail_outbox SET sent_at = now() WHERE id = $1`, [outboxId]);

      expect(await stack.query('SELECT 1 FROM mail_suppressions WHERE address = $1', [victim.email])).toHaveLength(0);
      expect(await paused(victim)).toMatchObject({ paused: false, pausedReason: null });
    });

    it('a report at the message’s VERP address pauses the member’s mail, and they see why (SMTP and webhook)', async () => {
      for (const via of ['smtp', 'webhook'] as const) {
        const member = await createMember(stack, strict, 'member');
        await mention(member, strict, chair, category);
        const { outboxId, returnPath } = await lastSent(member);
        const report = dsn(member.email, outboxId, returnPath);
        if (via === 'smtp') await sendRaw(client, report, { from: '', to: [returnPath] });
        else await webhook(report, { to: returnPath }).expect(200);
        const status = await paused(member);
        expect(status).toMatchObject({ bouncing: true, paused: true });
        expect(status.pausedReason).toMatch(/5\.1\.1/);
        expect(status.pausedReason).toMatch(/User unknown/);
      }
    });
  });
});
