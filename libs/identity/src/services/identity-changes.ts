import { Inject, Injectable, Logger, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type Redis from 'ioredis';
import { APP_CONFIG, AppConfig, closeRedis, createRedis, RedisService } from '@cophub/core';

/** Something that makes cached sessions or memberships stale, and must reach every API instance. */
export type IdentityChange =
  /** One sign-in ended (logout). */
  | { kind: 'session'; userId: string; sessionId: string }
  /** Everything about a person (password changed or reset, account closed, admin flag). */
  | { kind: 'user'; userId: string }
  /** What a person shows of themselves (name, profession, stage, region, organisation, verified address). */
  | { kind: 'profile'; userId: string }
  /** A person's membership or role in one community. */
  | { kind: 'membership'; userId: string; communityId: string }
  /** A community's own settings. */
  | { kind: 'community'; communityId: string }
  /** Anything may have changed unseen (this instance lost its link to Redis for a while). */
  | { kind: 'all' };

export type IdentityChangeListener = (change: IdentityChange) => void | Promise<void>;

/**
 * How every API instance learns that a session ended or a membership changed, so that per-instance
 * caches can be trusted: the instance making the change applies it locally at once (and waits for its
 * own listeners, e.g. the socket gateway dropping connections), then publishes it on a Redis channel
 * that every other instance subscribes to.
 *
 * While the subscription is down (Redis away), `connected` is false: caches then keep entries only
 * briefly (see `SessionService`), and when the subscription comes back every cache is emptied, since
 * changes published meanwhile were missed.
 */
@Injectable()
export class IdentityChanges implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger('IdentityChanges');
  private readonly origin = randomUUID();
  private readonly listeners: IdentityChangeListener[] = [];
  private readonly channel: string;
  private subscriber: Redis | null = null;
  private subscribed = false;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly redis: RedisService,
  ) {
    this.channel = redis.key('identity-changes');
  }

  onModuleInit(): void {
    const subscriber = createRedis(this.config.redisUrl, 'subscriber', 'identity changes');
    this.subscriber = subscriber;
    subscriber.on('message', (channel: string, message: string) => {
      if (channel === this.channel) this.receive(message);
    });
    const lost = () => {
      if (!this.subscribed) return;
      this.subscribed = false;
      // Changes may be missed from now on: forget what was cached under the assumption they would not.
      void this.notify({ kind: 'all' });
    };
    subscriber.on('close', lost);
    subscriber.on('error', lost);
    subscriber.on('ready', () => {
      subscriber
        .subscribe(this.channel)
        .then(() => {
          this.subscribed = true;
          return this.notify({ kind: 'all' });
        })
        .catch((error: Error) => this.logger.warn(`could not subscribe: ${error.message}`));
    });
  }

  /** True while changes made on other instances reach this one. */
  get connected(): boolean {
    return this.subscribed && this.subscriber?.status === 'ready';
  }

  /** Listeners run in registration order; caches register before anything that reads them. */
  subscribe(listener: IdentityChangeListener): void {
    this.listeners.push(listener);
  }

  /**
   * Call after the change is committed. Resolves once this instance has applied it; other instances
   * hear of it through Redis (a failure to publish is logged: they fall back to short cache lifetimes
   * only while their own subscription is down, so a lost publish is the one window this cannot close).
   */
  async announce(change: IdentityChange): Promise<void> {
    await this.notify(change);
    await this.redis.client
      .publish(this.channel, JSON.stringify({ origin: this.origin, change }))
      .catch((error: Error) => this.logger.warn(`could not announce ${change.kind} change: ${error.message}`));
  }

  private receive(message: string): void {
    try {
      const { origin, change } = JSON.parse(message) as { origin: string; change: IdentityChange };
      if (origin !== this.origin) void this.notify(change);
    } catch (error) {
      this.logger.warn(`ignored a malformed change message: ${(error as Error).message}`);
    }
  }

  /**
   * Every listener is called at once, in the same turn as the message arrives: a cache drop must not wait
   * behind a slower listener (re-checking sockets' rooms reads PostgreSQL), or a request in between would
   * still be answered from the dropped entry.
   */
  private async notify(change: IdentityChange): Promise<void> {
    await Promise.all(
      [...this.listeners].map(async (listener) => {
        try {
          await listener(change);
        } catch (error) {
          this.logger.warn(`a listener failed on a ${change.kind} change: ${(error as Error).message}`);
        }
      }),
    );
  }

  async onApplicationShutdown(): Promise<void> {
    this.subscribed = false;
    await closeRedis(this.subscriber);
  }
}
