import type { ChildProcess } from 'node:child_process';
import { MailDeliveryService, MailOutboxService } from '@cophub/mail';
import { createUser, eventually, TestStack } from '@cophub/testing';

const COUNT = 200;

function stageMany(stack: TestStack, tag: string, count = COUNT): Promise<string[]> {
  const mails = Array.from({ length: count }, (_, i) => ({
    to: `${tag}-${i}@example.nhs.net`,
    template: 'identity.password-changed' as const,
    params: { displayName: `Reader ${i}` },
  }));
  return stack.api.get(MailOutboxService).send(mails);
}

function waitForExit(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => (child.exitCode !== null ? resolve() : child.once('exit', () => resolve())));
}

async function statusCounts(stack: TestStack, tag: string): Promise<Record<string, number>> {
  const rows = await stack.query<{ status: string; n: string }>(
    'SELECT status, count(*) AS n FROM mail_outbox WHERE recipient LIKE $1 GROUP BY status',
    [`${tag}-%`],
  );
  return Object.fromEntries(rows.map((r) => [r.status, Number(r.n)]));
}

function received(stack: TestStack, tag: string) {
  const messages = stack.smtp!.messages.filter((m) => m.to.some((t) => t.startsWith(`${tag}-`)));
  const byId = new Map<string, number>();
  for (const m of messages) byId.set(m.messageId, (byId.get(m.messageId) ?? 0) + 1);
  return { total: messages.length, distinct: byId.size, maxCopies: Math.max(0, ...byId.values()) };
}

describe('mail pipeline reliability', () => {
  let stack: TestStack;

  beforeAll(async () => {
    // No in-process worker: these tests start and kill real worker processes.
    stack = await TestStack.start({ worker: false, env: { MAIL_CONCURRENCY: '10', MAIL_MAX_ATTEMPTS: '3' } });
  });

  afterAll(async () => {
    await stack?.close();
  });

  it('delivers all 200 queued emails when the worker is killed mid-run and restarted', async () => {
    const ids = await stageMany(stack, 'killed');
    const first = stack.spawnWorkerProcess();
    await stack.smtp!.waitFor(() => received(stack, 'killed').total >= 40, 60_000, 'the first 40 messages');
    first.kill('SIGKILL');
    await waitForExit(first);
    const beforeRestart = received(stack, 'killed');
    expect(beforeRestart.distinct).toBeLessThan(COUNT);

    const second = stack.spawnWorkerProcess();
    await stack.smtp!.waitFor(() => received(stack, 'killed').distinct === COUNT, 60_000, 'all 200 messages');
    await eventually(async () => (await statusCounts(stack, 'killed')).sent === COUNT, 'every row marked sent');
    second.kill('SIGTERM');
    await waitForExit(second);

    const after = received(stack, 'killed');
    expect(after.distinct).toBe(ids.length);
    // Only a message whose SMTP transaction completed just before the kill, and so was never marked
    // sent, can go out again, and it carries the same Message-ID so mail clients treat it as one.
    expect(after.maxCopies).toBeLessThanOrEqual(2);
    expect(after.total - after.distinct).toBeLessThanOrEqual(10);
  });

  it('finishes in-flight emails on a graceful stop, then delivers the rest exactly once', async () => {
    await stageMany(stack, 'graceful');
    const first = stack.spawnWorkerProcess();
    await stack.smtp!.waitFor(() => received(stack, 'graceful').total >= 40, 60_000, 'the first 40 messages');
    first.kill('SIGTERM');
    await waitForExit(first);
    expect(first.exitCode === 0 || first.signalCode === 'SIGTERM').toBe(true);
    const counts = await statusCounts(stack, 'graceful');
    expect(counts.sending ?? 0).toBe(0);

    const second = stack.spawnWorkerProcess();
    await stack.smtp!.waitFor(() => received(stack, 'graceful').distinct === COUNT, 60_000, 'all 200 messages');
    await eventually(async () => (await statusCounts(stack, 'graceful')).sent === COUNT, 'every row marked sent');
    second.kill('SIGTERM');
    await waitForExit(second);
    expect(received(stack, 'graceful')).toEqual({ total: COUNT, distinct: COUNT, maxCopies: 1 });
  });

  it('delivers every unsent email after Redis is emptied, from the outbox alone', async () => {
    await stageMany(stack, 'flushed');
    // Jobs were enqueued; wipe them (and everything else this deployment keeps in Redis).
    expect(await stack.flushRedis()).toBeGreaterThan(0);
    await stack.startWorker();
    try {
      await stack.smtp!.waitFor(() => received(stack, 'flushed').distinct === COUNT, 60_000, 'all 200 messages');
      await eventually(async () => (await statusCounts(stack, 'flushed')).sent === COUNT, 'every row marked sent');
      expect(received(stack, 'flushed')).toEqual({ total: COUNT, distinct: COUNT, maxCopies: 1 });
    } finally {
      await stack.stopWorker();
    }
  });

  it('sends once when the same message is delivered twice at the same time', async () => {
    const [id] = await stack.api.get(MailOutboxService).send({
      to: 'twice-0@example.nhs.net',
      template: 'identity.password-changed',
      params: { displayName: 'Twice' },
    });
    await stack.flushRedis();
    const worker = await stack.startWorker();
    try {
      const delivery = worker.get(MailDeliveryService);
      const outcomes = await Promise.all([delivery.deliver(id), delivery.deliver(id), delivery.deliver(id)]);
      expect(outcomes.filter((o) => o === 'sent')).toHaveLength(1);
      await stack.smtp!.waitFor(() => received(stack, 'twice').total >= 1);
      await new Promise((r) => setTimeout(r, 1500));
      expect(received(stack, 'twice')).toEqual({ total: 1, distinct: 1, maxCopies: 1 });
    } finally {
      await stack.stopWorker();
    }
  });

  it('retries a refused message with backoff, marks it dead after the last attempt, and lets an admin retry it', async () => {
    const admin = await createUser(stack, { isAdmin: true });
    const member = await createUser(stack);
    stack.smtp!.rejectWith = 'mailbox temporarily unavailable';
    const [id] = await stack.api.get(MailOutboxService).send({
      to: 'dead-0@example.nhs.net',
      template: 'identity.password-changed',
      params: { displayName: 'Dead letter' },
    });
    await stack.startWorker();
    try {
      // MAIL_MAX_ATTEMPTS is 3 here and retries start 1 s apart, doubling: dead after about 3 s.
      const row = await eventually(
        async () =>
          (
            await stack.query<{ status: string; attempts: number; last_error: string }>(
              "SELECT status, attempts, last_error FROM mail_outbox WHERE id = $1 AND status = 'dead'",
              [id],
            )
          )[0],
        'the refused message to be marked dead',
        30_000,
      );
      expect(row.attempts).toBe(3);
      expect(row.last_error).toMatch(/temporarily unavailable/);

      await stack
        .http()
        .get('/api/v1/admin/mail/outbox?status=dead')
        .set('Authorization', `Bearer ${member.token}`)
        .expect(403);
      const dead = await stack
        .http()
        .get('/api/v1/admin/mail/outbox?status=dead')
        .set('Authorization', `Bearer ${admin.token}`)
        .expect(200);
      expect(dead.body.items.map((m: { id: string }) => m.id)).toContain(id);

      stack.smtp!.rejectWith = null;
      await stack
        .http()
        .post(`/api/v1/admin/mail/outbox/${id}/retry`)
        .set('Authorization', `Bearer ${admin.token}`)
        .expect(200);
      await stack.smtp!.waitForMessageTo('dead-0@example.nhs.net', 'password was changed');
      await eventually(
        async () =>
          (await stack.query<{ status: string }>('SELECT status FROM mail_outbox WHERE id = $1', [id]))[0].status ===
          'sent',
        'the retried message to be marked sent',
      );
      await stack
        .http()
        .post(`/api/v1/admin/mail/outbox/${id}/retry`)
        .set('Authorization', `Bearer ${admin.token}`)
        .expect(409);
    } finally {
      stack.smtp!.rejectWith = null;
      await stack.stopWorker();
    }
  });
});
