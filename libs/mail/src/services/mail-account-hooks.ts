import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import {
  APP_CONFIG,
  AppConfig,
  deleteInBatches,
  pagedRows,
  PersonalDataRegistry,
  RetentionRegistry,
} from '@cophub/core';
import { DataSource } from 'typeorm';

/**
 * Email CoP Hub sent to a person (the outbox keeps each message until MAIL_OUTBOX_RETENTION_DAYS) and whether their
 * address is paused after bounces. Rows are found by the account's current email address. Closing deletes both:
 * nothing is sent to a closed account, and no record of its address is kept.
 */
@Injectable()
export class MailAccountHooks implements OnModuleInit {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly registry: PersonalDataRegistry,
    private readonly retention: RetentionRegistry,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onModuleInit(): void {
    const db = this.dataSource;
    // Messages that are finished with (sent, dead, suppressed) are deleted after MAIL_OUTBOX_RETENTION_DAYS;
    // pending ones are never deleted here, so retention cannot lose mail still owed.
    this.retention.register({
      name: 'outbox messages past MAIL_OUTBOX_RETENTION_DAYS',
      run: (now) =>
        deleteInBatches(
          db,
          `DELETE FROM mail_outbox WHERE id IN (
             SELECT id FROM mail_outbox WHERE status IN ('sent', 'dead', 'suppressed')
                AND created_at < $1::timestamptz - make_interval(days => $2) LIMIT $3)`,
          [now, this.config.retention.mailOutboxDays],
        ),
    });
    const address = `(SELECT lower(email) FROM users WHERE id = $1)`;
    this.registry.register({
      section: 'mail',
      about: 'Email CoP Hub sent you, and whether mail to you is paused because it bounced.',
      tables: {
        mail_outbox: 'deleted, sent or not (otherwise deleted after MAIL_OUTBOX_RETENTION_DAYS)',
        mail_suppressions: 'deleted',
      },
      parts: [
        {
          name: 'emailsSent',
          about: 'Emails sent (or waiting to be sent) to your address: subject, text, status and when.',
          rows: (userId) =>
            pagedRows<{ id: string }>(
              (after, size) =>
                db.query(
                  `SELECT id, subject, body_text AS text, status, created_at AS "createdAt", sent_at AS "sentAt"
                     FROM mail_outbox WHERE lower(recipient) = ${address} AND ($2::uuid IS NULL OR id > $2::uuid)
                    ORDER BY id LIMIT $3`,
                  [userId, after, size],
                ),
              (row) => row.id,
            ),
        },
        {
          name: 'paused',
          about: 'Whether mail to your address is paused after bounces, and why.',
          rows: (userId) =>
            db.query(
              `SELECT reason, status, diagnostic, bounce_count AS "bounces", first_bounced_at AS "firstBouncedAt",
                      last_bounced_at AS "lastBouncedAt"
                 FROM mail_suppressions WHERE lower(address) = ${address}`,
              [userId],
            ),
        },
      ],
      close: async (userId) => {
        await db.query(`DELETE FROM mail_outbox WHERE lower(recipient) = ${address}`, [userId]);
        await db.query(`DELETE FROM mail_suppressions WHERE lower(address) = ${address}`, [userId]);
      },
    });
  }
}
