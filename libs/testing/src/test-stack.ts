import { INestApplication, INestApplicationContext } from '@nestjs/common';
import { ChildProcess, spawn } from 'node:child_process';
import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import Redis from 'ioredis';
import type { DNSResolver } from 'mailauth';
import { Pool } from 'pg';
import request from 'supertest';
import { createApiApp } from '../../../apps/api/src/app.factory';
import { createWorker } from '../../../apps/worker/src/worker.factory';
import { AppConfig, Clock } from '@cophub/core';
import { AccessTokenService, IdentityChange, IdentityChanges } from '@cophub/identity';
import { deleteRedisPrefix } from './global-teardown';
import { freePort } from './ports';
import { signIn } from './sessions';
import { SmtpSink } from './smtp-sink';
import { rowsOf } from './db/fixtures.sql';
import { createTestDatabase } from './db/test-database';
import { REDIS_URL, scaled, testRun, uniqueSuffix } from './run-env';
import { testConfig, testEnv } from './test-env';
import { TestStorage, testStorage } from './test-storage';

export interface StackOptions {
  /** Run the worker in this process (default true). */
  worker?: boolean;
  /** Start an in-test SMTP server and point SMTP_URL at it (default true). */
  smtp?: boolean;
  /** Extra environment settings, validated like the real ones. */
  env?: Record<string, string | undefined>;
  /** DNS answers for inbound mail checks (SPF, DKIM, DMARC) in the API's webhook. */
  mailInResolver?: DNSResolver;
}

const ROOT = resolve(__dirname, '../../..');

/**
 * One isolated copy of the product for a test file: its own database (copied from the migrated
 * template), its own Redis key prefix, a real SMTP server, the API on a free port and the worker.
 */
export class TestStack {
  readonly clock = new Clock();
  api!: INestApplication;
  worker: INestApplicationContext | null = null;
  url = '';
  readonly children = new Set<ChildProcess>();
  private readonly otherApis: INestApplication[] = [];

  private constructor(
    readonly config: AppConfig,
    readonly env: Record<string, string>,
    readonly database: { name: string; url: string; drop: () => Promise<void> },
    readonly pg: Pool,
    readonly redis: Redis,
    readonly smtp: SmtpSink | null,
    private readonly storage: TestStorage,
  ) {}

  static async start(options: StackOptions = {}): Promise<TestStack> {
    const { runId } = testRun();
    const database = await createTestDatabase();
    const smtp = options.smtp === false ? null : await new SmtpSink().start();
    const prefix = `test-${runId}-${uniqueSuffix()}`;
    // Each stack stores uploaded files in its own directory, removed on close.
    const storage = testStorage();
    const overrides = { STORAGE_DIR: storage.dir, ...(smtp ? { SMTP_URL: smtp.url } : {}), ...options.env };
    const env = testEnv(database.url, prefix, overrides) as Record<string, string>;
    const config = testConfig(database.url, prefix, overrides);
    const pg = new Pool({ connectionString: database.url, max: 5 });
    // Dropping the database at close terminates any connection still idle in this pool; that is expected and
    // must not surface as an unhandled 'error' event that fails the test file.
    pg.on('error', () => undefined);
    const stack = new TestStack(config, env, database, pg, new Redis(REDIS_URL), smtp, storage);
    stack.api = await createApiApp(config, { clock: stack.clock, logs: false, mailInResolver: options.mailInResolver });
    await stack.api.listen(0, '127.0.0.1');
    stack.url = `http://127.0.0.1:${(stack.api.getHttpServer().address() as AddressInfo).port}`;
    if (options.worker !== false) await stack.startWorker();
    return stack;
  }

  http() {
    return request(this.url);
  }

  async startWorker(): Promise<INestApplicationContext> {
    this.worker ??= await createWorker(this.config, { clock: this.clock, logs: false });
    return this.worker;
  }

  async stopWorker(): Promise<void> {
    await this.worker?.close();
    this.worker = null;
  }

  /** Starts the real worker entry point as a separate process, so a test can kill it. */
  spawnWorkerProcess(extraEnv: Record<string, string> = {}): ChildProcess {
    const child = spawn(process.execPath, ['-r', '@swc-node/register', 'apps/worker/src/main.ts'], {
      cwd: ROOT,
      env: { ...process.env, ...this.env, ...extraEnv, SWC_NODE_PROJECT: resolve(ROOT, 'tsconfig.json') },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout?.resume();
    child.stderr?.resume();
    this.children.add(child);
    child.once('exit', () => this.children.delete(child));
    return child;
  }

  /**
   * Starts the real API entry point as a separate process on a free port (same database, settings and
   * Redis as the stack unless `extraEnv` says otherwise), so a test can watch whether it stays up.
   * Its log lines are collected in `output`.
   */
  async spawnApiProcess(
    extraEnv: Record<string, string> = {},
  ): Promise<{ child: ChildProcess; url: string; output: string[] }> {
    const port = await freePort();
    const child = spawn(process.execPath, ['-r', '@swc-node/register', 'apps/api/src/main.ts'], {
      cwd: ROOT,
      env: {
        ...process.env,
        ...this.env,
        HOST: '127.0.0.1',
        PORT: String(port),
        LOG_LEVEL: 'warn',
        ...extraEnv,
        SWC_NODE_PROJECT: resolve(ROOT, 'tsconfig.json'),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const output: string[] = [];
    child.stdout?.on('data', (chunk: Buffer) => output.push(chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => output.push(chunk.toString()));
    this.children.add(child);
    child.once('exit', () => this.children.delete(child));
    const url = `http://127.0.0.1:${port}`;
    await eventually(
      async () => {
        if (child.exitCode !== null) throw new Error(`API process exited: ${output.join('')}`);
        return request(url)
          .get('/api/docs-json')
          .then((r) => r.status === 200)
          .catch(() => false);
      },
      'the API process to listen',
      90_000,
    );
    return { child, url, output };
  }

  /** Empties Redis of everything this stack stored: queues, delayed jobs, rate-limit counters. */
  async flushRedis(): Promise<number> {
    return deleteRedisPrefix(this.redis, `${this.config.queuePrefix}:`);
  }

  /**
   * An access token for a user, as login would issue (fast: no password hashing): a real sign-in, a
   * refresh-token family in the database, since every request checks that its sign-in is live.
   */
  async tokenFor(userId: string, isAdmin = false): Promise<string> {
    return (await this.tokensFor([userId], isAdmin))[0];
  }

  /** `tokenFor` for many users in one statement. */
  async tokensFor(userIds: string[], isAdmin = false): Promise<string[]> {
    return signIn(this, this.api.get(AccessTokenService), userIds, isAdmin);
  }

  /**
   * For tests that change memberships or accounts straight in the database: tells the API instances
   * (this one at once, the others through Redis) to forget what they cached about it, as the product's
   * own services do after each change.
   */
  async identityChanged(change: IdentityChange): Promise<void> {
    await this.api.get(IdentityChanges).announce(change);
  }

  /** A test's own statement on the stack's database (to arrange a case or check what a request changed). */
  query<T = Record<string, unknown>>(sql: string, params: unknown[] = []): Promise<T[]> {
    return rowsOf<T>(this.pg, sql, params);
  }

  /**
   * Another API instance on this stack's database, Redis prefix and settings, as a second process behind
   * the load balancer would be (fan-out and caches must cross instances). Closed with the stack.
   */
  async startApi(): Promise<{ app: INestApplication; url: string }> {
    const app = await createApiApp(this.config, { logs: false });
    this.otherApis.push(app);
    await app.listen(0, '127.0.0.1');
    return { app, url: `http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}` };
  }

  async close(): Promise<void> {
    for (const child of this.children) child.kill('SIGKILL');
    for (const app of this.otherApis.splice(0)) await app.close().catch(() => undefined);
    await this.stopWorker().catch(() => undefined);
    await this.api?.close().catch(() => undefined);
    await this.smtp?.stop();
    await this.pg.end();
    await this.flushRedis().catch(() => undefined);
    this.redis.disconnect();
    await this.database.drop();
    this.storage.remove();
  }
}

/** Polls until `check` returns a truthy value, failing with `what` after the timeout. */
export async function eventually<T>(
  check: () => Promise<T | null | undefined | false>,
  what: string,
  timeoutMs = 15_000,
): Promise<T> {
  const deadline = Date.now() + scaled(timeoutMs);
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
