import { Inject, Injectable, Logger } from '@nestjs/common';
import { APP_CONFIG, AppConfig, RedisService } from '@cophub/core';
import { approximateBytes, BoundedLru } from './lru';

/** Enough for every page of a few thousand busy threads; the byte budget is what really bounds it. */
const MAX_ENTRIES = 20_000;
const REDIS_TTL_SECONDS = 600;
/** A shared-cache lookup slower than this counts as a miss: PostgreSQL answers the page soon enough. */
const REDIS_TIMEOUT_MS = 25;

/**
 * Rendered forum data (a thread page's posts, a thread's summary) cached by key *and version*. Every
 * write that changes what a key shows bumps the thread's version in the write's own transaction, and
 * readers read the version from PostgreSQL first, so an entry can never be served after a change, on
 * any instance: entries are never invalidated, only left to age out of the LRU (or Redis' TTL).
 *
 * Values must be JSON data (dates as ISO strings): they may go through Redis.
 */
@Injectable()
export class ForumCache {
  private readonly logger = new Logger('ForumCache');
  private readonly local: BoundedLru<unknown>;
  private readonly loading = new Map<string, Promise<unknown>>();
  private readonly shared: boolean;
  private redisWarned = false;
  readonly stats = { hits: 0, sharedHits: 0, loads: 0 };

  constructor(
    @Inject(APP_CONFIG) config: AppConfig,
    private readonly redis: RedisService,
  ) {
    this.local = new BoundedLru(MAX_ENTRIES, config.forum.cacheMaxBytes);
    this.shared = config.forum.cacheRedis;
  }

  /** The value for `key`, loading it at most once per instance at a time however many readers ask. */
  async get<T>(key: string, load: () => Promise<T>): Promise<T> {
    const cached = this.local.get(key);
    if (cached !== undefined) {
      this.stats.hits += 1;
      return cached as T;
    }
    let pending = this.loading.get(key) as Promise<T> | undefined;
    if (!pending) {
      pending = this.fetch(key, load).finally(() => this.loading.delete(key));
      this.loading.set(key, pending);
    }
    return pending;
  }

  /** What this instance holds for `key`, without loading (for batch loads of many keys at once). */
  peek<T>(key: string): T | undefined {
    const value = this.local.get(key) as T | undefined;
    if (value !== undefined) this.stats.hits += 1;
    return value;
  }

  put(key: string, value: unknown): void {
    this.stats.loads += 1;
    this.local.set(key, value, approximateBytes(value));
  }

  /**
   * Keeps something derived from cached entries (a page serialised for readers with nothing of their
   * own on it) in this instance only; its key must carry the same version as what it was made from.
   */
  remember(key: string, value: Buffer): void {
    this.local.set(key, value, 64 + value.length);
  }

  private async fetch<T>(key: string, load: () => Promise<T>): Promise<T> {
    const fromRedis = await this.sharedGet(key);
    if (fromRedis !== undefined) {
      this.stats.sharedHits += 1;
      const value = JSON.parse(fromRedis) as T;
      this.local.set(key, value, 16 + fromRedis.length * 2);
      return value;
    }
    this.stats.loads += 1;
    const value = await load();
    this.local.set(key, value, approximateBytes(value));
    if (this.shared) this.sharedSet(key, JSON.stringify(value));
    return value;
  }

  private async sharedGet(key: string): Promise<string | undefined> {
    if (!this.shared || this.redis.client.status !== 'ready') return undefined;
    let timer: NodeJS.Timeout | undefined;
    try {
      const value = await Promise.race([
        this.redis.client.get(this.redis.key('forum-cache', key)),
        new Promise<null>((resolve) => (timer = setTimeout(() => resolve(null), REDIS_TIMEOUT_MS))),
      ]);
      return value ?? undefined;
    } catch (error) {
      this.warn(error as Error);
      return undefined;
    } finally {
      clearTimeout(timer);
    }
  }

  private sharedSet(key: string, json: string): void {
    if (this.redis.client.status !== 'ready') return;
    this.redis.client
      .set(this.redis.key('forum-cache', key), json, 'EX', REDIS_TTL_SECONDS)
      .catch((error: Error) => this.warn(error));
  }

  /** Redis trouble only costs speed here; say so once rather than on every request. */
  private warn(error: Error): void {
    if (this.redisWarned) return;
    this.redisWarned = true;
    this.logger.warn(`shared forum cache unavailable, reading PostgreSQL: ${error.message}`);
  }

  /** Entries and estimated bytes held by this instance (for tests and diagnostics). */
  usage(): { entries: number; bytes: number } {
    return { entries: this.local.size, bytes: this.local.totalBytes };
  }
}
