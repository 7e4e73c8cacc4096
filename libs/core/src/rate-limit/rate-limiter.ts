import { Injectable, Logger } from '@nestjs/common';
import { CommonError, CommonErrorCode } from '../errors/domain-error';
import { RedisService } from '../redis/redis.module';

const HIT_SCRIPT = `
local count = redis.call('INCR', KEYS[1])
if count == 1 then redis.call('EXPIRE', KEYS[1], ARGV[1]) end
local ttl = redis.call('TTL', KEYS[1])
return {count, ttl}`;

export class RateLimitedError extends CommonError {
  constructor(
    readonly retryAfterSeconds: number,
    what: string,
  ) {
    super(CommonErrorCode.TooManyRequests, `Too many ${what}. Try again in ${retryAfterSeconds} seconds.`);
  }
}

/** Most counters one instance keeps in memory while Redis is away; the oldest windows go first. */
const LOCAL_MAX_KEYS = 100_000;

/**
 * Fixed windows counted in this process only: the fallback while Redis is unreachable. Each instance
 * then enforces the limit on its own, so N instances allow up to N times the limit (still bounded),
 * and nobody is refused or answered 500 because Redis is away.
 */
export class LocalWindows {
  private readonly windows = new Map<string, { count: number; resetAt: number }>();

  hit(key: string, windowSeconds: number, now = Date.now()): { count: number; ttl: number } {
    let window = this.windows.get(key);
    if (!window || window.resetAt <= now) {
      this.windows.delete(key);
      if (this.windows.size >= LOCAL_MAX_KEYS) this.prune(now);
      window = { count: 0, resetAt: now + windowSeconds * 1000 };
      this.windows.set(key, window);
    }
    window.count += 1;
    return { count: window.count, ttl: Math.ceil((window.resetAt - now) / 1000) };
  }

  delete(key: string): void {
    this.windows.delete(key);
  }

  private prune(now: number): void {
    for (const [key, window] of this.windows) if (window.resetAt <= now) this.windows.delete(key);
    // Still full of live windows: drop the oldest (Map iterates in insertion order).
    for (const key of this.windows.keys()) {
      if (this.windows.size < LOCAL_MAX_KEYS) break;
      this.windows.delete(key);
    }
  }
}

/**
 * Fixed-window counters in Redis, shared by every API instance. Used for credentials (login,
 * registration, password reset) and voting. While Redis cannot be reached, each instance counts in
 * its own memory instead (see `LocalWindows`), so limits stay in force, per instance, and requests
 * are answered normally rather than failing with the dependency.
 */
@Injectable()
export class RateLimiter {
  private readonly logger = new Logger('RateLimiter');
  private readonly local = new LocalWindows();
  private fallingBack = false;

  constructor(private readonly redis: RedisService) {}

  /** Counts one attempt and answers the count in the window and the seconds it has left. */
  async hit(bucket: string, subject: string, windowSeconds: number): Promise<{ count: number; ttl: number }> {
    const key = this.redis.key('rl', bucket, subject.toLowerCase());
    try {
      const [count, ttl] = (await this.redis.client.eval(HIT_SCRIPT, 1, key, String(windowSeconds))) as [
        number,
        number,
      ];
      this.fallingBack = false;
      return { count, ttl };
    } catch (error) {
      if (!this.fallingBack) {
        this.fallingBack = true;
        this.logger.warn(`Redis unavailable (${(error as Error).message}); counting limits per instance`);
      }
      return this.local.hit(key, windowSeconds);
    }
  }

  /** Counts one attempt; throws 429 when the window's limit is passed. */
  async consume(bucket: string, subject: string, limit: number, windowSeconds: number, what: string): Promise<void> {
    const { count, ttl } = await this.hit(bucket, subject, windowSeconds);
    if (count > limit) throw new RateLimitedError(Math.max(1, ttl), what);
  }

  async reset(bucket: string, subject: string): Promise<void> {
    const key = this.redis.key('rl', bucket, subject.toLowerCase());
    this.local.delete(key);
    await this.redis.client.del(key).catch(() => undefined);
  }
}
