import { Inject, Injectable, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { APP_CONFIG, AppConfig, JobName, PeriodicReconciler, QueueService } from '@cophub/core';
import { DataSource } from 'typeorm';
import { mailJobId } from '../services/mail-outbox.service';

/**
 * Redis only carries mail jobs; PostgreSQL knows what is unsent. On start and periodically this
 * re-enqueues every pending row (with its remaining delay) and every row whose sender died mid-send.
 * Job ids are deterministic, so rows that still have a job are not enqueued twice.
 */
@Injectable()
export class MailReconciler implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly reconciler: PeriodicReconciler<JobName.SendMail, { id: string; attempts: number; delay_ms: string }>;

  constructor(
    @InjectDataSource() dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    queues: QueueService,
  ) {
    this.reconciler = new PeriodicReconciler(dataSource, queues, {
      name: 'mail',
      job: JobName.SendMail,
      what: 'unsent message(s)',
      pending: (after, limit) =>
        dataSource.query(
          `SELECT id, attempts,
                  GREATEST(0, EXTRACT(EPOCH FROM (COALESCE(
                    CASE WHEN status = 'sending' THEN locked_until ELSE next_attempt_at END, now()) - now())) * 1000
                  )::bigint AS delay_ms
             FROM mail_outbox
            WHERE id > $1 AND (status = 'pending' OR (status = 'sending' AND locked_until < now()))
            ORDER BY id
            LIMIT $2`,
          [after, limit],
        ),
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
