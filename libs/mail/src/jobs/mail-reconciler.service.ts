import { Inject, Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { APP_CONFIG, AppConfig, JobName, PeriodicTask, QueueService } from '@cophub/core';
import { DataSource } from 'typeorm';
import { mailJobId } from '../services/mail-outbox.service';

const BATCH = 1000;

/**
 * Redis only carries mail jobs; PostgreSQL knows what is unsent. On start and periodically this
 * re-enqueues every pending row (with its remaining delay) and every row whose sender died mid-send.
 * Job ids are deterministic, so rows that still have a job are not enqueued twice.
 */
@Injectable()
export class MailReconciler implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('MailReconciler');
  private readonly task: PeriodicTask;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly queues: QueueService,
  ) {
    this.task = new PeriodicTask(this.logger, 'reconcile', () => this.reconcile());
  }

  onApplicationBootstrap(): void {
    this.task.start(this.config.mail.reconcileIntervalMs);
  }

  async onModuleDestroy(): Promise<void> {
    await this.task.stop();
  }

  /** One pass; concurrent calls share the pass in progress. Returns how many rows were (re)enqueued. */
  runOnce(): Promise<number> {
    return this.task.runOnce();
  }

  private async reconcile(): Promise<number> {
    let after = '00000000-0000-0000-0000-000000000000';
    let total = 0;
    for (;;) {
      const rows: Array<{ id: string; attempts: number; delay_ms: string }> = await this.dataSource.query(
        `SELECT id, attempts,
                GREATEST(0, EXTRACT(EPOCH FROM (COALESCE(
                  CASE WHEN status = 'sending' THEN locked_until ELSE next_attempt_at END, now()) - now())) * 1000
                )::bigint AS delay_ms
           FROM mail_outbox
          WHERE id > $1 AND (status = 'pending' OR (status = 'sending' AND locked_until < now()))
          ORDER BY id
          LIMIT $2`,
        [after, BATCH],
      );
      if (!rows.length) break;
      await this.queues.addBulk(
        JobName.SendMail,
        rows.map((row) => ({
          payload: { outboxId: row.id },
          options: { jobId: mailJobId(row.id, row.attempts), delayMs: Number(row.delay_ms) },
        })),
      );
      total += rows.length;
      after = rows[rows.length - 1].id;
      if (rows.length < BATCH) break;
    }
    if (total) this.logger.log(`re-enqueued ${total} unsent message(s)`);
    return total;
  }
}
