import type { ChildProcess } from 'node:child_process';
import request from 'supertest';
import type { Socket } from 'socket.io-client';
import {
  connectSocket,
  createCommunity,
  createMember,
  eventually,
  joinRoom,
  nextEvent,
  PrivateRedis,
  TEST_PASSWORD,
  TestCommunity,
  TestStack,
  TestUser,
} from '@cophub/testing';

const HOUR = 3_600_000;
const auth = (user: TestUser) => ({ Authorization: `Bearer ${user.token}` });

/**
 * Redis goes away under a running API process (the real entry point, in its own process, so an
 * unhandled rejection would end it as it would in production). Its own redis-server is used and
 * killed: the machine's shared Redis is never touched.
 */
describe('with Redis down', () => {
  let redis: PrivateRedis;
  let stack: TestStack;
  let api: { child: ChildProcess; url: string; output: string[] };
  let community: TestCommunity;
  let coChair: TestUser;
  let member: TestUser;
  let threadId: string;
  let eventId: string;
  let socket: Socket;

  beforeAll(async () => {
    redis = await PrivateRedis.start();
    stack = await TestStack.start({ env: { REDIS_URL: redis.url } });
    api = await stack.spawnApiProcess();
    community = await createCommunity(stack);
    coChair = await createMember(stack, community, 'co_chair');
    member = await createMember(stack, community);
    const category = await request(api.url)
      .post(`/api/v1/communities/${community.slug}/categories`)
      .timeout(15_000)
      .set(auth(coChair))
      .send({ name: 'Practice' })
      .expect(201);
    threadId = (
      await request(api.url)
        .post(`/api/v1/communities/${community.slug}/threads`)
        .timeout(15_000)
        .set(auth(member))
        .send({ categoryId: category.body.id, title: 'Supervision models', body: 'What works for you?' })
        .expect(201)
    ).body.id;
    const startsAt = new Date(Date.now() + 72 * HOUR);
    eventId = (
      await request(api.url)
        .post(`/api/v1/communities/${community.slug}/events`)
        .timeout(15_000)
        .set(auth(coChair))
        .send({
          title: 'Quarterly meeting',
          startsAt: startsAt.toISOString(),
          endsAt: new Date(startsAt.getTime() + 2 * HOUR).toISOString(),
          locationKind: 'online',
          joinUrl: 'https://meet.example.nhs.uk/q',
        })
        .expect(201)
    ).body.id;
    socket = await connectSocket(api.url, coChair.token);
    expect(await joinRoom(socket, `thread:${threadId}`)).toMatchObject({ ok: true });
  }, 180_000);

  afterAll(async () => {
    socket?.disconnect();
    // Back up first, so the worker and API close promptly.
    await redis?.start();
    await stack?.close();
    await redis?.stop();
    // Closing waits for the worker's queues to reconnect to the restarted Redis: slow on a busy machine.
  }, 300_000);

  it('keeps answering writes, sign-in and registration, stays up, and catches up when Redis returns', async () => {
    const live = nextEvent(socket, 'post.created');
    await request(api.url)
      .post(`/api/v1/threads/${threadId}/posts`)
      .timeout(15_000)
      .set(auth(member))
      .send({ body: 'before' })
      .expect(201);
    await live;

    await redis.stop();
    const reply = await request(api.url)
      .post(`/api/v1/threads/${threadId}/posts`)
      .timeout(15_000)
      .set(auth(member))
      .send({ body: 'while Redis is down' });
    expect(reply.status).toBe(201);
    await request(api.url)
      .put(`/api/v1/events/${eventId}/rsvp`)
      .timeout(15_000)
      .set(auth(member))
      .send({ status: 'going' })
      .expect(200);
    const login = await request(api.url)
      .post('/api/v1/auth/login')
      .timeout(15_000)
      .send({ email: member.email, password: TEST_PASSWORD });
    expect(login.status).toBe(200);
    const newcomer = `newcomer-${Date.now()}@example.nhs.net`;
    const registered = await request(api.url).post('/api/v1/auth/register').timeout(15_000).send({
      email: newcomer,
      password: 'Quiet-Harbour-Lantern-77',
      displayName: 'New Comer',
      profession: 'EMHP',
      careerStage: 'trainee',
      region: 'london',
    });
    expect(registered.status).toBeLessThan(300);

    // The publisher's failure surfaced about 4 s after a post in the past; wait well past it.
    await new Promise((r) => setTimeout(r, 8_000));
    expect(api.child.exitCode).toBeNull();
    await request(api.url).get('/api/v1/me').timeout(15_000).set(auth(member)).expect(200);
    expect(api.output.join('')).not.toContain('unhandled rejection');

    process.stderr.write('redis-outage: writes answered while Redis was down\n');
    await redis.start();
    // The verification email staged while Redis was down is delivered by the worker's reconciler.
    await stack.smtp!.waitForMessageTo(newcomer, 'Confirm your email', 30_000);
    process.stderr.write('redis-outage: mail delivered after Redis returned\n');
    // Live updates resume once the adapter has re-subscribed.
    await eventually(
      async () => {
        const again = nextEvent(socket, 'post.created', 1_500).then(
          () => true,
          () => false,
        );
        await request(api.url)
          .post(`/api/v1/threads/${threadId}/posts`)
          .timeout(15_000)
          .set(auth(member))
          .send({ body: 'after' })
          .expect(201);
        return again;
      },
      'live updates after Redis returned',
      30_000,
    );
    expect(api.child.exitCode).toBeNull();
  }, 180_000);
});
