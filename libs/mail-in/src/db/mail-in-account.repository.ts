import { Injectable } from '@nestjs/common';
import { SqlPort } from '@cophub/core';

/** The statements behind a member's personal data in inbound mail: what they sent, and closing their account. */
@Injectable()
export class MailInAccountRepository {
  constructor(private readonly sql: SqlPort) {}

  messages(userId: string): Promise<Record<string, unknown>[]> {
    return this.sql.rows(
      `SELECT id, received_at AS "receivedAt", kind, outcome, reason, subject, envelope_to AS "sentTo",
                      from_address AS "from", (raw IS NOT NULL) AS "rawMessageKept"
                 FROM inbound_messages WHERE user_id = $1 ORDER BY received_at, id`,
      [userId],
    );
  }

  submissions(userId: string): Promise<Record<string, unknown>[]> {
    return this.sql.rows(
      `SELECT s.id, c.slug AS community, s.address, s.subject, s.body_text AS text, s.status,
                      s.decision_note AS "decisionNote", s.created_at AS "receivedAt", s.decided_at AS "decidedAt"
                 FROM mail_submissions s JOIN communities c ON c.id = s.community_id
                WHERE s.sender_id = $1 ORDER BY s.created_at, s.id`,
      [userId],
    );
  }

  repliesAwaitingConfirmation(userId: string): Promise<Record<string, unknown>[]> {
    return this.sql.rows(
      `SELECT thread_id AS "threadId", body AS text, created_at AS "receivedAt", expires_at AS "expiresAt",
                      used_at AS "confirmedAt"
                 FROM mail_reply_confirmations WHERE user_id = $1 ORDER BY created_at, id`,
      [userId],
    );
  }

  /**
   * Declines the member's submissions waiting for review (their text removed), blanks their addresses in the
   * rest, deletes their replies waiting for confirmation, and deletes the raw messages they sent.
   */
  async close(userId: string): Promise<void> {
    await this.sql.exec(
      `UPDATE mail_submissions SET status = 'declined', decision_note = 'The sender closed their account',
                  decided_at = now(), subject = '', body_text = ''
            WHERE sender_id = $1 AND status IN ('pending', 'held')`,
      [userId],
    );
    await this.sql.exec(
      `UPDATE mail_submissions SET sender_address = '', header_to = '{}', header_cc = '{}' WHERE sender_id = $1`,
      [userId],
    );
    await this.sql.exec('DELETE FROM mail_reply_confirmations WHERE user_id = $1', [userId]);
    await this.sql.exec(
      `UPDATE inbound_messages SET raw = NULL, raw_deleted_at = coalesce(raw_deleted_at, now()),
                  from_address = '', envelope_from = '', remote_ip = NULL, helo = NULL,
                  auth = jsonb_build_object('removed', 'the sender closed their account')
            WHERE user_id = $1`,
      [userId],
    );
  }
}
