import { ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { resolve } from 'node:path';
import { DataSource } from 'typeorm';
import { ReplyAddressService } from '@cophub/forum';
import { createCommunity, createMember, eventually, TestCommunity, TestStack, TestUser } from '@cophub/testing';
import { compose, makeDomain, sendRaw, signed, smtpClient, stubResolver } from './mail-in.helpers';

const DOMAIN = 'in.cophub.test';
const WEBHOOK_SECRET = 'webhook-secret-0123456789-abcdef';
const ROOT = resolve(__dirname, '../..');
const auth = (user: TestUser) => ({ Authorization: `Bearer ${user.token}` });
const trust = makeDomain('trust.example');

jest.setTimeout(240_000);

/**
 * A reply by email is stored with its Message-ID and posted in one transaction. Here the mail-in
 * process is killed (SIGKILL, its database session ended with it) while its reply waits for the
 * thread's row, i.e. after the Message-ID was written and before the post: the sender was never told
 * 250, nothing of the message is kept, and the sender's retry posts the reply exactly once.
 */
describe('inbound replies survive a crash between the Message-ID and the post', () => {
  let stack: TestStack;
  let community: TestCommunity;
  let chair: TestUser;
  let alice: TestUser;
  let child: ChildProcess | null = null;

  beforeAll(async () => {
    stack = await TestStack.start({
      worker: false,
      smtp: false,
      env: { MAIL_IN_DOMAIN: DOMAIN, MAIL_IN_WEBHOOK_SECRET: WEBHOOK_SECRET },
      mailInResolver: stubResolver([trust]),
    });
    community = await createCommunity(stack, { slug: `crash-${randomUUID().slice(0, 6)}` });
    chair = await createMember(stack, community, 'co_chair');
    alice = await createMember(stack, community, 'member', {
      displayName: 'Alice Archer',
      email: `alice.${randomUUID().slice(0, 6)}@trust.example`,
    });
  });

  afterAll(async () => {
    if (child && child.exitCode === null) child.kill('SIGKILL');
    await stack?.close();
  });

  /** The mail-in app as its own process (DNS answered from the same records as the stub resolver). */
  async function startMailIn(): Promise<number> {
    const der = trust.publicKey.export({ type: 'spki', format: 'der' }).toString('base64');
    const dns = {
      [`test._domainkey.${trust.name}:TXT`]: [[`v=DKIM1; k=rsa; p=${der}`]],
      [`${trust.name}:TXT`]: [['v=spf1 ip4:127.0.0.1 -all']],
      [`_dmarc.${trust.name}:TXT`]: [['v=DMARC1; p=reject']],
    };
    child = spawn(process.execPath, ['-r', '@swc-node/register', resolve(ROOT, 'test/bench/mail-in.server.js')], {
      cwd: ROOT,
      env: {
        ...process.env,
        ...stack.env,
        MAIL_IN_PORT: '0',
        MAIL_IN_BENCH_DNS: JSON.stringify(dns),
        MAIL_IN_SERVER_FROM_SOURCE: '1',
        SWC_NODE_PROJECT: resolve(ROOT, 'tsconfig.json'),
      },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const started = child;
    return new Promise<number>((ready, fail) => {
      let out = '';
      started.stdout!.on('data', (chunk: Buffer) => {
        out += chunk.toString();
        const match = /ready (\d+)/.exec(out);
        if (match) ready(Number(match[1]));
      });
      started.once('exit', (code) => fail(new Error(`mail-in exited with ${code}`)));
    });
  }

  async function threadWithReplyAddress(title: string): Promise<{ threadId: string; replyTo: string }> {
    const category = await stack
      .http()
      .post(`/api/v1/communities/${community.slug}/categories`)
      .set(auth(chair))
      .send({ name: `Category ${randomUUID().slice(0, 6)}` })
      .expect(201);
    const thread = await stack
      .http()
      .post(`/api/v1/communities/${community.slug}/threads`)
      .set(auth(chair))
      .send({ categoryId: category.body.id, title, body: 'What are your caseloads like?' })
      .expect(201);
    // The Reply-To a notification about this thread would carry for Alice.
    const addresses = await stack.api
      .get(ReplyAddressService)
      .issue(stack.api.get(DataSource).manager, [alice.id], { id: thread.body.id, communityId: community.id });
    return { threadId: thread.body.id, replyTo: addresses.get(alice.id)! };
  }

  async function reply(replyTo: string, text: string, messageId: string): Promise<Buffer> {
    const raw = await compose({
      from: `Alice Archer <${alice.email}>`,
      to: replyTo,
      subject: 'Re: caseloads',
      text,
      messageId,
    });
    return signed(raw, trust);
  }

  function webhook(raw: Buffer, to: string) {
    return stack
      .http()
      .post(`/api/v1/mail-in/messages?${new URLSearchParams({ from: alice.email, to }).toString()}`)
      .set('Authorization', `Bearer ${WEBHOOK_SECRET}`)
      .set('Content-Type', 'message/rfc822')
      .send(raw);
  }

  const postsIn = async (threadId: string) =>
    (await stack.http().get(`/api/v1/threads/${threadId}/posts`).set(auth(chair)).expect(200)).body.items as Array<{
      author: { id: string };
      html: string;
    }>;
  const inbound = (messageId: string) =>
    stack.query<{ outcome: string; kind: string }>('SELECT outcome, kind FROM inbound_messages WHERE message_id = $1', [
      messageId.toLowerCase(),
    ]);

  it('keeps nothing of a reply whose process died before the commit, and posts it once on redelivery', async () => {
    const { threadId, replyTo } = await threadWithReplyAddress('Caseloads after a crash');
    const messageId = `<${randomUUID()}@trust.example>`;
    const raw = await reply(replyTo, 'We cap at 40 active cases.', messageId);
    const port = await startMailIn();

    // Someone holds the thread's row: the reply stops inside its transaction, just before the post.
    const blocker = await stack.pg.connect();
    let waiting: number;
    let sending: Promise<string>;
    try {
      await blocker.query('BEGIN');
      await blocker.query('SELECT 1 FROM forum_threads WHERE id = $1 FOR UPDATE', [threadId]);
      const client = smtpClient(port);
      sending = sendRaw(client, raw, { from: alice.email, to: [replyTo] }).then(
        () => 'accepted',
        () => 'not accepted',
      );
      waiting = await eventually(async () => {
        const [row] = await stack.query<{ pid: number }>(
          `SELECT pid FROM pg_stat_activity
            WHERE datname = current_database() AND wait_event_type = 'Lock' AND query LIKE '%INSERT INTO forum_posts%'`,
        );
        return row?.pid;
      }, 'the reply to wait for the thread row');

      // The crash: the process dies, and its database session with it.
      child!.kill('SIGKILL');
      await once(child!, 'exit');
      await stack.query('SELECT pg_terminate_backend($1)', [waiting]);
      client.close();
    } finally {
      await blocker.query('ROLLBACK');
      blocker.release();
    }
    // The sending server never got its 250, so it will retry; nothing of the message was kept.
    expect(await sending).toBe('not accepted');
    await eventually(
      async () => (await stack.query(`SELECT 1 FROM pg_stat_activity WHERE pid = $1`, [waiting])).length === 0,
      'the killed session to end',
    );
    expect(await inbound(messageId)).toEqual([]);
    expect(await postsIn(threadId)).toHaveLength(1);

    // The retry (through the provider webhook here) posts it; a further retry is a duplicate.
    const retried = await webhook(raw, replyTo).expect(200);
    expect(retried.body).toMatchObject({ duplicate: false, kind: 'reply', outcome: 'posted' });
    const again = await webhook(raw, replyTo).expect(200);
    expect(again.body).toMatchObject({ duplicate: true });
    const posts = await postsIn(threadId);
    expect(posts.filter((p) => p.author.id === alice.id).map((p) => p.html)).toEqual([
      '<p>We cap at 40 active cases.</p>',
    ]);
    expect(await inbound(messageId)).toEqual([{ outcome: 'posted', kind: 'reply' }]);
  });

  it('posts a reply delivered twice at once exactly once', async () => {
    const { threadId, replyTo } = await threadWithReplyAddress('Caseloads twice');
    const messageId = `<${randomUUID()}@trust.example>`;
    const raw = await reply(replyTo, 'Supervision is fortnightly.', messageId);
    const answers = await Promise.all([webhook(raw, replyTo), webhook(raw, replyTo)]);
    expect(answers.map((a) => a.status)).toEqual([200, 200]);
    expect(answers.map((a) => a.body.duplicate).sort()).toEqual([false, true]);
    const posts = await postsIn(threadId);
    expect(posts.filter((p) => p.author.id === alice.id)).toHaveLength(1);
    expect(await inbound(messageId)).toEqual([{ outcome: 'posted', kind: 'reply' }]);
  });

  it('refuses a reply to a locked thread without posting, and records it once', async () => {
    const { threadId, replyTo } = await threadWithReplyAddress('Caseloads locked');
    await stack.http().put(`/api/v1/threads/${threadId}/lock`).set(auth(chair)).send({ locked: true }).expect(200);
    const messageId = `<${randomUUID()}@trust.example>`;
    const raw = await reply(replyTo, 'Too late?', messageId);
    const refused = await webhook(raw, replyTo).expect(200);
    expect(refused.body).toMatchObject({ duplicate: false, kind: 'reply', outcome: 'reply_refused' });
    expect((await webhook(raw, replyTo).expect(200)).body).toMatchObject({ duplicate: true });
    expect(await postsIn(threadId)).toHaveLength(1);
    expect(await inbound(messageId)).toEqual([{ outcome: 'reply_refused', kind: 'reply' }]);
    const [{ reason }] = await stack.query<{ reason: string }>(
      'SELECT reason FROM inbound_messages WHERE message_id = $1',
      [messageId.toLowerCase()],
    );
    expect(reason).toMatch(/locked/i);
  });
});
