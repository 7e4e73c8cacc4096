import { Logger } from '@nestjs/common';
import { Client } from 'pg';
import Redis from 'ioredis';
import { AppConfig, ConfigValidationError } from '../config/app-config';
import { pingPostgres } from '../db/ping';

export class ServiceUnavailableError extends Error {}

function describe(url: string, fallbackPort: number): string {
  try {
    const parsed = new URL(url);
    return `${parsed.hostname || '127.0.0.1'}:${parsed.port || fallbackPort}`;
  } catch {
    return url;
  }
}

const START_HINT =
  'start it with `docker compose up -d postgres redis`, or on this machine ' +
  '`pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start` / ' +
  '`redis-server --daemonize yes --bind 127.0.0.1 --port 6379`';

export async function checkPostgres(url: string): Promise<void> {
  const client = new Client({ connectionString: url, connectionTimeoutMillis: 3_000 });
  try {
    await client.connect();
    await pingPostgres(client);
  } catch (error) {
    const code = (error as { code?: string }).code;
    // A missing database is fine here: the migrate/create step makes it. Only unreachable servers stop us.
    if (code === '3D000') return;
    throw new ServiceUnavailableError(
      `PostgreSQL is not reachable at ${describe(url, 5432)} (${code ?? (error as Error).message}): ${START_HINT}`,
    );
  } finally {
    await client.end().catch(() => undefined);
  }
}

export async function checkRedis(url: string): Promise<void> {
  const redis = new Redis(url, {
    lazyConnect: true,
    connectTimeout: 3_000,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
    enableOfflineQueue: false,
  });
  redis.on('error', () => undefined);
  try {
    await redis.connect();
    await redis.ping();
  } catch (error) {
    const code = (error as { code?: string }).code;
    throw new ServiceUnavailableError(
      `Redis is not reachable at ${describe(url, 6379)} (${code ?? (error as Error).message}): ${START_HINT}`,
    );
  } finally {
    redis.disconnect();
  }
}

/**
 * Checked before anything else starts, so a missing service is one clear line naming the address and
 * how to start it, never a stack trace from deep inside a driver.
 */
export async function assertServicesReachable(
  config: Pick<AppConfig, 'databaseUrl' | 'redisUrl'>,
  which: { postgres?: boolean; redis?: boolean } = {},
): Promise<void> {
  if (which.postgres !== false) await checkPostgres(config.databaseUrl);
  if (which.redis !== false) await checkRedis(config.redisUrl);
}

/** Runs a process's entry point: configuration and service problems print one line and exit 1. */
export function runMain(main: () => Promise<void>): void {
  keepRunningOnUnhandledRejections();
  main().catch((error: unknown) => {
    if (error instanceof ServiceUnavailableError || error instanceof ConfigValidationError) {
      console.error((error as Error).message);
    } else {
      console.error(error);
    }
    process.exit(1);
  });
}

/**
 * The last line of defence, not the mechanism: every Redis, BullMQ and socket.io path handles its own
 * failures (see `guardRedis`). Node ends the process on an unhandled rejection by default, which would
 * turn one forgotten `.catch` on a dependency call into an outage of every instance taking writes; a
 * rejection is not a corrupted process, so it is logged at error level (to be fixed) and the process
 * carries on.
 */
export function keepRunningOnUnhandledRejections(): void {
  const logger = new Logger('Process');
  process.on('unhandledRejection', (reason: unknown) => {
    const error = reason instanceof Error ? reason : new Error(String(reason));
    logger.error(`unhandled rejection (process kept running): ${error.message}`, error.stack);
  });
}
