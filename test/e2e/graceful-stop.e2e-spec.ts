import { Agent, request } from 'node:http';
import { TestStack, TestUser } from '@cophub/testing';
import { forumStack, lockThread, postCount, spawnApi } from './faults.helpers';

interface Answer {
  status: number;
  connection: string | undefined;
  body: string;
}

/** One request over a given agent (so the test controls keep-alive), resolving with status and body. */
function send(url: string, agent: Agent, method: string, path: string, token: string, body?: object): Promise<Answer> {
  return new Promise((done, fail) => {
    const payload = body ? JSON.stringify(body) : undefined;
    const req = request(
      `${url}${path}`,
      {
        method,
        agent,
        headers: {
          authorization: `Bearer ${token}`,
          ...(payload ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) } : {}),
        },
      },
      (res) => {
        let text = '';
        res.on('data', (chunk: Buffer) => (text += chunk.toString()));
        res.on('end', () => done({ status: res.statusCode ?? 0, connection: res.headers.connection, body: text }));
      },
    );
    req.on('error', fail);
    req.end(payload);
  });
}

describe('SIGTERM: the API drains within SHUTDOWN_TIMEOUT_MS', () => {
  let stack: TestStack;
  let member: TestUser;
  let threadId: string;

  beforeAll(async () => {
    ({ stack, member, threadId } = await forumStack({}));
  });

  afterAll(async () => {
    await stack?.close();
  });

  it('finishes the request in flight, closes idle keep-alive connections at once, refuses new ones and exits', async () => {
    const api = await spawnApi(stack, { SHUTDOWN_TIMEOUT_MS: '8000', DATABASE_LOCK_TIMEOUT_MS: '20000' });
    const idleAgent = new Agent({ keepAlive: true, maxSockets: 1 });
    const busyAgent = new Agent({ keepAlive: true, maxSockets: 1 });
    // A keep-alive connection that has finished its request and sits idle.
    expect((await send(api.url, idleAgent, 'GET', `/api/v1/threads/${threadId}`, member.token)).status).toBe(200);
    const idleSocketClosed = new Promise<number>((done) => {
      const socket = Object.values(idleAgent.freeSockets).flat()[0];
      socket?.once('close', () => done(Date.now()));
    });

    // A request that is in flight when the signal comes: it waits on a row lock held here.
    const before = await postCount(stack, threadId);
    const locker = await lockThread(stack, threadId);
    const inFlight = send(api.url, busyAgent, 'POST', `/api/v1/threads/${threadId}/posts`, member.token, {
      body: 'Written during shutdown',
    });
    await new Promise((resolve) => setTimeout(resolve, 500));

    const signalled = Date.now();
    api.child.kill('SIGTERM');
    const idleClosedAt = await idleSocketClosed;
    expect(idleClosedAt - signalled).toBeLessThan(1_000);

    // New connections are refused while draining.
    await new Promise((resolve) => setTimeout(resolve, 300));
    await expect(fetch(`${api.url}/health/live`)).rejects.toThrow();

    // The lock frees after 1.5 s: the in-flight request completes, and tells its client to reconnect elsewhere.
    await new Promise((resolve) => setTimeout(resolve, 1_200));
    await locker.query('ROLLBACK');
    await locker.end();
    const answer = await inFlight;
    expect(answer.status).toBe(201);
    expect(answer.connection).toBe('close');
    expect(await postCount(stack, threadId)).toEqual({ posts: before.posts + 1, counter: before.counter + 1 });

    const exit = await api.exited;
    expect({ code: exit.code, output: api.output() }).toEqual({ code: 0, output: expect.any(String) });
    expect(exit.at - signalled).toBeLessThan(8_000);
    idleAgent.destroy();
    busyAgent.destroy();
  });

  it('cuts a request still running at the deadline and exits on time', async () => {
    const api = await spawnApi(stack, { SHUTDOWN_TIMEOUT_MS: '1500', DATABASE_LOCK_TIMEOUT_MS: '20000' });
    const before = await postCount(stack, threadId);
    const locker = await lockThread(stack, threadId);
    const agent = new Agent({ keepAlive: false });
    const inFlight = send(api.url, agent, 'POST', `/api/v1/threads/${threadId}/posts`, member.token, {
      body: 'Never finishes',
    }).catch((error: Error) => error);
    await new Promise((resolve) => setTimeout(resolve, 500));
    const signalled = Date.now();
    api.child.kill('SIGTERM');
    const exit = await api.exited;
    expect(exit.at - signalled).toBeLessThan(1_500 + 2_000);
    // Cut off: the client gets a 503 (retry elsewhere) or, at worst, a reset connection; never a success.
    const outcome = (await inFlight) as Answer | (Error & { code?: string });
    expect('status' in outcome ? outcome.status : outcome.code).toEqual('status' in outcome ? 503 : 'ECONNRESET');
    await locker.query('ROLLBACK');
    await locker.end();
    // The cut request's transaction died with the process: nothing half-written.
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(await postCount(stack, threadId)).toEqual(before);
    expect(api.output()).toMatch(/1 request\(s\) still running at the shutdown deadline were cut off/);
  });
});
