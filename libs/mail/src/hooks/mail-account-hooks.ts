import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { APP_CONFIG, AppConfig, pagedRows, PersonalDataRegistry, RetentionRegistry } from '@cophub/core';
import { MailOutboxRepository } from '../db/mail-outbox.repository';
import { MailSuppressionsRepository } from '../db/mail-suppressions.repository';

/**
 * Email CoP Hub sent to a person (the outbox keeps each message until MAIL_OUTBOX_RETENTION_DAYS) and whether their
 * address is paused after bounces. Rows are found by the account's current email address. Closing deletes both:
 * nothing is sent to a closed account, and no record of its address is kept.
 */
@Injectable()
export class MailAccountHooks implements OnModuleInit {
  constructor(
    private readonly outbox: MailOutboxRepository,
    private readonly suppressions: MailSuppressionsRepository,
    private readonly registry: PersonalDataRegistry,
    private readonly retention: RetentionRegistry,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onModuleInit(): void {
    // Messages that are finished with (sent, dead, suppressed) are deleted after MAIL_OUTBOX_RETENTION_DAYS;
    // pending ones are never deleted here, so retention cannot lose mail still owed.
    this.retention.register({
      name: 'outbox messages past MAIL_OUTBOX_RETENTION_DAYS',
      run: (now) => this.outbox.deleteFinished(now, this.config.retention.mailOutboxDays),
    });
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
              (after, size) => this.outbox.sentTo(userId, after, size),
              (row) => row.id,
            ),
        },
        {
          name: 'paused',
          about: 'Whether mail to your address is paused after bounces, and why.',
          rows: (userId) => this.suppressions.pausedFor(userId),
        },
      ],
      close: async (userId) => {
        await this.outbox.deleteSentTo(userId);
        await this.suppressions.removeFor(userId);
      },
    });
  }
}
