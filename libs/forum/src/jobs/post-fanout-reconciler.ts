import { Inject, Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { APP_CONFIG, AppConfig, JobName, PeriodicTask, QueueService } from '@cophub/core';
import { DataSource } from 'typeorm';
import { fanoutJobId } from '../services/post-fanout';

const BATCH = 1000;

/**
 * Redis only carries fan-out jobs; `forum_post_fanouts` knows which posts still owe notifications.
 * On worker start and every RECONCILE_INTERVAL_MS this enqueues every such post again. Job ids are
 * deterministic, so a post whose job is still queued is not enqueued twice, and a job that already
 * ran finds its row gone and does nothing.
 */
@Injectable()
export class PostFanoutReconciler implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('PostFanoutReconciler');
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

  runOnce(): Promise<number> {
    return this.task.runOnce();
  }

  private async reconcile(): Promise<number> {
    let after = '00000000-0000-0000-0000-000000000000';
    let total = 0;
    for (;;) {
      const rows: Array<{ post_id: string }> = await this.dataSource.query(
        'SELECT post_id FROM forum_post_fanouts WHERE post_id > $1 ORDER BY post_id LIMIT $2',
        [after, BATCH],
      );
      if (!rows.length) break;
      await this.queues.addBulk(
        JobName.ForumFanout,
        rows.map((row) => ({ payload: { postId: row.post_id }, options: { jobId: fanoutJobId(row.post_id) } })),
      );
      total += rows.length;
      after = rows[rows.length - 1].post_id;
      if (rows.length < BATCH) break;
    }
    if (total) this.logger.log(`re-enqueued fan-out of ${total} post(s)`);
    return total;
  }
}
