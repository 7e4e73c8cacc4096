import { Inject, Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { Emitter } from '@socket.io/redis-emitter';
import type Redis from 'ioredis';
import { APP_CONFIG, AppConfig, closeRedis, createRedis } from '@cophub/core';
import { RoomKind, roomName } from './rooms';

/** The Redis channel prefix shared by the socket.io adapter (API) and this emitter (any process). */
export function socketIoKey(config: AppConfig): string {
  return `${config.queuePrefix}:socket.io`;
}

/**
 * Sends socket.io events from any process (API or worker) through Redis, so every API instance
 * delivers them to its own sockets. Call only after the database commit. Payloads are small:
 * ids and versions; clients refetch over REST when they need more.
 *
 * Live updates are best-effort: while Redis is away they are dropped (the emitter publishes without
 * awaiting, so its connection is guarded: a failed PUBLISH is logged once, never an unhandled
 * rejection), and clients catch up over REST (`?after=`) when they reconnect.
 *
 * Events published in one turn of the event loop (a reply's two, for its thread and its category,
 * and those of requests finishing together) go to Redis as one pipeline: one write instead of one
 * per event. They leave in the order they were published.
 */
@Injectable()
export class RealtimePublisher implements OnApplicationShutdown {
  private readonly logger = new Logger('RealtimePublisher');
  private redis: Redis | null = null;
  private emitter: Emitter | null = null;
  private pending: Array<[channel: string, message: string | Buffer]> = [];

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  private get io(): Emitter {
    if (!this.emitter) {
      this.redis = createRedis(this.config.redisUrl, 'command', 'live-update publisher');
      // The emitter only ever calls `publish(channel, message)` on its client.
      const batching = { publish: (channel: string, message: string | Buffer) => this.queue(channel, message) };
      this.emitter = new Emitter(batching as unknown as Redis, { key: socketIoKey(this.config) });
    }
    return this.emitter;
  }

  private queue(channel: string, message: string | Buffer): void {
    this.pending.push([channel, message]);
    if (this.pending.length === 1) setImmediate(() => this.flush());
  }

  private flush(): void {
    const batch = this.pending;
    this.pending = [];
    if (!batch.length || !this.redis) return;
    const pipeline = this.redis.pipeline();
    for (const [channel, message] of batch) pipeline.publish(channel, message);
    // The connection's guard logs an outage once; the events are dropped, as documented above.
    pipeline.exec().catch(() => undefined);
  }

  publish(kind: RoomKind, id: string, event: string, payload: object): void {
    try {
      this.io.to(roomName(kind, id)).emit(event, payload);
    } catch (error) {
      this.logger.warn(`could not publish ${event}: ${(error as Error).message}`);
    }
  }

  async onApplicationShutdown(): Promise<void> {
    this.flush();
    await closeRedis(this.redis);
  }
}
