import { Injectable } from '@nestjs/common';
import { Columns, deleteInBatches, Sql, SqlPort } from '@cophub/core';

/** The statements behind a person's account as a whole: their personal data, closing it, and expiring ended sign-ins. */
@Injectable()
export class AccountRepository {
  constructor(private readonly sql: SqlPort) {}

  /** The names of the communities where the person is the only approved co-chair. */
  async soleCoChairOf(userId: string): Promise<string[]> {
    const rows = await this.sql.rows<Columns<'communities', 'name'>>(
      `SELECT c.name FROM memberships m JOIN communities c ON c.id = m.community_id
        WHERE m.user_id = $1 AND m.role = 'co_chair' AND m.status = 'approved'
          AND NOT EXISTS (SELECT 1 FROM memberships o WHERE o.community_id = m.community_id AND o.user_id <> $1
                            AND o.role = 'co_chair' AND o.status = 'approved')`,
      [userId],
    );
    return rows.map((r) => r.name);
  }

  /** De-identifies the user row and deletes their memberships, sign-ins and email links, in `tx`. */
  async close(tx: Sql, userId: string, at: Date, handle: string): Promise<void> {
    await tx.exec(
      `UPDATE users SET email = 'closed-' || id || '@closed.invalid', display_name = 'Former member', organisation = '',
                          handle = $3,
                          password_hash = '!closed', email_verified_at = NULL, is_admin = false, closed_at = $2
          WHERE id = $1`,
      [userId, at, handle],
    );
    await tx.exec('DELETE FROM memberships WHERE user_id = $1', [userId]);
    await tx.exec('DELETE FROM refresh_tokens WHERE user_id = $1', [userId]);
    await tx.exec('DELETE FROM user_tokens WHERE user_id = $1', [userId]);
  }

  /** Sign-ins whose every token has been over for `days`, and email links used or expired that long; returns how many. */
  async deleteEnded(now: Date, days: number): Promise<number> {
    const signIns = await deleteInBatches(
      this.sql,
      `DELETE FROM refresh_tokens WHERE family_id IN (
             SELECT family_id FROM refresh_tokens GROUP BY family_id
             HAVING max(least(expires_at, coalesce(revoked_at, expires_at))) < $1::timestamptz - make_interval(days => $2)
             LIMIT $3)`,
      [now, days],
    );
    const links = await deleteInBatches(
      this.sql,
      `DELETE FROM user_tokens WHERE id IN (
             SELECT id FROM user_tokens WHERE coalesce(used_at, expires_at) < $1::timestamptz - make_interval(days => $2)
                AND expires_at < $1 LIMIT $3)`,
      [now, days],
    );
    return signIns + links;
  }

  profile(userId: string): Promise<Record<string, unknown>[]> {
    return this.sql.rows(
      `SELECT id, email, display_name AS "displayName", handle, profession, career_stage AS "careerStage",
                      region, organisation, email_verified_at AS "emailVerifiedAt", created_at AS "createdAt",
                      updated_at AS "updatedAt"
                 FROM users WHERE id = $1`,
      [userId],
    );
  }

  memberships(userId: string): Promise<Record<string, unknown>[]> {
    return this.sql.rows(
      `SELECT c.slug, c.name, m.status, m.role, m.created_at AS "requestedAt", m.decided_at AS "decidedAt"
                 FROM memberships m JOIN communities c ON c.id = m.community_id WHERE m.user_id = $1 ORDER BY m.created_at`,
      [userId],
    );
  }

  signIns(userId: string): Promise<Record<string, unknown>[]> {
    return this.sql.rows(
      `SELECT family_id AS "signIn", min(created_at) AS "startedAt", max(created_at) AS "lastRenewedAt",
                      (array_agg(user_agent ORDER BY created_at DESC))[1] AS "browser",
                      bool_or(revoked_at IS NULL AND used_at IS NULL AND expires_at > now()) AS "active"
                 FROM refresh_tokens WHERE user_id = $1 GROUP BY family_id ORDER BY min(created_at)`,
      [userId],
    );
  }
}
