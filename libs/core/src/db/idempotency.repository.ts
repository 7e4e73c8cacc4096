import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { Queryable } from './query-result';
import { requestDeadlines } from './request-deadline';

/** A stored key as a retry finds it. */
export interface IdempotencyRow {
  path: string;
  method: string;
  request_hash: string | null;
  state: 'in_flight' | 'done';
  response_status: number | null;
  response_body: unknown;
  lease_expired: boolean;
}

export interface NewIdempotencyKey {
  userId: string;
  key: string;
  method: string;
  path: string;
  requestHash: string | null;
  leaseMs: number;
}

/**
 * Every statement on `idempotency_keys` (core's table). They run outside the request's deadline scope: they are
 * bookkeeping about the request, and must still run (to release a key) after the request timed out.
 */
@Injectable()
export class IdempotencyRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  private query<T>(sql: string, params: unknown[]): Promise<T> {
    return requestDeadlines.exit(() => this.dataSource.query(sql, params) as Promise<T>);
  }

  /** Stores a new key held until its lease ends; false when the user already has this key. */
  async insert(request: NewIdempotencyKey): Promise<boolean> {
    const inserted = await this.query<unknown[]>(
      `INSERT INTO idempotency_keys (user_id, idempotency_key, method, path, request_hash, locked_until)
       VALUES ($1, $2, $3, $4, $5, now() + make_interval(secs => $6::double precision / 1000))
       ON CONFLICT (user_id, idempotency_key) DO NOTHING
       RETURNING 1`,
      [request.userId, request.key, request.method, request.path, request.requestHash, request.leaseMs],
    );
    return inserted.length > 0;
  }

  async find(userId: string, key: string): Promise<IdempotencyRow | null> {
    const [row] = await this.query<IdempotencyRow[]>(
      `SELECT path, method, request_hash, state, response_status, response_body, locked_until < now() AS lease_expired
         FROM idempotency_keys WHERE user_id = $1 AND idempotency_key = $2`,
      [userId, key],
    );
    return row ?? null;
  }

  /** Takes over a key still in flight whose lease ended (its first attempt died or hung); false when another did. */
  async takeOver(userId: string, key: string, leaseMs: number): Promise<boolean> {
    const taken = await this.query<[unknown[], number]>(
      `UPDATE idempotency_keys
          SET locked_until = now() + make_interval(secs => $3::double precision / 1000)
        WHERE user_id = $1 AND idempotency_key = $2 AND state = 'in_flight' AND locked_until < now()
        RETURNING 1`,
      [userId, key, leaseMs],
    );
    return taken[1] > 0;
  }

  async complete(userId: string, key: string, status: number, body: string | null): Promise<void> {
    await this.query(
      `UPDATE idempotency_keys SET state = 'done', response_status = $3, response_body = $4::jsonb
        WHERE user_id = $1 AND idempotency_key = $2`,
      [userId, key, status, body],
    );
  }

  async release(userId: string, key: string): Promise<void> {
    await this.query(
      `DELETE FROM idempotency_keys WHERE user_id = $1 AND idempotency_key = $2 AND state = 'in_flight'`,
      [userId, key],
    );
  }

  /** Deletes keys created more than `olderThanHours` ago; returns how many. */
  async deleteOlderThan(olderThanHours: number): Promise<number> {
    const result = await this.query<[unknown[], number]>(
      `DELETE FROM idempotency_keys WHERE created_at < now() - make_interval(hours => $1)`,
      [olderThanHours],
    );
    return result[1];
  }

  /** Deletes every key of a closed account, in the caller's transaction `tx`. */
  async deleteForUser(userId: string, tx: Queryable): Promise<void> {
    await tx.query('DELETE FROM idempotency_keys WHERE user_id = $1', [userId]);
  }
}
