import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { Queryable } from './query-result';
import { Sql } from './sql';
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
 * Every statement on `idempotency_keys` (core's table). They run outside the request's deadline, on the application's
 * own connections rather than the deadline-bound port: they are bookkeeping about the request, and must still run
 * (to release a key) after the request timed out.
 */
@Injectable()
export class IdempotencyRepository {
  private readonly db: Sql;

  constructor(@InjectDataSource() dataSource: DataSource) {
    this.db = new Sql(dataSource);
  }

  private outsideDeadline<T>(work: () => Promise<T>): Promise<T> {
    return requestDeadlines.exit(work);
  }

  /** Stores a new key held until its lease ends; false when the user already has this key. */
  async insert(request: NewIdempotencyKey): Promise<boolean> {
    const inserted = await this.outsideDeadline(() =>
      this.db.rows(
        `INSERT INTO idempotency_keys (user_id, idempotency_key, method, path, request_hash, locked_until)
         VALUES ($1, $2, $3, $4, $5, now() + make_interval(secs => $6::double precision / 1000))
         ON CONFLICT (user_id, idempotency_key) DO NOTHING
         RETURNING 1`,
        [request.userId, request.key, request.method, request.path, request.requestHash, request.leaseMs],
      ),
    );
    return inserted.length > 0;
  }

  find(userId: string, key: string): Promise<IdempotencyRow | null> {
    return this.outsideDeadline(() =>
      this.db.maybeOne<IdempotencyRow>(
        `SELECT path, method, request_hash, state, response_status, response_body, locked_until < now() AS lease_expired
           FROM idempotency_keys WHERE user_id = $1 AND idempotency_key = $2`,
        [userId, key],
      ),
    );
  }

  /** Takes over a key still in flight whose lease ended (its first attempt died or hung); false when another did. */
  async takeOver(userId: string, key: string, leaseMs: number): Promise<boolean> {
    const taken = await this.outsideDeadline(() =>
      this.db.count(
        `UPDATE idempotency_keys
            SET locked_until = now() + make_interval(secs => $3::double precision / 1000)
          WHERE user_id = $1 AND idempotency_key = $2 AND state = 'in_flight' AND locked_until < now()
          RETURNING 1`,
        [userId, key, leaseMs],
      ),
    );
    return taken > 0;
  }

  async complete(userId: string, key: string, status: number, body: string | null): Promise<void> {
    await this.outsideDeadline(() =>
      this.db.exec(
        `UPDATE idempotency_keys SET state = 'done', response_status = $3, response_body = $4::jsonb
          WHERE user_id = $1 AND idempotency_key = $2`,
        [userId, key, status, body],
      ),
    );
  }

  async release(userId: string, key: string): Promise<void> {
    await this.outsideDeadline(() =>
      this.db.exec(`DELETE FROM idempotency_keys WHERE user_id = $1 AND idempotency_key = $2 AND state = 'in_flight'`, [
        userId,
        key,
      ]),
    );
  }

  /** Deletes keys created more than `olderThanHours` ago; returns how many. */
  deleteOlderThan(olderThanHours: number): Promise<number> {
    return this.outsideDeadline(() =>
      this.db.count(`DELETE FROM idempotency_keys WHERE created_at < now() - make_interval(hours => $1)`, [
        olderThanHours,
      ]),
    );
  }

  /** Deletes every key of a closed account, in the caller's transaction `tx`. */
  async deleteForUser(userId: string, tx: Queryable): Promise<void> {
    await Sql.over(tx).exec('DELETE FROM idempotency_keys WHERE user_id = $1', [userId]);
  }
}
