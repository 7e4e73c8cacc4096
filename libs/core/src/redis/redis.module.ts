import { Global, Inject, Injectable, Module, OnApplicationShutdown } from '@nestjs/common';
import Redis, { RedisOptions } from 'ioredis';
import { APP_CONFIG } from '../config/config.module';
import type { AppConfig } from '../config/app-config';

/** Options every Redis connection in the product uses; BullMQ workers need `maxRetriesPerRequest: null`. */
export function redisOptions(extra: RedisOptions = {}): RedisOptions {
  return { maxRetriesPerRequest: null, enableReadyCheck: true, ...extra };
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
    this.client = new Redis(config.redisUrl, redisOptions({ maxRetriesPerRequest: 2 }));
    this.client.on('error', () => undefined);
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
