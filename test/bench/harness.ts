import autocannon from 'autocannon';
import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import Redis from 'ioredis';
import { Pool } from 'pg';
import { AppConfig } from '@cophub/core';
import { runMigrations } from '@cophub/schema';
import { AccessTokenService } from '@cophub/identity';
import { createDatabase, dropDatabase, freePort, REDIS_URL, testEnv, uniqueSuffix } from '@cophub/testing';
import { deleteRedisPrefix } from '../../libs/testing/src/global-teardown';

export const ROOT = resolve(__dirname, '../..');

export interface BenchRow {
  figure: string;
  target: string;
  measured: string;
  /** true: meets the target; false: misses it; null: no target to meet. */
  ok: boolean | null;
  /** The same figure for the bare Nest + Fastify ceiling measured in this run, as "×n" (see `ratio`). */
  ratio?: string;
}

/** How many times the ceiling's figure this one is (CPU per request: lower is better). */
export function ratio(value: number, ceiling: number): string {
  if (!Number.isFinite(value) || !Number.isFinite(ceiling) || ceiling <= 0) return 'n/a';
  const r = value / ceiling;
  // Throughputs are fractions of the ceiling: two decimals, so that 0.14 and 0.06 stay apart.
  return `×${fmt(r, r < 1 ? 2 : 1)}`;
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

export function percentile(values: number[], p: number): number {
  if (!values.length) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

export interface RunningProcess {
  child: ChildProcess;
  url: string;
  rssMb(): number;
  /** User + system CPU time the process has used so far, from `/proc/<pid>/stat`. */
  cpuMs(): number;
  /** PostgreSQL round trips so far (NaN unless started with `countQueries`). */
  queries(): Promise<number>;
  stop(signal?: NodeJS.Signals): Promise<void>;
}

let ticksPerSecond = 0;

/** User + system CPU ms a process has used so far (`/proc/<pid>/stat`). */
export function cpuMs(pid: number | undefined): number {
  if (!pid) return NaN;
  ticksPerSecond ||= Number(execFileSync('getconf', ['CLK_TCK']).toString().trim()) || 100;
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // Fields after the command name (which may hold spaces) start at field 3; utime is 14, stime 15.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / ticksPerSecond;
}

function queryCount(child: ChildProcess): Promise<number> {
  if (!child.connected) return Promise.resolve(NaN);
  return new Promise((resolveCount) => {
    const timer = setTimeout(() => resolveCount(NaN), 2_000);
    const onMessage = (message: { queryCount?: number }) => {
      if (typeof message?.queryCount !== 'number') return;
      clearTimeout(timer);
      child.off('message', onMessage);
      resolveCount(message.queryCount);
    };
    child.on('message', onMessage);
    child.send('query-count');
  });
}

export interface SpawnOptions {
  /** Load the bench-only query counter into the process (`queries()` then works). */
  countQueries?: boolean;
  /** Node options before the script, e.g. `-r @swc-node/register` for a TypeScript entry point. */
  nodeArgs?: string[];
}

export function rssMb(pid: number | undefined): number {
  if (!pid) return NaN;
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1]);
  return kb / 1024;
}

/**
 * A throwaway deployment for benchmarks: its own database and Redis prefix, with the compiled API
 * and worker run as separate processes (as in production), so the load generator does not share
 * their event loop.
 */
export class BenchEnvironment {
  readonly processes = new Set<RunningProcess>();
  readonly pg: Pool;
  readonly redis = new Redis(REDIS_URL);

  private constructor(
    readonly env: Record<string, string>,
    readonly databaseName: string,
  ) {
    this.pg = new Pool({ connectionString: env.DATABASE_URL, max: 10 });
    // Dropping the bench database terminates idle connections: not an error of the run.
    this.pg.on('error', () => undefined);
  }

  static async start(overrides: Record<string, string> = {}): Promise<BenchEnvironment> {
    const id = uniqueSuffix();
    const name = `cophub_bench_${id}`;
    const url = await createDatabase(name);
    await runMigrations(url);
    const env = testEnv(url, `bench-${id}`, {
      NODE_ENV: 'production',
      LOG_LEVEL: 'warn',
      SMTP_URL: 'smtp://127.0.0.1:1',
      ...overrides,
    }) as Record<string, string>;
    return new BenchEnvironment(env, name);
  }

  private async spawn(
    script: string,
    extraEnv: Record<string, string>,
    url: string,
    ready: () => Promise<boolean>,
    options: SpawnOptions = {},
  ): Promise<RunningProcess> {
    const counter = options.countQueries ? ['-r', resolve(ROOT, 'test/bench/query-counter.js')] : [];
    // BENCH_PROFILE_DIR: each API process writes a CPU profile there when the bench stops it (SIGTERM).
    const profile =
      process.env.BENCH_PROFILE_DIR && script.startsWith('dist/apps/api/')
        ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_PROFILE_DIR}`]
        : [];
    // BENCH_NODE_ARGS (e.g. a profiler preload) applies to every process a bench starts; for local profiling.
    const nodeArgs = [...(process.env.BENCH_NODE_ARGS?.split(' ').filter(Boolean) ?? []), ...(options.nodeArgs ?? [])];
    // BENCH_BUILD_ROOT runs another build of the product (say, an earlier commit's) against this bench.
    const child = spawn(
      process.execPath,
      [...nodeArgs, ...profile, ...counter, resolve(process.env.BENCH_BUILD_ROOT ?? ROOT, script)],
      {
        cwd: ROOT,
        env: { ...process.env, ...this.env, ...extraEnv },
        stdio: ['ignore', 'inherit', 'inherit', ...(options.countQueries ? ['ipc' as const] : [])],
      },
    );
    const running: RunningProcess = {
      child,
      url,
      rssMb: () => rssMb(child.pid),
      cpuMs: () => cpuMs(child.pid),
      queries: () => queryCount(child),
      stop: async (signal = 'SIGTERM') => {
        if (child.exitCode !== null || child.signalCode) return;
        const exited = new Promise((r) => child.once('exit', r));
        child.kill(signal);
        await exited;
        this.processes.delete(running);
      },
    };
    this.processes.add(running);
    // Generous: on the shared 2-core machine under load, booting a compiled API can take tens of seconds.
    const deadline = Date.now() + 120_000;
    while (!(await ready().catch(() => false))) {
      if (child.exitCode !== null) throw new Error(`${script} exited with ${child.exitCode}`);
      if (Date.now() > deadline) throw new Error(`${script} did not become ready`);
      await new Promise((r) => setTimeout(r, 200));
    }
    return running;
  }

  async startApi(extraEnv: Record<string, string> = {}, options: SpawnOptions = {}): Promise<RunningProcess> {
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    return this.spawn(
      'dist/apps/api/src/main.js',
      { PORT: String(port), ...extraEnv },
      url,
      async () => {
        const response = await fetch(`${url}/health`);
        return response.ok;
      },
      // As `npm run start:api` and the image start it (README, "Memory").
      { ...options, nodeArgs: [`--max-old-space-size=${process.env.API_HEAP_MB ?? 192}`, ...(options.nodeArgs ?? [])] },
    );
  }

  /** The ceiling: a bare Nest + Fastify "hello" (test/bench/hello.ts), `GET /hello`. */
  async startCeiling(): Promise<RunningProcess> {
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    return this.spawn(
      // Always this checkout's ceiling, also when BENCH_BUILD_ROOT runs another build of the API.
      resolve(ROOT, 'test/bench/hello.ts'),
      { PORT: String(port), SWC_NODE_PROJECT: resolve(ROOT, 'tsconfig.json') },
      url,
      async () => (await fetch(`${url}/hello`)).ok,
      { nodeArgs: ['-r', '@swc-node/register'] },
    );
  }

  async startWorker(extraEnv: Record<string, string> = {}): Promise<RunningProcess> {
    let started = false;
    const running = await this.spawn('dist/apps/worker/src/main.js', extraEnv, '', async () => {
      // Ready once it has connected to PostgreSQL under its application name.
      const { rows } = await this.pg.query(
        "SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = $1 AND application_name = 'cophub-worker'",
        [this.databaseName],
      );
      started = rows[0].n > 0;
      return started;
    });
    return running;
  }

  /**
   * Starts a sign-in for each user (a refresh-token family whose id is the user's id), so access
   * tokens signed with `sessionId: userId` pass the per-request session check.
   */
  async startSessions(userIds: string[]): Promise<void> {
    await this.query(
      `INSERT INTO refresh_tokens (family_id, user_id, token_hash, expires_at)
       SELECT id, id, 'bench-' || id, now() + interval '1 day' FROM unnest($1::uuid[]) id
       ON CONFLICT DO NOTHING`,
      [userIds],
    );
  }

  async query<T = Record<string, unknown>>(sql: string, params: unknown[] = []): Promise<T[]> {
    return (await this.pg.query(sql, params)).rows as T[];
  }

  /** Access tokens as sign-in would issue them, one per user, valid for an hour (no password hashing). */
  /** Signed-in access tokens: each user gets a live sign-in (see `startSessions`) that its token names. */
  async accessTokens(users: Array<{ id: string }>): Promise<string[]> {
    await this.startSessions(users.map((u) => u.id));
    const signer = new AccessTokenService({
      auth: { jwtSecret: this.env.JWT_SECRET, accessTokenTtlSeconds: 3600 },
    } as unknown as AppConfig);
    return users.map((u) => signer.sign({ id: u.id, isAdmin: false, sessionId: u.id }));
  }

  async flushRedis(): Promise<void> {
    await deleteRedisPrefix(this.redis, `${this.env.QUEUE_PREFIX}:`);
  }

  /**
   * CPU time (user + system, ms) that this bench database's PostgreSQL backends have used, per backend
   * pid (only those of one `application_name` when given); `pgCpuMsSince` turns two readings into the
   * CPU spent between them (backends started in between count from zero).
   */
  async pgCpuMs(applicationName?: string): Promise<Map<number, number>> {
    const rows = await this.query<{ pid: number }>(
      `SELECT pid FROM pg_stat_activity
        WHERE datname = $1 AND backend_type = 'client backend' AND pid <> pg_backend_pid()
          AND ($2::text IS NULL OR application_name = $2)`,
      [this.databaseName, applicationName ?? null],
    );
    const readings = new Map<number, number>();
    for (const { pid } of rows) {
      try {
        readings.set(pid, cpuMs(pid));
      } catch {
        // Ended between the query and the read.
      }
    }
    return readings;
  }

  async pgCpuMsSince(before: Map<number, number>, applicationName?: string): Promise<number> {
    const after = await this.pgCpuMs(applicationName);
    let total = 0;
    for (const [pid, ms] of after) total += ms - (before.get(pid) ?? 0);
    return total;
  }

  async close(): Promise<void> {
    // A profiled process (BENCH_PROFILE_DIR, or --cpu-prof in BENCH_NODE_ARGS) writes its profile on a
    // clean exit only, so it is stopped gently.
    const profiled =
      Boolean(process.env.BENCH_PROFILE_DIR) || Boolean(process.env.BENCH_NODE_ARGS?.includes('--cpu-prof'));
    for (const p of [...this.processes]) await p.stop(profiled ? 'SIGTERM' : 'SIGKILL');
    await this.pg.end();
    await this.flushRedis();
    this.redis.disconnect();
    await dropDatabase(this.databaseName);
  }
}

export interface LoadResult {
  rps: number;
  /** Requests completed in the run. */
  total: number;
  p50: number;
  p99: number;
  errors: number;
  non2xx: number;
  /** Server CPU ms per response and PostgreSQL round trips per response (when measured with `measuredLoad`). */
  cpuMsPerRequest?: number;
  queriesPerRequest?: number;
}

/** Drives HTTP load with autocannon and reports throughput and latency. */
export async function load(options: autocannon.Options): Promise<LoadResult> {
  const result = await autocannon({ duration: 8, ...options });
  return {
    rps: result.requests.average,
    total: result.requests.total,
    p50: result.latency.p50,
    p99: result.latency.p99,
    errors: result.errors + result.timeouts,
    non2xx: result.non2xx,
  };
}

/**
 * A load run that also reads what serving it cost the server process: CPU (user + system) from
 * `/proc` and PostgreSQL round trips (when the process counts them), each per response.
 */
export async function measuredLoad(server: RunningProcess, options: autocannon.Options): Promise<LoadResult> {
  const [cpuBefore, queriesBefore] = [server.cpuMs(), await server.queries()];
  const result = await load(options);
  const [cpuAfter, queriesAfter] = [server.cpuMs(), await server.queries()];
  const responses = Math.max(1, result.total);
  return {
    ...result,
    cpuMsPerRequest: (cpuAfter - cpuBefore) / responses,
    queriesPerRequest: (queriesAfter - queriesBefore) / responses,
  };
}

/** Runs a load several times and keeps the run with the median throughput (the machine is noisy). */
export async function medianLoad(
  runs: number,
  run: () => Promise<LoadResult>,
): Promise<LoadResult & { runs: LoadResult[] }> {
  const results: LoadResult[] = [];
  for (let i = 0; i < runs; i += 1) results.push(await run());
  const byRps = [...results].sort((a, b) => a.rps - b.rps);
  return { ...byRps[Math.floor(byRps.length / 2)], runs: results };
}

/** The row every load figure needs: nothing failed and every answer was 2xx. */
export function errorsRow(figure: string, result: LoadResult): BenchRow {
  return {
    figure: `${figure} errors / non-2xx`,
    target: '0',
    measured: `${result.errors} / ${result.non2xx}`,
    ok: result.errors + result.non2xx === 0,
  };
}

export function fmt(value: number, digits = 0): string {
  return Number.isFinite(value)
    ? value.toLocaleString('en-GB', { maximumFractionDigits: digits, minimumFractionDigits: digits })
    : 'n/a';
}
