import { Injectable, Logger } from '@nestjs/common';
import { Clock } from '../clock/clock';
import { RedisService } from '../redis/redis.module';
import { RateLimitedError } from './rate-limiter';

export interface BackoffPolicy {
  /** Failures allowed before any wait. */
  free: number;
  /** Longest wait, in seconds; waits double from 1 s up to this. */
  maxDelaySeconds: number;
  /** Plural noun for the 429 message. */
  what: string;
}

interface FailureState {
  failures: number;
  lastAt: number;
}

/** Failures are forgotten after this long without another one. */
const FORGET_AFTER_SECONDS = 24 * 3600;

/** How long after the last failure the next attempt must wait: nothing, then 1 s, 2 s, 4 s… up to the cap. */
export function backoffDelaySeconds(failures: number, policy: Pick<BackoffPolicy, 'free' | 'maxDelaySeconds'>): number {
  if (failures < policy.free) return 0;
  return Math.min(policy.maxDelaySeconds, 2 ** Math.min(30, failures - policy.free));
}

/**
 * Growing delays after repeated failures of one subject (e.g. one account from one client address),
 * instead of a lockout: whoever keeps failing waits longer and longer, and nobody else is affected.
 * Counted in Redis (shared by every instance); while Redis is away, in this instance's memory.
 */
@Injectable()
export class FailureBackoff {
  private readonly logger = new Logger('FailureBackoff');
  private readonly local = new Map<string, FailureState>();
  private fallingBack = false;

  constructor(
    private readonly redis: RedisService,
    private readonly clock: Clock,
  ) {}

  /** Throws 429 (with the seconds left) when the subject must still wait after its last failure. */
  async check(bucket: string, subject: string, policy: BackoffPolicy): Promise<void> {
    const state = await this.read(this.key(bucket, subject));
    if (!state) return;
    const waitMs = state.lastAt + backoffDelaySeconds(state.failures, policy) * 1000 - this.clock.now().getTime();
    if (waitMs > 0) throw new RateLimitedError(Math.ceil(waitMs / 1000), policy.what);
  }

  async fail(bucket: string, subject: string): Promise<void> {
    const key = this.key(bucket, subject);
    const now = this.clock.now().getTime();
    try {
      await this.redis.client
        .multi()
        .hincrby(key, 'failures', 1)
        .hset(key, 'lastAt', String(now))
        .expire(key, FORGET_AFTER_SECONDS)
        .exec();
    } catch (error) {
      this.fallback(error);
      const state = this.local.get(key);
      this.local.set(key, { failures: (state?.failures ?? 0) + 1, lastAt: now });
      if (this.local.size > 100_000) this.local.delete(this.local.keys().next().value as string);
    }
  }

  async clear(bucket: string, subject: string): Promise<void> {
    const key = this.key(bucket, subject);
    this.local.delete(key);
    await this.redis.client.del(key).catch((error: Error) => this.fallback(error));
  }

  private key(bucket: string, subject: string): string {
    return this.redis.key('backoff', bucket, subject.toLowerCase());
  }

  private async read(key: string): Promise<FailureState | null> {
    try {
      const stored = await this.redis.client.hgetall(key);
      this.fallingBack = false;
      const local = this.local.get(key);
      if (!stored.failures) return local ?? null;
      const state = { failures: Number(stored.failures), lastAt: Number(stored.lastAt) };
      // Failures counted locally during an outage still count once Redis is back.
      return local && local.lastAt > state.lastAt
        ? { failures: state.failures + local.failures, lastAt: local.lastAt }
        : state;
    } catch (error) {
      this.fallback(error);
      return this.local.get(key) ?? null;
    }
  }

  private fallback(error: unknown): void {
    if (this.fallingBack) return;
    this.fallingBack = true;
    this.logger.warn(`Redis unavailable (${(error as Error).message}); counting failures per instance`);
  }
}
