import { Global, Inject, Injectable, Logger, Module, OnApplicationShutdown } from '@nestjs/common';
import Redis, { RedisOptions } from 'ioredis';
import { APP_CONFIG } from '../config/config.module';
import type { AppConfig } from '../config/app-config';

/**
 * How long a command may wait for Redis before it fails. Requests must not hang on a Redis that is
 * down or stalled: what they asked of it (a queue job, a live update, a counter) is either rebuilt
 * from PostgreSQL later or has a fallback.
 */
export const REDIS_COMMAND_TIMEOUT_MS = 2_000;

/**
 * What a connection is for decides how it behaves while Redis is away:
 * - `command`: short commands from request paths (queue producers, rate limits, publishing live
 *   updates). They fail fast (one retry, a timeout) so the request carries on without Redis.
 * - `blocking`: BullMQ workers' connections; BullMQ needs them to wait for Redis to return.
 * - `subscriber`: pub/sub listeners; their subscriptions must survive until Redis returns.
 */
export type RedisRole = 'command' | 'blocking' | 'subscriber';

/** Options every Redis connection in the product uses; BullMQ workers need `maxRetriesPerRequest: null`. */
export function redisOptions(extra: RedisOptions = {}): RedisOptions {
  return { maxRetriesPerRequest: null, enableReadyCheck: true, ...extra };
}

function roleOptions(role: RedisRole): RedisOptions {
  return role === 'command'
    ? redisOptions({ maxRetriesPerRequest: 1, commandTimeout: REDIS_COMMAND_TIMEOUT_MS })
    : redisOptions();
}

/**
 * Makes a connection safe against Redis going away: an 'error' listener (without one, ioredis's
 * error event ends the process) that logs the outage once and the recovery once, and every command's
 * promise marked handled, so a command nobody awaits (libraries publish and subscribe without
 * `.catch`) cannot end the process with an unhandled rejection. Callers that await still see the error.
 */
export function guardRedis(client: Redis, name: string, logger = new Logger('Redis')): Redis {
  let down = false;
  client.on('error', (error: Error) => {
    if (down) return;
    down = true;
    logger.warn(`${name}: Redis unavailable (${error.message}); carrying on without it`);
  });
  client.on('ready', () => {
    if (!down) return;
    down = false;
    logger.log(`${name}: Redis is back`);
  });
  const send = client.sendCommand.bind(client);
  client.sendCommand = ((...args: Parameters<Redis['sendCommand']>) => {
    const result = send(...args);
    void (result as Promise<unknown> | undefined)?.catch?.(() => undefined);
    return result;
  }) as Redis['sendCommand'];
  return client;
}

/** Opens a guarded connection for the given role (see `RedisRole`). */
export function createRedis(url: string, role: RedisRole, name: string): Redis {
  return guardRedis(new Redis(url, roleOptions(role)), name);
}

/** A guarded copy of a connection (same options), e.g. the subscriber of a publisher. */
export function duplicateRedis(client: Redis, name: string): Redis {
  return guardRedis(client.duplicate(), name);
}

/** Closes a connection politely when it is up, at once when it is not (quit would wait for a reconnect). */
export async function closeRedis(client: Redis | null | undefined): Promise<void> {
  if (!client) return;
  if (client.status === 'ready') await client.quit().catch(() => client.disconnect());
  else client.disconnect();
}

/**
 * One shared command connection for small things (rate limits, health). BullMQ and the socket.io
 * adapter open their own, as they need blocking or subscriber connections.
 */
@Injectable()
export class RedisService implements OnApplicationShutdown {
  readonly client: Redis;
  /** Every key the product writes starts with this, so one deployment (or test run) never sees another's. */
  readonly prefix: string;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.prefix = config.queuePrefix;
    this.client = createRedis(config.redisUrl, 'command', 'commands');
  }

  key(...parts: string[]): string {
    return [this.prefix, ...parts].join(':');
  }

  async onApplicationShutdown(): Promise<void> {
    await closeRedis(this.client);
  }
}

@Global()
@Module({ providers: [RedisService], exports: [RedisService] })
export class RedisModule {}
