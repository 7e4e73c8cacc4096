import { INestApplication } from '@nestjs/common';
import { AddressInfo } from 'node:net';
import { createApiApp } from '../../apps/api/src/app.factory';
import { createWorker } from '../../apps/worker/src/worker.factory';
import { AppConfig, MetricsServer, QueueService } from '@cophub/core';
import { MAIL_QUEUE, MailJob } from '@cophub/mail';
import {
  connectSocket,
  createCommunity,
  createMember,
  createUser,
  eventually,
  Scrape,
  TestStack,
  TestUser,
} from '@cophub/testing';

const auth = (user: TestUser) => ({ Authorization: `Bearer ${user.token}` });

describe('/metrics on the API', () => {
  let stack: TestStack;
  let member: TestUser;
  let threadId: string;
  const metricsUrl = () => `${stack.url}/metrics`;

  beforeAll(async () => {
    // No worker: queued jobs and outbox rows stay where the API put them.
    stack = await TestStack.start({ worker: false });
    const community = await createCommunity(stack);
    const coChair = await createMember(stack, community, 'co_chair');
    member = await createMember(stack, community, 'member');
    const category = await stack
      .http()
      .post(`/api/v1/communities/${community.slug}/categories`)
      .set(auth(coChair))
      .send({ name: 'General', position: 1 })
      .expect(201);
    const thread = await stack
      .http()
      .post(`/api/v1/communities/${community.slug}/threads`)
      .set(auth(member))
      .send({ categoryId: category.body.id, title: 'Counted', body: 'First post' })
      .expect(201);
    threadId = thread.body.id;
  });

  afterAll(async () => {
    await stack?.close();
  });

  it('counts requests by route template and status, with their latency, in the Prometheus text format', async () => {
    const route = { method: 'GET', route: '/api/v1/threads/:id', status: '200' };
    const before = await Scrape.of(metricsUrl());
    for (let i = 0; i < 5; i += 1) await stack.http().get(`/api/v1/threads/${threadId}`).set(auth(member)).expect(200);
    await stack.http().get(`/api/v1/threads/${threadId}`).expect(401);
    await stack.http().get('/api/v1/no-such-route').expect(404);
    const after = await Scrape.of(metricsUrl());

    expect(after.family('cophub_http_requests_total')?.type).toBe('counter');
    expect(after.family('cophub_http_request_duration_seconds')?.type).toBe('histogram');
    const counted = (scrape: Scrape, labels: Record<string, string>) =>
      scrape.value('cophub_http_requests_total', labels) ?? 0;
    expect(counted(after, route) - counted(before, route)).toBe(5);
    const timed = (scrape: Scrape) => scrape.value('cophub_http_request_duration_seconds_count', route) ?? 0;
    expect(timed(after) - timed(before)).toBe(5);
    expect(counted(after, { ...route, status: '401' }) - counted(before, { ...route, status: '401' })).toBe(1);
    // The address itself is never a label: a request that matched no route counts under "none".
    expect(counted(after, { method: 'GET', route: 'none', status: '404' })).toBeGreaterThanOrEqual(1);
    const routes = after.family('cophub_http_requests_total')!.samples.map((m) => m.labels.route);
    expect(routes.filter((r) => r.includes(threadId))).toEqual([]);
  });

  it('reports the PostgreSQL pool and the process', async () => {
    const scrape = await Scrape.of(metricsUrl());
    expect(scrape.value('cophub_db_pool_connections', { state: 'max' })).toBe(stack.config.database.poolSize);
    expect(scrape.value('cophub_db_pool_connections', { state: 'total' })).toBeGreaterThanOrEqual(1);
    expect(scrape.value('cophub_db_pool_waiting')).toBe(0);
    expect(scrape.value('cophub_db_pool_acquire_seconds_count', { outcome: 'ok' })).toBeGreaterThan(0);
    expect(scrape.value('process_cpu_user_seconds_total')).toBeGreaterThan(0);
    expect(scrape.family('nodejs_eventloop_lag_seconds')).toBeDefined();
  });

  it('shows a queued mail job in the queue depth and the outbox backlog, with the request id as its trace id', async () => {
    const user = await createUser(stack);
    const before = await Scrape.of(metricsUrl());
    const pending = (scrape: Scrape) => scrape.value('cophub_mail_outbox_unsent', { status: 'pending' }) ?? 0;
    const waiting = (scrape: Scrape) => scrape.value('cophub_queue_jobs', { queue: 'mail', state: 'wait' }) ?? 0;

    const traceId = `reset-${Date.now()}`;
    const answer = await stack
      .http()
      .post('/api/v1/auth/password-reset')
      .set('x-request-id', traceId)
      .send({ email: user.email })
      .expect(202);
    expect(answer.headers['x-request-id']).toBe(traceId);
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    const after = await Scrape.of(metricsUrl());
    expect(pending(after) - pending(before)).toBe(1);
    expect(waiting(after) - waiting(before)).toBe(1);
    expect(after.value('cophub_queue_oldest_waiting_seconds', { queue: 'mail' })).toBeGreaterThanOrEqual(1);
    expect(after.value('cophub_mail_outbox_oldest_unsent_seconds')).toBeGreaterThanOrEqual(1);

    // The job carries the outbox row's id only; the trace id travels as metadata beside it.
    const [job] = await stack.api.get(QueueService).queue(MAIL_QUEUE).getJobs(['wait'], 0, 0);
    expect(job.name).toBe(MailJob.Send);
    expect(Object.keys(job.data)).toEqual(['outboxId']);
    expect(job.opts.telemetry?.metadata).toBe(traceId);
  });

  it('counts the sockets connected to this instance', async () => {
    const count = async () => (await Scrape.of(metricsUrl())).value('cophub_socket_connections');
    expect(await count()).toBe(0);
    const socket = await connectSocket(stack.url, member.token);
    expect(await count()).toBe(1);
    socket.disconnect();
    await eventually(async () => (await count()) === 0, 'the socket count to drop');
  });

  it('answers only the metrics token when METRICS_TOKEN is set', async () => {
    const token = 'metrics-token-0123456789abcdef';
    const config: AppConfig = { ...stack.config, metrics: { ...stack.config.metrics, token } };
    const app: INestApplication = await createApiApp(config, { logs: false });
    try {
      await app.listen(0, '127.0.0.1');
      const url = `http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}/metrics`;
      expect((await fetch(url)).status).toBe(401);
      expect((await fetch(url, { headers: { authorization: 'Bearer wrong-token-0123456789abcd' } })).status).toBe(401);
      expect((await fetch(url, { headers: { authorization: `Bearer ${token}` } })).status).toBe(200);
      expect((await Scrape.of(url, token)).family('cophub_http_requests_total')).toBeDefined();
    } finally {
      await app.close();
    }
  });
});

describe('/metrics on the worker (METRICS_PORT)', () => {
  let stack: TestStack;

  beforeAll(async () => {
    stack = await TestStack.start({ worker: false });
  });

  afterAll(async () => {
    await stack?.close();
  });

  it('serves its own metrics: jobs run, mail delivered, the outbox emptied', async () => {
    const config: AppConfig = { ...stack.config, metrics: { ...stack.config.metrics, port: 0 } };
    const worker = await createWorker(config, { clock: stack.clock, logs: false });
    try {
      const port = worker.get(MetricsServer).port;
      expect(port).toEqual(expect.any(Number));
      const url = `http://127.0.0.1:${port}/metrics`;
      expect((await fetch(`http://127.0.0.1:${port}/other`)).status).toBe(404);

      const user = await createUser(stack);
      await stack.http().post('/api/v1/auth/password-reset').send({ email: user.email }).expect(202);
      await stack.smtp!.waitForMessageTo(user.email);
      const scrape = await eventually(async () => {
        const s = await Scrape.of(url);
        return (s.value('cophub_mail_deliveries_total', { outcome: 'sent' }) ?? 0) >= 1 ? s : null;
      }, 'the delivery to be counted');
      expect(scrape.value('cophub_jobs_total', { job: 'mail.send', outcome: 'completed' })).toBeGreaterThanOrEqual(1);
      expect(scrape.value('cophub_job_duration_seconds_count', { job: 'mail.send' })).toBeGreaterThanOrEqual(1);
      expect(scrape.value('cophub_mail_delivery_failures_total', { final: 'false' }) ?? 0).toBe(0);
      expect(scrape.value('cophub_mail_outbox_unsent', { status: 'pending' })).toBe(0);
      expect(scrape.value('cophub_db_pool_connections', { state: 'total' })).toBeGreaterThanOrEqual(1);
      // Not an HTTP server of the product: no request metrics here.
      expect(scrape.family('cophub_http_requests_total')).toBeUndefined();
    } finally {
      await worker.close();
    }
  });

  it('counts a failed delivery', async () => {
    const config: AppConfig = { ...stack.config, metrics: { ...stack.config.metrics, port: 0 } };
    const worker = await createWorker(config, { clock: stack.clock, logs: false });
    try {
      const url = `http://127.0.0.1:${worker.get(MetricsServer).port}/metrics`;
      stack.smtp!.rejectWith = 'mailbox busy';
      const user = await createUser(stack);
      await stack.http().post('/api/v1/auth/password-reset').send({ email: user.email }).expect(202);
      const scrape = await eventually(async () => {
        const s = await Scrape.of(url);
        return (s.value('cophub_mail_delivery_failures_total', { final: 'false' }) ?? 0) >= 1 ? s : null;
      }, 'the failed delivery to be counted');
      expect(scrape.value('cophub_mail_deliveries_total', { outcome: 'retry' })).toBeGreaterThanOrEqual(1);
    } finally {
      stack.smtp!.rejectWith = null;
      await worker.close();
    }
  });
});
