import { ChildProcess, spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { Client } from 'pg';
import {
  createCommunity,
  createMember,
  eventually,
  freePort,
  TestCommunity,
  TestStack,
  TestUser,
} from '@cophub/testing';

export const auth = (user: TestUser) => ({ Authorization: `Bearer ${user.token}` });

/** A stack with a community, a member and one thread, for the back-pressure cases below. */
export async function forumStack(env: Record<string, string>) {
  const stack = await TestStack.start({ worker: false, smtp: false, env });
  const community: TestCommunity = await createCommunity(stack);
  const coChair = await createMember(stack, community, 'co_chair');
  const member = await createMember(stack, community, 'member');
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
    .send({ categoryId: category.body.id, title: 'Busy thread', body: 'First post' })
    .expect(201);
  return { stack, member, threadId: thread.body.id as string };
}

/** Another session holding the thread's row lock, as a long moderation transaction would. */
export async function lockThread(stack: TestStack, threadId: string): Promise<Client> {
  const client = new Client({ connectionString: stack.database.url });
  await client.connect();
  await client.query('BEGIN');
  await client.query('SELECT id FROM forum_threads WHERE id = $1 FOR UPDATE', [threadId]);
  return client;
}

export async function postCount(stack: TestStack, threadId: string): Promise<{ posts: number; counter: number }> {
  const [row] = await stack.query<{ posts: string; counter: number }>(
    `SELECT (SELECT count(*) FROM forum_posts WHERE thread_id = $1) AS posts, post_count AS counter
       FROM forum_threads WHERE id = $1`,
    [threadId],
  );
  return { posts: Number(row.posts), counter: row.counter };
}

const ROOT = resolve(__dirname, '../..');

export interface ApiProcess {
  child: ChildProcess;
  url: string;
  output: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; at: number }>;
}

/** The real API entry point (`apps/api/src/main.ts`) as a child process on the stack's database and Redis prefix. */
export async function spawnApi(stack: TestStack, env: Record<string, string> = {}): Promise<ApiProcess> {
  const port = await freePort();
  const child = spawn(process.execPath, ['-r', '@swc-node/register', 'apps/api/src/main.ts'], {
    cwd: ROOT,
    env: {
      ...process.env,
      ...stack.env,
      SWC_NODE_PROJECT: resolve(ROOT, 'tsconfig.json'),
      HOST: '127.0.0.1',
      PORT: String(port),
      WEB_ROOT: 'off',
      LOG_LEVEL: 'warn',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  stack.children.add(child);
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; at: number }>((done) =>
    child.once('exit', (code, signal) => done({ code, signal, at: Date.now() })),
  );
  const url = `http://127.0.0.1:${port}`;
  await eventually(
    async () =>
      child.exitCode === null &&
      (await fetch(`${url}/health/live`).then(
        (r) => r.ok,
        () => false,
      )),
    `the API on port ${port} to start (output: ${output})`,
    60_000,
  );
  return { child, url, output: () => output, exited };
}
