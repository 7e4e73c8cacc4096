import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { JwtService } from '@nestjs/jwt';
import { Client } from 'pg';

export const ROOT = resolve(__dirname, '../..');

export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as AddressInfo;
  await new Promise((done) => server.close(done));
  return port;
}

export const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));

export async function until(check: () => Promise<boolean> | boolean, what: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(100);
  }
}

function pgBin(name: string): string {
  const version = readdirSync('/usr/lib/postgresql').sort().pop() as string;
  return `/usr/lib/postgresql/${version}/bin/${name}`;
}

/** PostgreSQL refuses to run as root: the private cluster runs as the `postgres` user when we are root. */
function asPostgres(command: string, args: string[]): [string, string[]] {
  return process.getuid?.() === 0 ? ['runuser', ['-u', 'postgres', '--', command, ...args]] : [command, args];
}

/** A private PostgreSQL cluster (initdb + pg_ctl) in a temporary directory on a spare port. */
export class PrivatePostgres {
  private constructor(
    readonly dir: string,
    readonly port: number,
  ) {}

  static async start(): Promise<PrivatePostgres> {
    const dir = mkdtempSync(join(tmpdir(), 'cophub-faults-pg-'));
    if (process.getuid?.() === 0) execFileSync('chown', ['-R', 'postgres:postgres', dir]);
    const pg = new PrivatePostgres(dir, await freePort());
    const [cmd, args] = asPostgres(pgBin('initdb'), [
      '-D',
      join(dir, 'data'),
      '-U',
      'postgres',
      '-A',
      'trust',
      '-E',
      'UTF8',
    ]);
    execFileSync(cmd, args, { stdio: 'ignore' });
    pg.ctl('start');
    await until(() => pg.ready(), 'private PostgreSQL to accept connections');
    return pg;
  }

  url(database = 'cophub'): string {
    return `postgres://postgres@127.0.0.1:${this.port}/${database}`;
  }

  ctl(action: 'start' | 'stop' | 'restart'): void {
    const options = `-p ${this.port} -k ${this.dir} -c listen_addresses=127.0.0.1 -c max_connections=200 -c fsync=off`;
    const [cmd, args] = asPostgres(pgBin('pg_ctl'), [
      '-D',
      join(this.dir, 'data'),
      '-l',
      join(this.dir, 'log'),
      '-o',
      options,
      '-w',
      '-m',
      'fast',
      action,
    ]);
    execFileSync(cmd, args, { stdio: 'ignore' });
  }

  async ready(): Promise<boolean> {
    const client = new Client({ connectionString: this.url('postgres'), connectionTimeoutMillis: 1_000 });
    try {
      await client.connect();
      await client.query('SELECT 1');
      return true;
    } catch {
      return false;
    } finally {
      await client.end().catch(() => undefined);
    }
  }

  async query<T = Record<string, unknown>>(sql: string, params: unknown[] = []): Promise<T[]> {
    const client = new Client({ connectionString: this.url() });
    await client.connect();
    try {
      return (await client.query(sql, params)).rows as T[];
    } finally {
      await client.end();
    }
  }

  stop(): void {
    try {
      this.ctl('stop');
    } catch {
      // already stopped
    }
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** A private redis-server on a spare port, with no persistence. */
export class PrivateRedis {
  child: ChildProcess | null = null;
  private constructor(readonly port: number) {}

  static async start(): Promise<PrivateRedis> {
    const redis = new PrivateRedis(await freePort());
    await redis.resume();
    return redis;
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  async resume(): Promise<void> {
    this.child = spawn(
      'redis-server',
      ['--port', String(this.port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
      {
        stdio: 'ignore',
      },
    );
    await sleep(300);
  }

  stop(): void {
    this.child?.kill('SIGKILL');
    this.child = null;
  }
}

/** Environment for product processes on the private services. */
export function productEnv(
  pg: PrivatePostgres,
  redis: PrivateRedis,
  extra: Record<string, string> = {},
): Record<string, string> {
  return {
    NODE_ENV: 'test',
    DATABASE_URL: pg.url(),
    REDIS_URL: redis.url,
    QUEUE_PREFIX: 'faults',
    JWT_SECRET: 'fault-suite-secret-fault-suite-secret-0123',
    LOG_LEVEL: 'warn',
    WEB_ROOT: 'off',
    ARGON2_MEMORY_KIB: '8192',
    ...extra,
  };
}

/** Built entry points (`npm run build`), or the sources through swc when FAULTS_FROM_SOURCE is set. */
function entry(app: 'api' | 'worker' | 'migrate'): string[] {
  const fromSource = process.env.FAULTS_FROM_SOURCE === '1';
  const path = {
    api: fromSource ? 'apps/api/src/main.ts' : 'dist/apps/api/src/main.js',
    worker: fromSource ? 'apps/worker/src/main.ts' : 'dist/apps/worker/src/main.js',
    migrate: fromSource ? 'libs/core/src/database/cli.ts' : 'dist/libs/core/src/database/cli.js',
  }[app];
  return fromSource
    ? ['-r', '@swc-node/register', path, ...(app === 'migrate' ? ['migrate'] : [])]
    : [path, ...(app === 'migrate' ? ['migrate'] : [])];
}

export function migrate(env: Record<string, string>): void {
  execFileSync(process.execPath, entry('migrate'), { cwd: ROOT, env: { ...process.env, ...env }, stdio: 'ignore' });
}

export interface ProductProcess {
  child: ChildProcess;
  url: string;
  output: () => string;
  exited: Promise<{ code: number | null; at: number }>;
}

export async function startProcess(app: 'api' | 'worker', env: Record<string, string>): Promise<ProductProcess> {
  const port = app === 'api' ? await freePort() : 0;
  const child = spawn(process.execPath, entry(app), {
    cwd: ROOT,
    env: {
      ...process.env,
      ...env,
      HOST: '127.0.0.1',
      PORT: String(port),
      SWC_NODE_PROJECT: resolve(ROOT, 'tsconfig.json'),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (c: Buffer) => (output += c.toString()));
  child.stderr?.on('data', (c: Buffer) => (output += c.toString()));
  const exited = new Promise<{ code: number | null; at: number }>((done) =>
    child.once('exit', (code) => done({ code, at: Date.now() })),
  );
  const url = `http://127.0.0.1:${port}`;
  if (app === 'api') {
    await until(
      async () => {
        if (child.exitCode !== null) throw new Error(`API exited at start: ${output}`);
        return fetch(`${url}/health/live`).then(
          (r) => r.ok,
          () => false,
        );
      },
      'the API to listen',
      120_000,
    );
  } else {
    await until(() => output.includes('worker started'), 'the worker to start', 120_000);
  }
  return { child, url, output: () => output, exited };
}

/** An access token for a sign-in that exists: its session (a refresh-token family) is recorded first. */
export async function tokenFor(pg: PrivatePostgres, env: Record<string, string>, userId: string): Promise<string> {
  const jwt = new JwtService({
    secret: env.JWT_SECRET,
    signOptions: { algorithm: 'HS256', expiresIn: 3600, issuer: 'cophub' },
  });
  const sid = crypto.randomUUID();
  await pg.query(
    `INSERT INTO refresh_tokens (family_id, user_id, token_hash, expires_at) VALUES ($1, $2, $3, now() + interval '1 day')`,
    [sid, userId, `faults-${sid}`],
  );
  return jwt.sign({ sub: userId, adm: false, sid });
}
