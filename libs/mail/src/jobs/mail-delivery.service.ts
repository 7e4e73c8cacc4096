import { Inject, Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { APP_CONFIG, AppConfig, JobHandler, JobName, JobPayloads, queryRows, QueueService } from '@cophub/core';
import { DataSource } from 'typeorm';
import { MAIL_DRIVER, MailDriver } from '../drivers/mail-driver';
import { MailOutbox } from '../entities/mail-outbox.entity';
import { mailJobId } from '../services/mail-outbox.service';
import { renderMail } from '../templates/templates';
import { verpAddress } from '../verp';

type ClaimedMail = Pick<MailOutbox, 'id' | 'recipient' | 'template' | 'params' | 'attempts'> & { suppressed: boolean };

export type DeliveryOutcome = 'sent' | 'skipped' | 'retry' | 'dead' | 'suppressed';

/** Mail that still goes to an address that hard-bounced: the message its owner confirms it with. */
export const SUPPRESSION_EXEMPT_TEMPLATES = ['mail.confirm-address'];

/** Backoff for the nth failed attempt: base × 2^(n-1), capped at 6 hours, with ±20% jitter. */
export function retryDelaySeconds(attempt: number, baseSeconds: number, random = Math.random): number {
  const raw = Math.min(baseSeconds * 2 ** Math.max(0, attempt - 1), 6 * 3600);
  return Math.round(raw * (0.8 + 0.4 * random()));
}

/**
 * Sends one outbox row. The row is claimed first (a conditional update), so two jobs for the same row
 * cannot both send; the only duplicate possible is a crash after the SMTP server accepted the message
 * and before the row was marked sent, and then the resend carries the same Message-ID.
 */
@Injectable()
export class MailDeliveryService implements OnApplicationShutdown {
  private readonly logger = new Logger('MailDelivery');
  private readonly messageIdDomain: string;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(MAIL_DRIVER) private readonly driver: MailDriver,
    private readonly queues: QueueService,
  ) {
    this.messageIdDomain = /@([^>\s]+)/.exec(config.mail.from)?.[1] ?? 'cophub.localhost';
  }

  /** Runs after the job workers have drained (they stop in `beforeApplicationShutdown`). */
  async onApplicationShutdown(): Promise<void> {
    await this.driver.close();
  }

  @JobHandler(JobName.SendMail)
  async handle(payload: JobPayloads[JobName.SendMail]): Promise<DeliveryOutcome> {
    return this.deliver(payload.outboxId);
  }

  async deliver(outboxId: string): Promise<DeliveryOutcome> {
    const claimed = await this.claim(outboxId);
    if (!claimed) return 'skipped';
    if (claimed.suppressed && !SUPPRESSION_EXEMPT_TEMPLATES.includes(claimed.template)) {
      await this.dataSource.query(
        `UPDATE mail_outbox SET status = 'suppressed', locked_until = NULL,
                last_error = 'Not sent: this address hard-bounced and its owner has not confirmed it again'
          WHERE id = $1 AND status = 'sending'`,
        [claimed.id],
      );
      return 'suppressed';
    }

    let rendered;
    try {
      rendered = renderMail(claimed.template, claimed.params);
    } catch (error) {
      await this.fail(claimed, error as Error, true);
      return 'dead';
    }
    try {
      await this.driver.send({
        from: this.config.mail.from,
        to: claimed.recipient,
        subject: rendered.subject,
        text: rendered.text,
        html: rendered.html,
        messageId: `<${claimed.id}@${this.messageIdDomain}>`,
        // With inbound mail on, each message's bounces come back to its own signed address, where the
        // mail-in app counts them (and only them).
        envelopeFrom: this.config.mailIn.domain
          ? verpAddress(claimed.id, this.config.mailIn.domain, this.config.auth.jwtSecret)
          : undefined,
        attachments: rendered.attachments,
        headers: {
          ...rendered.headers,
          'X-CoP-Hub-Template': claimed.template,
          ...(rendered.listUnsubscribe
            ? {
                'List-Unsubscribe': `<${rendered.listUnsubscribe}>`,
                'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
              }
            : {}),
        },
      });
    } catch (error) {
      return this.fail(claimed, error as Error, false);
    }
    await this.dataSource.query(
      `UPDATE mail_outbox
          SET status = 'sent', sent_at = now(), locked_until = NULL, last_error = NULL,
              subject = $2, body_text = $3, body_html = $4, transport = $5
        WHERE id = $1 AND status = 'sending'`,
      [claimed.id, rendered.subject, rendered.text, rendered.html, this.driver.transport],
    );
    return 'sent';
  }

  private async claim(outboxId: string): Promise<ClaimedMail | null> {
    const rows = await queryRows<ClaimedMail>(
      this.dataSource,
      `UPDATE mail_outbox o
          SET status = 'sending', attempts = attempts + 1,
              locked_until = now() + make_interval(secs => $2)
        WHERE id = $1
          AND ((status = 'pending' AND next_attempt_at <= now())
               OR (status = 'sending' AND locked_until < now()))
      RETURNING id, recipient, template, params, attempts,
                EXISTS (SELECT 1 FROM mail_suppressions s WHERE s.address = lower(o.recipient)) AS suppressed`,
      [outboxId, this.config.mail.lockSeconds],
    );
    return rows[0] ?? null;
  }

  private async fail(
    row: Pick<MailOutbox, 'id' | 'attempts'>,
    error: Error,
    permanent: boolean,
  ): Promise<DeliveryOutcome> {
    const dead = permanent || row.attempts >= this.config.mail.maxAttempts;
    const delay = retryDelaySeconds(row.attempts, this.config.mail.retryBaseSeconds);
    await this.dataSource.query(
      `UPDATE mail_outbox
          SET status = $2, locked_until = NULL, last_error = $3,
              next_attempt_at = now() + make_interval(secs => $4)
        WHERE id = $1 AND status = 'sending'`,
      [row.id, dead ? 'dead' : 'pending', error.message.slice(0, 2000), dead ? 0 : delay],
    );
    this.logger.warn(`mail ${row.id} attempt ${row.attempts} failed${dead ? ' permanently' : ''}: ${error.message}`);
    if (dead) return 'dead';
    await this.queues
      .add(JobName.SendMail, { outboxId: row.id }, { jobId: mailJobId(row.id, row.attempts), delayMs: delay * 1000 })
      .catch(() => undefined);
    return 'retry';
  }
}
