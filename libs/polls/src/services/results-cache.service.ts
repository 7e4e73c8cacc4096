import { Injectable, Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { RedisService } from '@cophub/core';

/** How long a publication stays in Redis after it was computed; a newer version replaces it in use at once. */
const TTL_SECONDS = 6 * 60 * 60;
/** Entries kept per process (the fallback when Redis is away, and a first level in front of it). */
const LOCAL_ENTRIES = 200;
/** How long the one computing instance may hold the computation, and how long the others wait for it. */
const LOCK_MS = 15_000;
const WAIT_MS = 10_000;
const POLL_MS = 20;

/** Releases the computation lock only when it is still ours (it may have expired and been taken). */
const RELEASE_SCRIPT = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0`;

/**
 * The audited publication of a poll, computed once and shared by every API process.
 *
 * Keys name the poll, its version (bumped by every transition) and its results version (bumped in the
 * transaction that changes its stored ballots), so an entry is only ever read for the ballots it was
 * computed from: the caller reads the versions from PostgreSQL on every request, and a named ballot
 * stored by any instance is visible on the next read from any other (a closed anonymous poll has one
 * publication, keyed by the poll version the close bumps).
 *
 * Computed once under concurrency: within a process, callers share one promise; across processes,
 * the first takes a short Redis lock and the others wait for its entry (falling back to computing
 * themselves if it does not come). When Redis is unreachable each process keeps its own entries and
 * computes once per key itself; a value read from Redis must parse, or it is computed afresh.
 *
 * Redis holds only what the publication shows to whoever may read the results (never breakdowns of
 * an open anonymous poll, which are not computed); an entry's TTL starts when someone first read a
 * version, not when anyone voted.
 */
@Injectable()
export class ResultsCache {
  private readonly logger = new Logger('ResultsCache');
  private readonly local = new Map<string, unknown>();
  private readonly inFlight = new Map<string, Promise<unknown>>();

  constructor(private readonly redis: RedisService) {}

  async get<T>(key: string, compute: () => Promise<T>): Promise<T> {
    if (this.local.has(key)) {
      const value = this.local.get(key) as T;
      // Most recently used last, so the oldest entry is the first to go.
      this.local.delete(key);
      this.local.set(key, value);
      return value;
    }
    let flight = this.inFlight.get(key) as Promise<T> | undefined;
    if (!flight) {
      flight = this.load(key, compute).then((value) => {
        this.remember(key, value);
        return value;
      });
      const settled = () => this.inFlight.delete(key);
      flight.then(settled, settled);
      this.inFlight.set(key, flight);
    }
    return flight;
  }

  /** Entries held by this process (tests and diagnostics). */
  get size(): number {
    return this.local.size;
  }

  private remember(key: string, value: unknown): void {
    this.local.set(key, value);
    if (this.local.size > LOCAL_ENTRIES) this.local.delete(this.local.keys().next().value!);
  }

  private get available(): boolean {
    return this.redis.client.status === 'ready';
  }

  private async load<T>(key: string, compute: () => Promise<T>): Promise<T> {
    const valueKey = this.redis.key('poll-results', key);
    const lockKey = this.redis.key('poll-results-lock', key);
    const cached = await this.read<T>(valueKey);
    if (cached !== undefined) return cached;
    const token = randomUUID();
    const mine = await this.command(() => this.redis.client.set(lockKey, token, 'PX', LOCK_MS, 'NX'));
    if (mine === null) {
      // Another process is computing it: wait for its entry.
      const deadline = Date.now() + WAIT_MS;
      while (Date.now() < deadline && this.available) {
        await new Promise((resolve) => setTimeout(resolve, POLL_MS));
        const value = await this.read<T>(valueKey);
        if (value !== undefined) return value;
        if ((await this.command(() => this.redis.client.exists(lockKey))) === 0) {
          // The lock is gone: its owner stored the entry and released it just after our read, or gave up.
          const stored = await this.read<T>(valueKey);
          if (stored !== undefined) return stored;
          break;
        }
      }
    }
    const value = await compute();
    if (mine === 'OK' || mine === null) {
      await this.command(() => this.redis.client.set(valueKey, JSON.stringify(value), 'EX', TTL_SECONDS));
      if (mine === 'OK') await this.command(() => this.redis.client.eval(RELEASE_SCRIPT, 1, lockKey, token));
    }
    return value;
  }

  private async read<T>(valueKey: string): Promise<T | undefined> {
    const raw = await this.command(() => this.redis.client.get(valueKey));
    if (typeof raw !== 'string') return undefined;
    try {
      return JSON.parse(raw) as T;
    } catch {
      return undefined;
    }
  }

  /** A Redis command, or `undefined` when Redis is away or fails: the caller carries on without it. */
  private async command<R>(run: () => Promise<R>): Promise<R | undefined> {
    if (!this.available) return undefined;
    try {
      return await run();
    } catch (error) {
      this.logger.warn(`results cache without Redis: ${(error as Error).message}`);
      return undefined;
    }
  }
}
