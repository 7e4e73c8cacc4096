import { INestApplicationContext } from '@nestjs/common';
import { IoAdapter } from '@nestjs/platform-socket.io';
import { createAdapter } from '@socket.io/redis-adapter';
import type Redis from 'ioredis';
import type { Server, ServerOptions } from 'socket.io';
import { AppConfig, closeRedis, createRedis } from '@cophub/core';
import { socketIoKey } from '@cophub/realtime';

/**
 * socket.io over the Redis adapter, so an event published anywhere reaches sockets on every API instance.
 * The adapter publishes and subscribes without awaiting, so both connections are guarded (see
 * `guardRedis`): while Redis is away, broadcasts from this instance reach only its own sockets, and
 * the subscriber re-subscribes when Redis returns.
 */
export class RedisIoAdapter extends IoAdapter {
  private pub: Redis | null = null;
  private sub: Redis | null = null;

  constructor(
    app: INestApplicationContext,
    private readonly config: AppConfig,
  ) {
    super(app);
  }

  override createIOServer(port: number, options?: ServerOptions): Server {
    const server: Server = super.createIOServer(port, {
      ...options,
      serveClient: false,
      transports: ['websocket', 'polling'],
    });
    this.pub = createRedis(this.config.redisUrl, 'command', 'socket.io publisher');
    this.sub = createRedis(this.config.redisUrl, 'subscriber', 'socket.io subscriber');
    server.adapter(createAdapter(this.pub, this.sub, { key: socketIoKey(this.config) }));
    return server;
  }

  override async close(server: Server): Promise<void> {
    await super.close(server);
    await Promise.all([closeRedis(this.pub), closeRedis(this.sub)]);
  }
}
