import { Inject, Injectable, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { APP_CONFIG, AppConfig, PeriodicReconciler, QueueService } from '@cophub/core';
import { MailJob } from './mail.jobs';
import { DataSource } from 'typeorm';
import { MailOutboxRepository, UnsentRow } from '../db/mail-outbox.repository';
import { mailJobId } from '../services/mail-outbox.service';

/**
 * Redis only carries mail jobs; PostgreSQL knows what is unsent. On start and periodically this
 * re-enqueues every pending row (with its remaining delay) and every row whose sender died mid-send.
 * Job ids are deterministic, so rows that still have a job are not enqueued twice.
 */
@Injectable()
export class MailReconciler implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly reconciler: PeriodicReconciler<typeof MailJob.Send, UnsentRow>;

  constructor(
    // The data source only holds the reconciler's advisory lock; the statements are the repository's.
    @InjectDataSource() dataSource: DataSource,
    outbox: MailOutboxRepository,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    queues: QueueService,
  ) {
    this.reconciler = new PeriodicReconciler(dataSource, queues, {
      name: 'mail',
      job: MailJob.Send,
      what: 'unsent message(s)',
      pending: (after, limit) => outbox.unsent(after, limit),
      jobOf: (row) => ({
        payload: { outboxId: row.id },
        options: { jobId: mailJobId(row.id, row.attempts), delayMs: Number(row.delay_ms) },
      }),
    });
  }

  onApplicationBootstrap(): void {
    this.reconciler.start(this.config.mail.reconcileIntervalMs);
  }

  async onModuleDestroy(): Promise<void> {
    await this.reconciler.stop();
  }

  /** One pass; returns how many rows were (re)enqueued. */
  runOnce(): Promise<number> {
    return this.reconciler.runOnce();
  }
}
