import { Inject, Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { APP_CONFIG, AppConfig, JobHandler, JobPayload } from '@cophub/core';
import { PollJob } from './polls.jobs';
import { PollLifecycleService } from '../services/poll-lifecycle.service';

/**
 * Worker side of polls: the delayed open/close/remind jobs (which re-read the poll and do nothing
 * when its schedule version moved on), and a reconciler that runs on start and every
 * `POLL_SCAN_INTERVAL_MS`, doing overdue steps straight from PostgreSQL and re-planning the rest, so
 * an emptied Redis loses nothing.
 */
@Injectable()
export class PollJobs implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('PollJobs');
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<unknown> | null = null;

  constructor(
    private readonly lifecycle: PollLifecycleService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @JobHandler(PollJob.Open)
  async open(payload: JobPayload<typeof PollJob.Open>): Promise<void> {
    await this.lifecycle.open(payload.pollId, { actorId: null, version: payload.version });
  }

  @JobHandler(PollJob.Close)
  async close(payload: JobPayload<typeof PollJob.Close>): Promise<void> {
    await this.lifecycle.close(payload.pollId, { actorId: null, version: payload.version });
  }

  @JobHandler(PollJob.Remind)
  async remind(payload: JobPayload<typeof PollJob.Remind>): Promise<void> {
    await this.lifecycle.remind(payload.pollId, payload.version);
  }

  onApplicationBootstrap(): void {
    void this.runOnce();
    this.timer = setInterval(() => void this.runOnce(), this.config.polls.scanIntervalMs);
    this.timer.unref();
  }

  async onModuleDestroy(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.running?.catch(() => undefined);
  }

  /** One reconciliation pass; concurrent calls share the pass in progress. */
  runOnce(): Promise<unknown> {
    this.running ??= this.lifecycle
      .reconcile()
      .catch((error: Error) => this.logger.warn(`poll reconcile failed: ${error.message}`))
      .finally(() => {
        this.running = null;
      });
    return this.running;
  }
}
