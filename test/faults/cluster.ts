import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import type { Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { JwtService } from '@nestjs/jwt';
import { Client } from 'pg';
import { SMTPServer } from 'smtp-server';
import { freePort } from '../../libs/testing/src/ports';
import { PrivateRedis } from '../../libs/testing/src/private-redis';

export { PrivateRedis };

export const ROOT = resolve(__dirname, '../..');

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
    const options = `-p ${this.port} -k ${this.dir} -c listen_addresses=127.0.0.1 -c max_connections=400 -c fsync=off`;
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
    migrate: fromSource ? 'libs/schema/src/cli.ts' : 'dist/libs/schema/src/cli.js',
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

export interface SinkMessage {
  to: string;
  messageId: string;
  subject: string;
  at: number;
}

/**
 * The SMTP relay the worker sends to (the `smtp-server` package, in this process), which a scenario
 * can make refuse every message (451 after DATA) or take down altogether (the port closed, open
 * connections cut) and bring back on the same port. It keeps only envelopes, subjects and Message-IDs.
 */
export class FaultSmtp {
  readonly messages: SinkMessage[] = [];
  /** Messages answered 451 while refusing. */
  refused = 0;
  private refusing = false;
  private server: SMTPServer | null = null;
  private readonly sockets = new Set<Socket>();

  private constructor(readonly port: number) {}

  static async start(): Promise<FaultSmtp> {
    const sink = new FaultSmtp(await freePort());
    await sink.up();
    return sink;
  }

  get url(): string {
    return `smtp://127.0.0.1:${this.port}`;
  }

  /** Listening and accepting (again). */
  async up(): Promise<void> {
    this.refusing = false;
    if (this.server) return;
    const server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS', 'AUTH'],
      logger: false,
      onData: (stream, session, callback) => {
        const chunks: Buffer[] = [];
        stream.on('data', (chunk: Buffer) => chunks.push(chunk));
        stream.on('end', () => {
          if (this.refusing) {
            this.refused += 1;
            callback(Object.assign(new Error('Try again later'), { responseCode: 451 }));
            return;
          }
          const raw = Buffer.concat(chunks);
          const head = raw.subarray(0, raw.indexOf('\r\n\r\n')).toString('utf8');
          const messageId = /^Message-ID:\s*(.*)$/im.exec(head)?.[1]?.trim() ?? '';
          const subject = /^Subject:\s*(.*)$/im.exec(head)?.[1]?.trim() ?? '';
          for (const rcpt of session.envelope.rcptTo) {
            this.messages.push({ to: rcpt.address.toLowerCase(), messageId, subject, at: Date.now() });
          }
          callback();
        });
      },
    });
    // Clients cut off mid-transaction (a killed worker, `down`) reset their connections: not our problem.
    server.on('error', () => undefined);
    server.server.on('connection', (socket: Socket) => {
      this.sockets.add(socket);
      socket.once('close', () => this.sockets.delete(socket));
    });
    await new Promise<void>((done) => server.listen(this.port, '127.0.0.1', done));
    this.server = server;
  }

  /** Answers 451 to every message until `up`. */
  refuse(): void {
    this.refusing = true;
  }

  /** Stops listening and cuts every open connection: the relay is gone until `up`. */
  async down(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = null;
    const closed = new Promise<void>((done) => server.server.close(() => done()));
    for (const socket of this.sockets) socket.destroy();
    await closed;
  }
}

/** What every scenario works with: the private services, the sink and the people set up once. */
export interface World {
  pg: PrivatePostgres;
  redis: PrivateRedis;
  sink: FaultSmtp;
  env: Record<string, string>;
  communitySlug: string;
  threadId: string;
  memberId: string;
  coChairId: string;
  /** More members of the main community, for load with emails (RSVP confirmations, mentions). */
  readers: Array<{ id: string; handle: string }>;
  /** A second community with `burstSize` members, for bulk mail (a poll opened to all of them). */
  burstSlug: string;
  burstChairId: string;
  burstSize: number;
}

export interface Scenario {
  name: string;
  run(world: World): Promise<string[]>;
}

export interface HttpAnswer {
  status: number;
  retryAfter: string | null;
  ms: number;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  body: any;
}

/** One JSON request; a network error or timeout comes back as status 0. */
export async function call(
  url: string,
  token: string,
  method: string,
  path: string,
  body?: object,
  timeoutMs = 30_000,
): Promise<HttpAnswer> {
  const started = Date.now();
  try {
    const res = await fetch(`${url}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: body ? JSON.stringify(body) : undefined,
      signal: AbortSignal.timeout(timeoutMs),
    });
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = JSON.parse(text);
    } catch {
      // not JSON: keep the text
    }
    return { status: res.status, retryAfter: res.headers.get('retry-after'), ms: Date.now() - started, body: parsed };
  } catch (error) {
    return { status: 0, retryAfter: null, ms: Date.now() - started, body: (error as Error).message };
  }
}

/** As `call`, but anything but 2xx is an error (for a scenario's set-up steps). */
export async function must(url: string, token: string, method: string, path: string, body?: object) {
  const answer = await call(url, token, method, path, body, 120_000);
  if (answer.status < 200 || answer.status >= 300) {
    throw new Error(`${method} ${path}: ${answer.status} ${JSON.stringify(answer.body).slice(0, 300)}`);
  }
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  return answer.body as any;
}
