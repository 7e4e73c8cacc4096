import { Injectable } from '@nestjs/common';
import { CamelRow, deleteInBatches, Queryable, Sql, SqlPort } from '@cophub/core';

/** An audit row as the module reads it. */
export type AuditRow = Omit<CamelRow<'audit_log'>, 'data'> & {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  data: Record<string, any>;
};

const AUDIT_COLUMNS = `a.id, a.community_id AS "communityId", a.actor_id AS "actorId", a.action, a.target_type AS "targetType",
  a.target_id AS "targetId", a.data, a.created_at AS "createdAt"`;

/** Every statement on `audit_log`: rows are appended in the caller's transaction, read by community, and expired. */
@Injectable()
export class AuditRepository {
  constructor(private readonly sql: SqlPort) {}

  /** Appends a row through `db`: the caller's transaction (a `Sql`, or the manager it was given). */
  async insert(
    db: Queryable,
    row: Pick<AuditRow, 'communityId' | 'actorId' | 'action' | 'targetType' | 'targetId' | 'data'>,
  ): Promise<void> {
    await Sql.over(db).exec(
      `INSERT INTO audit_log (community_id, actor_id, action, target_type, target_id, data)
       VALUES ($1, $2, $3, $4, $5, $6::jsonb)`,
      [row.communityId, row.actorId, row.action, row.targetType, row.targetId, JSON.stringify(row.data)],
    );
  }

  /** Newest first; `limit + 1` rows so the caller knows whether a next page exists. */
  listForCommunity(communityId: string, limit: number, beforeId?: string): Promise<AuditRow[]> {
    return this.sql.rows<AuditRow>(
      `SELECT ${AUDIT_COLUMNS} FROM audit_log a
        WHERE a.community_id = $1 AND ($3::bigint IS NULL OR a.id < $3::bigint)
        ORDER BY a.id DESC LIMIT $2`,
      [communityId, limit + 1, beforeId ?? null],
    );
  }

  /**
   * A page of the rows that name a person (as actor, or as the user acted on), oldest first, after the row id
   * `after`: for their personal data export.
   */
  naming(userId: string, after: string | null, size: number): Promise<Array<{ id: string }>> {
    return this.sql.rows<{ id: string }>(
      `SELECT id::text, action, target_type AS "targetType", target_id AS "targetId",
                      CASE WHEN actor_id = $1 THEN 'you' ELSE 'someone else' END AS "doneBy", created_at AS "at"
                 FROM audit_log
                WHERE (actor_id = $1 OR (target_type = 'user' AND target_id = $1::text)
                      )
                  AND ($2::bigint IS NULL OR id > $2::bigint)
                ORDER BY id LIMIT $3`,
      [userId, after, size],
    );
  }

  /** Deletes, in batches, the rows older than `days` at `now`; returns how many. */
  deleteOlderThan(now: Date, days: number): Promise<number> {
    return deleteInBatches(
      this.sql,
      `DELETE FROM audit_log WHERE id IN (
             SELECT id FROM audit_log WHERE created_at < $1::timestamptz - make_interval(days => $2) ORDER BY id LIMIT $3)`,
      [now, days],
    );
  }
}
