import { Injectable } from '@nestjs/common';
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

/**
 * Fixed-window counters in Redis, shared by every API instance. Used for credentials (login,
 * registration, password reset) and voting.
 */
@Injectable()
export class RateLimiter {
  constructor(private readonly redis: RedisService) {}

  /** Counts one attempt; throws 429 when the window's limit is passed. */
  async consume(bucket: string, subject: string, limit: number, windowSeconds: number, what: string): Promise<void> {
    const key = this.redis.key('rl', bucket, subject.toLowerCase());
    const [count, ttl] = (await this.redis.client.eval(HIT_SCRIPT, 1, key, String(windowSeconds))) as [number, number];
    if (count > limit) throw new RateLimitedError(Math.max(1, ttl), what);
  }

  async reset(bucket: string, subject: string): Promise<void> {
    await this.redis.client.del(this.redis.key('rl', bucket, subject.toLowerCase()));
  }
}
