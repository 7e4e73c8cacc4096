import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { requestDeadlines } from '../db/request-deadline';

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

interface Row {
  path: string;
  method: string;
  request_hash: string | null;
  state: 'in_flight' | 'done';
  response_status: number | null;
  response_body: unknown;
  lease_expired: boolean;
}

/**
 * The `idempotency_keys` table. Its statements run outside the request's deadline scope: they are
 * bookkeeping about the request, and must still run (to release a key) after the request timed out.
 */
@Injectable()
export class IdempotencyStore {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  private query<T>(sql: string, params: unknown[]): Promise<T> {
    return requestDeadlines.exit(() => this.dataSource.query(sql, params) as Promise<T>);
  }

  async claim(request: IdempotencyRequest): Promise<IdempotencyClaim> {
    const inserted = await this.query<unknown[]>(
      `INSERT INTO idempotency_keys (user_id, idempotency_key, method, path, request_hash, locked_until)
       VALUES ($1, $2, $3, $4, $5, now() + make_interval(secs => $6::double precision / 1000))
       ON CONFLICT (user_id, idempotency_key) DO NOTHING
       RETURNING 1`,
      [request.userId, request.key, request.method, request.path, request.requestHash, request.leaseMs],
    );
    if (inserted.length) return { outcome: 'claimed' };
    const [row] = await this.query<Row[]>(
      `SELECT path, method, request_hash, state, response_status, response_body, locked_until < now() AS lease_expired
         FROM idempotency_keys WHERE user_id = $1 AND idempotency_key = $2`,
      [request.userId, request.key],
    );
    // Expired and deleted between the two statements: a fresh claim decides.
    if (!row) return this.claim(request);
    if (row.method !== request.method || row.path !== request.path || row.request_hash !== request.requestHash) {
      return { outcome: 'mismatch' };
    }
    if (row.state === 'done') return { outcome: 'replay', status: row.response_status ?? 200, body: row.response_body };
    if (!row.lease_expired) return { outcome: 'in_flight' };
    // The first attempt died or hung past its lease: one retry (the conditional update) takes it over.
    const taken = await this.query<[unknown[], number]>(
      `UPDATE idempotency_keys
          SET locked_until = now() + make_interval(secs => $3::double precision / 1000)
        WHERE user_id = $1 AND idempotency_key = $2 AND state = 'in_flight' AND locked_until < now()
        RETURNING 1`,
      [request.userId, request.key, request.leaseMs],
    );
    return taken[1] > 0 ? { outcome: 'claimed' } : { outcome: 'in_flight' };
  }

  async complete(userId: string, key: string, status: number, body: unknown): Promise<void> {
    await this.query(
      `UPDATE idempotency_keys SET state = 'done', response_status = $3, response_body = $4::jsonb
        WHERE user_id = $1 AND idempotency_key = $2`,
      [userId, key, status, body === undefined ? null : JSON.stringify(body)],
    );
  }

  /** The request failed without an answer worth replaying: the key is free for a retry to run again. */
  async release(userId: string, key: string): Promise<void> {
    await this.query(
      `DELETE FROM idempotency_keys WHERE user_id = $1 AND idempotency_key = $2 AND state = 'in_flight'`,
      [userId, key],
    );
  }

  /** Deletes answers older than the retention; returns how many. */
  async expire(olderThanHours: number): Promise<number> {
    const result = await this.query<[unknown[], number]>(
      `DELETE FROM idempotency_keys WHERE created_at < now() - make_interval(hours => $1)`,
      [olderThanHours],
    );
    return result[1];
  }
}
