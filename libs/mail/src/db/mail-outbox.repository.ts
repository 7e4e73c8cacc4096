import { Injectable } from '@nestjs/common';
import { CamelRow, Columns, Sql, SqlPort } from '@cophub/core';
import { MailStatus } from '../domain/mail-status';

/** An outbox message as admins see it (without its params, HTML body, dedupe key and lock). */
export type OutboxRow = Omit<CamelRow<'mail_outbox'>, 'params' | 'dedupeKey' | 'lockedUntil' | 'status'> & {
  status: MailStatus;
};

/** A message a worker has claimed to send. */
export type ClaimedMail = Columns<'mail_outbox', 'id' | 'recipient' | 'template' | 'attempts'> & {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  params: Record<string, any>;
  /** The recipient's address hard-bounced and is not confirmed again. */
  suppressed: boolean;
};

export interface NewOutboxRow {
  recipient: string;
  template: string;
  params: Record<string, unknown>;
  dedupeKey: string | null;
}

/** A message a bounce report names: its recipient, and whether it went out recently enough to count. */
export interface SentMessageRow {
  id: string;
  recipient: string;
  recent: boolean;
}

/** A row the reconciler re-enqueues, with how long until it is due. */
export type UnsentRow = Columns<'mail_outbox', 'id' | 'attempts'> & {
  /** Milliseconds until it is due (a bigint, as node-postgres answers it). */
  delay_ms: string;
};

const OUTBOX_COLUMNS = `m.id, m.recipient, m.template, m.status, m.attempts, m.next_attempt_at AS "nextAttemptAt",
  m.last_error AS "lastError", m.subject, m.body_text AS "bodyText", m.body_html AS "bodyHtml", m.transport,
  m.sent_at AS "sentAt", m.created_at AS "createdAt"`;

/** A person's address, from their account (outbox rows are found by it). */
const ADDRESS_OF = `(SELECT lower(email) FROM users WHERE id = $1)`;

/** Every statement on `mail_outbox`. */
@Injectable()
export class MailOutboxRepository {
  constructor(private readonly sql: SqlPort) {}

  /** Inserts messages in the caller's transaction; a message whose dedupe key exists is not created. Answers new ids. */
  async insertMany(tx: Sql, rows: NewOutboxRow[]): Promise<string[]> {
    const ids: string[] = [];
    for (let i = 0; i < rows.length; i += 1000) {
      const batch = rows.slice(i, i + 1000);
      const inserted = await tx.rows<Columns<'mail_outbox', 'id'>>(
        `INSERT INTO mail_outbox (recipient, template, params, dedupe_key)
         SELECT * FROM unnest($1::text[], $2::text[], $3::jsonb[], $4::text[])
         ON CONFLICT DO NOTHING
         RETURNING id`,
        [
          batch.map((row) => row.recipient),
          batch.map((row) => row.template),
          batch.map((row) => JSON.stringify(row.params)),
          batch.map((row) => row.dedupeKey),
        ],
      );
      ids.push(...inserted.map((row) => row.id));
    }
    return ids;
  }

  /** Which of the dedupe keys a message already holds. */
  async existingDedupeKeys(keys: string[]): Promise<Set<string>> {
    if (!keys.length) return new Set();
    const rows = await this.sql.rows<{ key: string }>(
      'SELECT dedupe_key AS key FROM mail_outbox WHERE dedupe_key = ANY($1::text[])',
      [keys],
    );
    return new Set(rows.map((r) => r.key));
  }

  /**
   * The messages of the outbox a bounce names, with whether each was sent within `days`. Sending is marked after
   * the relay took the message, so a quick report can arrive first: the row's creation stands in for the send until
   * then (only a message that went out has its address known to anyone).
   */
  sentMessages(tx: Sql, outboxIds: string[], days: number): Promise<SentMessageRow[]> {
    return tx.rows<SentMessageRow>(
      `SELECT id, lower(recipient) AS recipient,
                      coalesce(sent_at, created_at) >= now() - make_interval(days => $2) AS recent
                 FROM mail_outbox WHERE id = ANY($1::uuid[])`,
      [outboxIds, days],
    );
  }

  /** Newest first; `limit` rows at most, strictly before `before` when given. */
  list(
    filter: { status?: MailStatus; recipient?: string; before?: { createdAt: Date | string; id: string } },
    limit: number,
  ): Promise<OutboxRow[]> {
    const params: unknown[] = [limit];
    const where: string[] = [];
    if (filter.status) {
      params.push(filter.status);
      where.push(`m.status = $${params.length}`);
    }
    if (filter.recipient) {
      params.push(filter.recipient);
      where.push(`m.recipient = $${params.length}`);
    }
    if (filter.before) {
      params.push(filter.before.createdAt, filter.before.id);
      where.push(`(m.created_at, m.id) < ($${params.length - 1}, $${params.length})`);
    }
    return this.sql.rows<OutboxRow>(
      `SELECT ${OUTBOX_COLUMNS} FROM mail_outbox m
        ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
        ORDER BY m.created_at DESC, m.id DESC
        LIMIT $1`,
      params,
    );
  }

  find(id: string): Promise<OutboxRow | null> {
    return this.sql.maybeOne<OutboxRow>(`SELECT ${OUTBOX_COLUMNS} FROM mail_outbox m WHERE m.id = $1`, [id]);
  }

  /** Gives a dead message another full set of attempts; false when the message is not dead. */
  async retryDead(id: string): Promise<boolean> {
    const retried = await this.sql.rows(
      `UPDATE mail_outbox SET status = 'pending', attempts = 0, next_attempt_at = now(), last_error = NULL
        WHERE id = $1 AND status = 'dead' RETURNING id`,
      [id],
    );
    return retried.length > 0;
  }

  /** Claims a due message for one send (or one whose sender died mid-send); null when there is nothing to send. */
  claim(outboxId: string, lockSeconds: number): Promise<ClaimedMail | null> {
    return this.sql.maybeOne<ClaimedMail>(
      `UPDATE mail_outbox o
          SET status = 'sending', attempts = attempts + 1,
              locked_until = now() + make_interval(secs => $2)
        WHERE id = $1
          AND ((status = 'pending' AND next_attempt_at <= now())
               OR (status = 'sending' AND locked_until < now()))
      RETURNING id, recipient, template, params, attempts,
                EXISTS (SELECT 1 FROM mail_suppressions s WHERE s.address = lower(o.recipient)) AS suppressed`,
      [outboxId, lockSeconds],
    );
  }

  async markSuppressed(id: string): Promise<void> {
    await this.sql.exec(
      `UPDATE mail_outbox SET status = 'suppressed', locked_until = NULL,
                last_error = 'Not sent: this address hard-bounced and its owner has not confirmed it again'
          WHERE id = $1 AND status = 'sending'`,
      [id],
    );
  }

  async markSent(id: string, sent: { subject: string; text: string; html: string; transport: string }): Promise<void> {
    await this.sql.exec(
      `UPDATE mail_outbox
          SET status = 'sent', sent_at = now(), locked_until = NULL, last_error = NULL,
              subject = $2, body_text = $3, body_html = $4, transport = $5
        WHERE id = $1 AND status = 'sending'`,
      [id, sent.subject, sent.text, sent.html, sent.transport],
    );
  }

  /** Records a failed attempt: `pending` again after `delaySeconds`, or `dead`. */
  async markFailed(id: string, outcome: { dead: boolean; error: string; delaySeconds: number }): Promise<void> {
    await this.sql.exec(
      `UPDATE mail_outbox
          SET status = $2, locked_until = NULL, last_error = $3,
              next_attempt_at = now() + make_interval(secs => $4)
        WHERE id = $1 AND status = 'sending'`,
      [id, outcome.dead ? 'dead' : 'pending', outcome.error, outcome.dead ? 0 : outcome.delaySeconds],
    );
  }

  /** How many messages are not sent yet (waiting or retrying; claimed by a worker), and the oldest one's age. */
  async backlog(): Promise<{ pending: number; sending: number; oldestSeconds: number }> {
    const rows = await this.sql.rows<{ status: string; n: number; age: number | null }>(
      `SELECT status, count(*)::int AS n, EXTRACT(EPOCH FROM now() - min(created_at))::float8 AS age
         FROM mail_outbox WHERE status IN ('pending', 'sending') GROUP BY status`,
    );
    const of = (status: string) => rows.find((row) => row.status === status);
    return {
      pending: of('pending')?.n ?? 0,
      sending: of('sending')?.n ?? 0,
      oldestSeconds: Math.max(0, ...rows.map((row) => row.age ?? 0)),
    };
  }

  /** Unsent messages after `after` in id order, with the delay until each is due. */
  unsent(after: string, limit: number): Promise<UnsentRow[]> {
    return this.sql.rows<UnsentRow>(
      `SELECT id, attempts,
                  GREATEST(0, EXTRACT(EPOCH FROM (COALESCE(
                    CASE WHEN status = 'sending' THEN locked_until ELSE next_attempt_at END, now()) - now())) * 1000
                  )::bigint AS delay_ms
             FROM mail_outbox
            WHERE id > $1 AND (status = 'pending' OR (status = 'sending' AND locked_until < now()))
            ORDER BY id
            LIMIT $2`,
      [after, limit],
    );
  }

  /**
   * Deletes finished messages (sent, dead, suppressed) older than `days` before `now`, in batches; pending ones
   * are never deleted here, so retention cannot lose mail still owed. Answers how many went.
   */
  async deleteFinished(now: Date, days: number, batch = 1000): Promise<number> {
    let total = 0;
    for (;;) {
      const count = await this.sql.count(
        `DELETE FROM mail_outbox WHERE id IN (
             SELECT id FROM mail_outbox WHERE status IN ('sent', 'dead', 'suppressed')
                AND created_at < $1::timestamptz - make_interval(days => $2) LIMIT $3)`,
        [now, days, batch],
      );
      total += count;
      if (count < batch) return total;
    }
  }

  /** A page of the messages sent to a person's address, for their personal data export. */
  sentTo(userId: string, after: string | null, size: number): Promise<Array<{ id: string }>> {
    return this.sql.rows<{ id: string }>(
      `SELECT id, subject, body_text AS text, status, created_at AS "createdAt", sent_at AS "sentAt"
                     FROM mail_outbox WHERE lower(recipient) = ${ADDRESS_OF} AND ($2::uuid IS NULL OR id > $2::uuid)
                    ORDER BY id LIMIT $3`,
      [userId, after, size],
    );
  }

  async deleteSentTo(userId: string): Promise<void> {
    await this.sql.exec(`DELETE FROM mail_outbox WHERE lower(recipient) = ${ADDRESS_OF}`, [userId]);
  }
}
