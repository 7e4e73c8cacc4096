import { Injectable } from '@nestjs/common';
import { CamelRow, Sql, SqlPort } from '@cophub/core';

/** An address that hard-bounced, as admins and its owner see it. */
export type BouncingAddress = CamelRow<'mail_suppressions'>;

const SUPPRESSION_COLUMNS = `address, reason, status, diagnostic, bounce_count AS "bounceCount",
  first_bounced_at AS "firstBouncedAt", last_bounced_at AS "lastBouncedAt"`;

/** A person's address, from their account. */
const ADDRESS_OF = `(SELECT lower(email) FROM users WHERE id = $1)`;

/** Every statement on `mail_suppressions`. */
@Injectable()
export class MailSuppressionsRepository {
  constructor(private readonly sql: SqlPort) {}

  /** Counts one more permanent failure for the address (the first one adds it). */
  async recordHardBounce(
    address: string,
    detail: { status: string; diagnostic: string },
    db: Sql = this.sql,
  ): Promise<void> {
    await db.exec(
      `INSERT INTO mail_suppressions (address, reason, status, diagnostic) VALUES (lower($1), 'hard_bounce', $2, $3)
       ON CONFLICT (address) DO UPDATE
         SET bounce_count = mail_suppressions.bounce_count + 1, last_bounced_at = now(),
             status = EXCLUDED.status, diagnostic = EXCLUDED.diagnostic`,
      [address, detail.status, detail.diagnostic],
    );
  }

  find(address: string): Promise<BouncingAddress | null> {
    return this.sql.maybeOne<BouncingAddress>(
      `SELECT ${SUPPRESSION_COLUMNS} FROM mail_suppressions WHERE address = lower($1)`,
      [address],
    );
  }

  /** Most recent bounce first; `limit` rows at most, strictly after `after` in that order when given. */
  list(limit: number, after?: { lastBouncedAt: Date | string; address: string }): Promise<BouncingAddress[]> {
    const params: unknown[] = [limit];
    let where = '';
    if (after) {
      params.push(after.lastBouncedAt, after.address);
      where = 'WHERE (last_bounced_at, address) < ($2, $3)';
    }
    return this.sql.rows<BouncingAddress>(
      `SELECT ${SUPPRESSION_COLUMNS} FROM mail_suppressions ${where} ORDER BY last_bounced_at DESC, address DESC LIMIT $1`,
      params,
    );
  }

  async remove(address: string): Promise<void> {
    await this.sql.exec('DELETE FROM mail_suppressions WHERE address = lower($1)', [address]);
  }

  /** Whether mail to a person's address is paused, for their personal data export. */
  pausedFor(userId: string): Promise<Record<string, unknown>[]> {
    return this.sql.rows(
      `SELECT reason, status, diagnostic, bounce_count AS "bounces", first_bounced_at AS "firstBouncedAt",
                      last_bounced_at AS "lastBouncedAt"
                 FROM mail_suppressions WHERE lower(address) = ${ADDRESS_OF}`,
      [userId],
    );
  }

  async removeFor(userId: string): Promise<void> {
    await this.sql.exec(`DELETE FROM mail_suppressions WHERE lower(address) = ${ADDRESS_OF}`, [userId]);
  }
}
