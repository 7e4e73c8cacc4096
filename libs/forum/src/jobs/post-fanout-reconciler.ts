import { Inject, Injectable, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { APP_CONFIG, AppConfig, PeriodicReconciler, QueueService } from '@cophub/core';
import { ForumJob } from './forum.jobs';
import { DataSource } from 'typeorm';
import { FanoutRepository } from '../db/fanout.repository';
import { fanoutJobId } from './post-fanout.queue';

/**
 * Redis only carries fan-out jobs; `forum_post_fanouts` knows which posts still owe notifications.
 * On worker start and every RECONCILE_INTERVAL_MS this enqueues every such post again. Job ids are
 * deterministic, so a post whose job is still queued is not enqueued twice, and a job that already
 * ran finds its row gone and does nothing.
 */
@Injectable()
export class PostFanoutReconciler implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly reconciler: PeriodicReconciler<typeof ForumJob.Fanout, { id: string }>;

  constructor(
    @InjectDataSource() dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    queues: QueueService,
    fanouts: FanoutRepository,
  ) {
    this.reconciler = new PeriodicReconciler(dataSource, queues, {
      name: 'forum-fanout',
      job: ForumJob.Fanout,
      what: 'post(s) owing fan-out',
      pending: (after, limit) => fanouts.pending(after, limit),
      jobOf: (row) => ({ payload: { postId: row.id }, options: { jobId: fanoutJobId(row.id) } }),
    });
  }

  onApplicationBootstrap(): void {
    this.reconciler.start(this.config.mail.reconcileIntervalMs);
  }

  async onModuleDestroy(): Promise<void> {
    await this.reconciler.stop();
  }

  runOnce(): Promise<number> {
    return this.reconciler.runOnce();
  }
}
