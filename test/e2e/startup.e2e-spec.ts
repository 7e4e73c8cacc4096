import { Test } from '@nestjs/testing';
import { DiscoveryModule } from '@nestjs/core';
import { execFile } from 'node:child_process';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import {
  ALL_JOBS,
  APP_CONFIG,
  JobRegistryError,
  JobWorkerService,
  QUEUE_WORKER,
  testConfigFor,
} from './startup.helpers';

const run = promisify(execFile);
const ROOT = resolve(__dirname, '../..');

async function start(
  entry: string,
  env: Record<string, string>,
): Promise<{ code: number; stderr: string; stdout: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, ['-r', '@swc-node/register', entry], {
      cwd: ROOT,
      env: { ...process.env, JWT_SECRET: 'x'.repeat(40), LOG_LEVEL: 'silent', ...env },
      timeout: 60_000,
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

describe('starting without the services it needs', () => {
  it('the API stops with one clear line when PostgreSQL cannot be reached', async () => {
    const result = await start('apps/api/src/main.ts', { DATABASE_URL: 'postgres://postgres@127.0.0.1:1/cophub' });
    expect(result.code).toBe(1);
    const lines = result.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^PostgreSQL is not reachable at 127\.0\.0\.1:1 .*docker compose up -d postgres redis/);
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });

  it('the worker stops with one clear line when Redis cannot be reached', async () => {
    const result = await start('apps/worker/src/main.ts', { REDIS_URL: 'redis://127.0.0.1:1' });
    expect(result.code).toBe(1);
    expect(result.stderr.trim().split('\n')).toEqual([
      expect.stringMatching(/^Redis is not reachable at 127\.0\.0\.1:1 .*redis-server/),
    ]);
  });

  it('the API refuses to start with invalid settings and says which', async () => {
    const result = await start('apps/api/src/main.ts', { JWT_SECRET: 'short', PORT: 'http' });
    expect(result.code).toBe(1);
    expect(result.stderr.trim().split('\n')).toEqual([
      expect.stringMatching(
        /^Invalid configuration: .*PORT must be a whole number.*JWT_SECRET must be at least 32 characters/,
      ),
    ]);
  });
});

describe('the job registry', () => {
  it('refuses to start a worker when a job has no handler', async () => {
    const moduleRef = await Test.createTestingModule({
      imports: [DiscoveryModule],
      providers: [
        JobWorkerService,
        { provide: APP_CONFIG, useValue: testConfigFor() },
        { provide: QUEUE_WORKER, useValue: { jobs: ALL_JOBS, concurrency: {} } },
      ],
    }).compile();
    expect(() => moduleRef.get(JobWorkerService).collectHandlers()).toThrow(JobRegistryError);
    expect(() => moduleRef.get(JobWorkerService).collectHandlers()).toThrow(/job mail\.send has no handler/);
  });
});
