import autocannon from 'autocannon';
import { ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { resolve } from 'node:path';
import Redis from 'ioredis';
import { Pool } from 'pg';
import { runMigrations } from '@cophub/core';
import { createDatabase, dropDatabase, REDIS_URL, testEnv, uniqueSuffix } from '@cophub/testing';
import { deleteRedisPrefix } from '../../libs/testing/src/global-teardown';

export const ROOT = resolve(__dirname, '../..');

export interface BenchRow {
  figure: string;
  target: string;
  measured: string;
  /** true: meets the target; false: misses it; null: no target to meet. */
  ok: boolean | null;
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

export async function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address ? resolvePort(address.port) : reject(new Error('no port')),
      );
    });
  });
}

export interface RunningProcess {
  child: ChildProcess;
  url: string;
  rssMb(): number;
  stop(signal?: NodeJS.Signals): Promise<void>;
}

function rssMb(pid: number | undefined): number {
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
  ): Promise<RunningProcess> {
    const child = spawn(process.execPath, [resolve(ROOT, script)], {
      cwd: ROOT,
      env: { ...process.env, ...this.env, ...extraEnv },
      stdio: ['ignore', 'inherit', 'inherit'],
    });
    const running: RunningProcess = {
      child,
      url,
      rssMb: () => rssMb(child.pid),
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

  async startApi(extraEnv: Record<string, string> = {}): Promise<RunningProcess> {
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    return this.spawn('dist/apps/api/src/main.js', { PORT: String(port), ...extraEnv }, url, async () => {
      const response = await fetch(`${url}/health`);
      return response.ok;
    });
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

  async query<T = Record<string, unknown>>(sql: string, params: unknown[] = []): Promise<T[]> {
    return (await this.pg.query(sql, params)).rows as T[];
  }

  async flushRedis(): Promise<void> {
    await deleteRedisPrefix(this.redis, `${this.env.QUEUE_PREFIX}:`);
  }

  async close(): Promise<void> {
    for (const p of [...this.processes]) await p.stop('SIGKILL');
    await this.pg.end();
    await this.flushRedis();
    this.redis.disconnect();
    await dropDatabase(this.databaseName);
  }
}

export interface LoadResult {
  rps: number;
  p50: number;
  p99: number;
  errors: number;
  non2xx: number;
}

/** Drives HTTP load with autocannon and reports throughput and latency. */
export async function load(options: autocannon.Options): Promise<LoadResult> {
  const result = await autocannon({ duration: 8, ...options });
  return {
    rps: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    errors: result.errors + result.timeouts,
    non2xx: result.non2xx,
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

export function fmt(value: number, digits = 0): string {
  return Number.isFinite(value)
    ? value.toLocaleString('en-GB', { maximumFractionDigits: digits, minimumFractionDigits: digits })
    : 'n/a';
}
