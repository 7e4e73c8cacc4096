import { Inject, Injectable, Logger } from '@nestjs/common';
import { createHmac, hkdfSync } from 'node:crypto';
import { APP_CONFIG, AppConfig, Clock, RateLimitedError, RedisService } from '@cophub/core';

const WINDOW_SECONDS = 60;

/** HINCRBY one member's counter in the window's hash; the hash expires at the window's end. */
const HIT_SCRIPT = `
local count = redis.call('HINCRBY', KEYS[1], ARGV[1], 1)
if count == 1 then redis.call('EXPIREAT', KEYS[1], ARGV[2]) end
return count`;

/**
 * Vote submissions per member per minute, counted so that Redis keeps no per-member time: one hash per
 * fixed clock minute shared by every voter (`rl:vote:<minute>`), expiring at the end of that minute,
 * with a field per member named by an HMAC of their id under a key derived from the application
 * secret. A Redis reader sees how many people submitted in a minute, never who, and no expiry finer
 * than the minute everyone shares. One vote per member is enforced by PostgreSQL, not here; if Redis
 * is unreachable the vote goes ahead.
 */
@Injectable()
export class VoteRateLimiter {
  private readonly logger = new Logger('VoteRateLimiter');
  private readonly fieldKey: Buffer;

  constructor(
    private readonly redis: RedisService,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    this.fieldKey = Buffer.from(
      hkdfSync('sha256', Buffer.from(config.auth.jwtSecret, 'utf8'), Buffer.alloc(0), 'cophub vote rate limit', 32),
    );
  }

  async consume(userId: string): Promise<void> {
    const now = Math.floor(this.clock.now().getTime() / 1000);
    const window = Math.floor(now / WINDOW_SECONDS);
    const ends = (window + 1) * WINDOW_SECONDS;
    const field = createHmac('sha256', this.fieldKey).update(userId).digest('base64url').slice(0, 22);
    let count: number;
    try {
      count = (await this.redis.client.eval(
        HIT_SCRIPT,
        1,
        this.redis.key('rl', 'vote', String(window)),
        field,
        String(ends),
      )) as number;
    } catch (error) {
      this.logger.warn(`vote rate limit not checked: ${(error as Error).message}`);
      return;
    }
    if (count > this.config.rateLimits.votesPerUserPerMinute) {
      throw new RateLimitedError(Math.max(1, ends - now), 'poll submissions');
    }
  }
}
