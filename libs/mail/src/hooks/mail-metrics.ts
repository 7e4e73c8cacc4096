import { Injectable, OnModuleInit } from '@nestjs/common';
import type { Counter } from 'prom-client';
import { Metrics } from '@cophub/core';
import { MailOutboxRepository } from '../db/mail-outbox.repository';
import type { DeliveryOutcome } from '../jobs/mail-delivery.service';

/**
 * Mail's metrics: the outbox backlog (unsent rows, read from PostgreSQL on each scrape; the same in
 * every process that reports it) and this worker's delivery attempts by outcome, failures among them.
 */
@Injectable()
export class MailMetrics implements OnModuleInit {
  private readonly deliveries: Counter<'outcome'>;
  private readonly failures: Counter<'final'>;

  constructor(
    private readonly metrics: Metrics,
    private readonly outbox: MailOutboxRepository,
  ) {
    this.deliveries = metrics.counter({
      name: 'cophub_mail_deliveries_total',
      help: 'Outbox messages this worker tried to send, by outcome (sent, retry, dead, suppressed)',
      labelNames: ['outcome'],
    });
    this.failures = metrics.counter({
      name: 'cophub_mail_delivery_failures_total',
      help: 'Failed sends by this worker; final="true" when the message is given up on (dead)',
      labelNames: ['final'],
    });
  }

  onModuleInit(): void {
    const unsent = this.metrics.gauge({
      name: 'cophub_mail_outbox_unsent',
      help: 'Outbox messages not sent yet, by status (pending: waiting or retrying; sending: claimed by a worker)',
      labelNames: ['status'],
    });
    const oldest = this.metrics.gauge({
      name: 'cophub_mail_outbox_oldest_unsent_seconds',
      help: 'Age of the oldest outbox message not sent yet (0 when none)',
    });
    this.metrics.collect('mail_outbox', [unsent, oldest], async () => {
      const backlog = await this.outbox.backlog();
      unsent.set({ status: 'pending' }, backlog.pending);
      unsent.set({ status: 'sending' }, backlog.sending);
      oldest.set(backlog.oldestSeconds);
    });
  }

  delivered(outcome: DeliveryOutcome): void {
    if (outcome === 'skipped') return;
    this.deliveries.inc({ outcome });
    if (outcome === 'retry' || outcome === 'dead') this.failures.inc({ final: String(outcome === 'dead') });
  }
}
