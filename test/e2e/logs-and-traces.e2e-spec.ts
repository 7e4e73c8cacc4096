import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createCommunity, createMember, createUser, eventually, freePort, scaled, TestStack } from '@cophub/testing';
import { makePdf, multipart } from './resources.helpers';

const ROOT = resolve(__dirname, '../..');

interface LogLine {
  at: number;
  fields: Record<string, unknown>;
}

/** A product process started from its real entry point, with every JSON line of its stdout timed on arrival. */
class Child {
  readonly lines: LogLine[] = [];
  readonly text: string[] = [];
  private rest = '';

  constructor(readonly child: ChildProcess) {
    child.stdout!.on('data', (chunk: Buffer) => {
      const at = Date.now();
      const parts = (this.rest + chunk.toString()).split('\n');
      this.rest = parts.pop() ?? '';
      for (const part of parts) {
        this.text.push(part);
        try {
          this.lines.push({ at, fields: JSON.parse(part) as Record<string, unknown> });
        } catch {
          // A plain console line (start-up, stop).
        }
      }
    });
    child.stderr!.on('data', (chunk: Buffer) => this.text.push(chunk.toString()));
  }

  static start(stack: TestStack, entry: string, env: Record<string, string>): Child {
    const child = spawn(process.execPath, ['-r', '@swc-node/register', entry], {
      cwd: ROOT,
      env: { ...process.env, ...stack.env, ...env, SWC_NODE_PROJECT: resolve(ROOT, 'tsconfig.json') },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    stack.children.add(child);
    child.once('exit', () => stack.children.delete(child));
    return new Child(child);
  }

  find(predicate: (fields: Record<string, unknown>) => boolean): LogLine | undefined {
    return this.lines.find((line) => predicate(line.fields));
  }

  /** Waits (unscaled: the point is the bound) for a line; answers it, or null after `ms`. */
  async line(predicate: (fields: Record<string, unknown>) => boolean, ms: number): Promise<LogLine | null> {
    const deadline = Date.now() + ms;
    for (;;) {
      const found = this.find(predicate);
      if (found) return found;
      if (Date.now() > deadline) return null;
      await new Promise((r) => setTimeout(r, 10));
    }
  }
}

async function startApi(stack: TestStack, env: Record<string, string>): Promise<{ api: Child; url: string }> {
  const port = await freePort();
  const api = Child.start(stack, 'apps/api/src/main.ts', {
    HOST: '127.0.0.1',
    PORT: String(port),
    WEB_ROOT: 'off',
    ...env,
  });
  const url = `http://127.0.0.1:${port}`;
  // Start-up is stretched on a busy machine; the 1 s bound below is not.
  await eventually(
    async () =>
      api.child.exitCode === null &&
      (await fetch(`${url}/health/live`).then(
        (r) => r.ok,
        () => false,
      )),
    `the API to start (${api.text.join('')})`,
    60_000,
  );
  return { api, url };
}

describe('log lines reach stdout within a second on an idle instance', () => {
  let stack: TestStack;

  beforeAll(async () => {
    stack = await TestStack.start({ worker: false, smtp: false });
  });

  afterAll(async () => {
    await stack?.close();
  });

  it('writes a request line within 1 s of the answer, with the request id as its trace id', async () => {
    const { api, url } = await startApi(stack, { LOG_LEVEL: 'info' });
    // Idle: nothing else is logged, so nothing else fills the buffer.
    await new Promise((r) => setTimeout(r, 1_500));
    const requestId = `idle-${Date.now()}`;
    const answered = await fetch(`${url}/api/v1/communities`, { headers: { 'x-request-id': requestId } }).then((r) => {
      expect(r.headers.get('x-request-id')).toBe(requestId);
      return Date.now();
    });
    const line = await api.line((f) => f.reqId === requestId && f.msg === 'request completed', 1_000);
    expect(line).not.toBeNull();
    expect(line!.at - answered).toBeLessThan(1_000);
    expect(line!.fields).toMatchObject({ traceId: requestId, status: 401, level: 30 });
  });

  const disk = (() => {
    const dir = mkdtempSync(join(tmpdir(), 'cophub-full-disk-'));
    try {
      execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=512k', 'tmpfs', dir], { stdio: 'ignore' });
      return dir;
    } catch {
      rmSync(dir, { recursive: true, force: true });
      return null;
    }
  })();
  const itWithDisk = disk ? it : it.skip;
  if (!disk) console.warn('logs-and-traces: cannot mount a tmpfs here (not root?); the full-disk case is skipped');

  afterAll(() => {
    if (!disk) return;
    execFileSync('umount', [disk]);
    rmSync(disk, { recursive: true, force: true });
  });

  itWithDisk('writes the error of a full disk within 1 s, though nothing else is logged', async () => {
    const community = await createCommunity(stack);
    const coChair = await createMember(stack, community, 'co_chair');
    const { api, url } = await startApi(stack, { LOG_LEVEL: 'error', STORAGE_DIR: disk as string });
    const pdf = await makePdf(['Too big for this disk']);
    const { body, type } = multipart(
      { title: 'Annual report' },
      { filename: 'report.pdf', contentType: 'application/pdf', data: Buffer.concat([pdf, Buffer.alloc(1024 * 1024, 0x20)]) },
    );
    await new Promise((r) => setTimeout(r, 1_000));
    const response = await fetch(`${url}/api/v1/communities/${community.slug}/resources`, {
      method: 'POST',
      headers: { authorization: `Bearer ${coChair.token}`, 'content-type': type },
      body: new Uint8Array(body),
    });
    const answered = Date.now();
    const answer = (await response.json()) as { code: string; errorId: string };
    expect({ status: response.status, code: answer.code }).toEqual({ status: 507, code: 'storage_full' });
    const line = await api.line((f) => f.errorId === answer.errorId, 1_000);
    expect(line).not.toBeNull();
    expect(line!.at - answered).toBeLessThan(1_000);
    expect(line!.fields).toMatchObject({ level: 50, msg: `Storage full ${answer.errorId}` });
  });
});

describe('a trace id follows a request into its jobs', () => {
  let stack: TestStack;
  let worker: Child;

  beforeAll(async () => {
    stack = await TestStack.start({ worker: false });
    worker = Child.start(stack, 'apps/worker/src/main.ts', { LOG_LEVEL: 'info' });
    await eventually(async () => worker.text.some((t) => t.includes('CoP Hub worker started')), 'the worker to start', 60_000);
  });

  afterAll(async () => {
    await stack?.close();
  });

  it("logs the request's id on the worker's line for the mail job it enqueued", async () => {
    const user = await createUser(stack);
    const traceId = `reset-${Date.now()}`;
    await stack
      .http()
      .post('/api/v1/auth/password-reset')
      .set('x-request-id', traceId)
      .send({ email: user.email })
      .expect(202);
    await stack.smtp!.waitForMessageTo(user.email);
    const line = await worker.line((f) => f.traceId === traceId && f.msg === 'job completed', scaled(5_000));
    expect(line?.fields).toMatchObject({ job: 'mail.send', outcome: 'sent', context: 'JobWorker', traceId });
  });

  it('gives a job enqueued outside any request a trace id of its own', async () => {
    // A row the reconciler finds (no request enqueued it): its job runs under a fresh trace id.
    const [row] = await stack.query<{ id: string }>(
      `INSERT INTO mail_outbox (recipient, template, params) VALUES ('someone@example.nhs.net', 'identity.password-reset', $1)
       RETURNING id`,
      [JSON.stringify({ displayName: 'Someone', url: 'http://cophub.test/reset?token=x', expiresInMinutes: 60 })],
    );
    const line = await worker.line((f) => f.msg === 'job completed' && String(f.jobId).includes(row.id), scaled(15_000));
    expect(line?.fields.traceId).toEqual(expect.stringMatching(/^[\w.-]{8,}$/));
  });
});
