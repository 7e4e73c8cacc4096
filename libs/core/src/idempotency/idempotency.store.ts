import { Injectable } from '@nestjs/common';
import type { Queryable } from '../db/query-result';
import { IdempotencyRepository } from '../db/idempotency.repository';

export interface IdempotencyRequest {
  userId: string;
  key: string;
  method: string;
  path: string;
  /** sha256 of the canonical JSON body; null when the body is a stream (uploads) and is not hashed. */
  requestHash: string | null;
  /** How long the first attempt holds the key before a retry may take it over (it crashed or hung). */
  leaseMs: number;
}

export type IdempotencyClaim =
  | { outcome: 'claimed' }
  | { outcome: 'replay'; status: number; body: unknown }
  | { outcome: 'in_flight' }
  | { outcome: 'mismatch' };

/** The rules of an `Idempotency-Key`: who may run, who replays the stored answer, who waits. */
@Injectable()
export class IdempotencyStore {
  constructor(private readonly keys: IdempotencyRepository) {}

  async claim(request: IdempotencyRequest): Promise<IdempotencyClaim> {
    if (await this.keys.insert(request)) return { outcome: 'claimed' };
    const row = await this.keys.find(request.userId, request.key);
    // Expired and deleted between the two statements: a fresh claim decides.
    if (!row) return this.claim(request);
    if (row.method !== request.method || row.path !== request.path || row.request_hash !== request.requestHash) {
      return { outcome: 'mismatch' };
    }
    if (row.state === 'done') return { outcome: 'replay', status: row.response_status ?? 200, body: row.response_body };
    if (!row.lease_expired) return { outcome: 'in_flight' };
    // The first attempt died or hung past its lease: one retry (the conditional update) takes it over.
    return (await this.keys.takeOver(request.userId, request.key, request.leaseMs))
      ? { outcome: 'claimed' }
      : { outcome: 'in_flight' };
  }

  async complete(userId: string, key: string, status: number, body: unknown): Promise<void> {
    await this.keys.complete(userId, key, status, body === undefined ? null : JSON.stringify(body));
  }

  /** The request failed without an answer worth replaying: the key is free for a retry to run again. */
  async release(userId: string, key: string): Promise<void> {
    await this.keys.release(userId, key);
  }

  /** Deletes answers older than the retention; returns how many. */
  expire(olderThanHours: number): Promise<number> {
    return this.keys.deleteOlderThan(olderThanHours);
  }

  /**
   * Forgets every key of an account being closed (its stored answers may hold its personal data), in the closing
   * transaction `tx`.
   */
  forgetUser(userId: string, tx: Queryable): Promise<void> {
    return this.keys.deleteForUser(userId, tx);
  }
}
