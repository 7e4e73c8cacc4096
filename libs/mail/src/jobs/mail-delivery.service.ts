import { Inject, Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { APP_CONFIG, AppConfig, JobHandler, QueueService, JobPayload } from '@cophub/core';
import { MailJob } from './mail.jobs';
import { ClaimedMail, MailOutboxRepository } from '../db/mail-outbox.repository';
import { MAIL_DRIVER, MailDriver } from '../drivers/mail-driver';
import { MailMetrics } from '../hooks/mail-metrics';
import { mailJobId } from '../services/mail-outbox.service';
import { renderMail } from '../templates/templates';
import { verpAddress } from '../domain/verp';

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
    private readonly outbox: MailOutboxRepository,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(MAIL_DRIVER) private readonly driver: MailDriver,
    private readonly queues: QueueService,
    private readonly metrics: MailMetrics,
  ) {
    this.messageIdDomain = /@([^>\s]+)/.exec(config.mail.from)?.[1] ?? 'cophub.localhost';
  }

  /** Runs after the job workers have drained (they stop in `beforeApplicationShutdown`). */
  async onApplicationShutdown(): Promise<void> {
    await this.driver.close();
  }

  @JobHandler(MailJob.Send)
  async handle(payload: JobPayload<typeof MailJob.Send>): Promise<DeliveryOutcome> {
    const outcome = await this.deliver(payload.outboxId);
    this.metrics.delivered(outcome);
    return outcome;
  }

  async deliver(outboxId: string): Promise<DeliveryOutcome> {
    const claimed = await this.claim(outboxId);
    if (!claimed) return 'skipped';
    if (claimed.suppressed && !SUPPRESSION_EXEMPT_TEMPLATES.includes(claimed.template)) {
      await this.outbox.markSuppressed(claimed.id);
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
    await this.outbox.markSent(claimed.id, {
      subject: rendered.subject,
      text: rendered.text,
      html: rendered.html,
      transport: this.driver.transport,
    });
    return 'sent';
  }

  private claim(outboxId: string): Promise<ClaimedMail | null> {
    return this.outbox.claim(outboxId, this.config.mail.lockSeconds);
  }

  private async fail(
    row: Pick<ClaimedMail, 'id' | 'attempts'>,
    error: Error,
    permanent: boolean,
  ): Promise<DeliveryOutcome> {
    const dead = permanent || row.attempts >= this.config.mail.maxAttempts;
    const delay = retryDelaySeconds(row.attempts, this.config.mail.retryBaseSeconds);
    await this.outbox.markFailed(row.id, { dead, error: error.message.slice(0, 2000), delaySeconds: delay });
    this.logger.warn(`mail ${row.id} attempt ${row.attempts} failed${dead ? ' permanently' : ''}: ${error.message}`);
    if (dead) return 'dead';
    await this.queues
      .add(MailJob.Send, { outboxId: row.id }, { jobId: mailJobId(row.id, row.attempts), delayMs: delay * 1000 })
      .catch(() => undefined);
    return 'retry';
  }
}
