import { Logger } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import { withAdvisoryLock } from '../db/advisory-lock';
import { JobName, JobPayload } from '../queue/jobs';
import { EnqueueOptions, QueueService } from '../queue/queue.service';
import { PeriodicTask } from './periodic-task';

const BATCH = 1000;

/** What one reconciler re-enqueues: rows of an outbox table that still owe a job. */
export interface ReconcilerSource<N extends JobName, R extends { id: string }> {
  /** Names the pass in logs and its lock, e.g. 'mail' (one lock per name across every worker). */
  name: string;
  job: N;
  /** Up to `limit` rows that still owe a job, with ids after `after`, in id order. */
  pending(after: string, limit: number): Promise<R[]>;
  /** The row's job: its payload and deterministic id (a row whose job is still queued is then not enqueued twice). */
  jobOf(row: R): { payload: JobPayload<N>; options: EnqueueOptions };
  /** Plural noun for the log line, e.g. 'unsent message(s)'. */
  what: string;
}

/**
 * Redis only carries jobs; an outbox table in PostgreSQL knows what is still owed. A periodic
 * reconciler re-enqueues every such row, in keyset batches, on start and every interval:
 * - one pass at a time across all workers: a pass takes a PostgreSQL advisory lock named after the
 *   source, and a timed pass that finds it held skips its turn (another worker is doing the same
 *   work); an explicit `runOnce` waits for it instead, so its caller knows the pass ran;
 * - failures are logged, never thrown, and the next pass tries again;
 * - `stop` (on shutdown) clears the timer and waits for the pass in progress.
 * The work stays safe to repeat: job ids are deterministic, and a job that already ran finds its row gone.
 */
export class PeriodicReconciler<N extends JobName, R extends { id: string }> {
  private readonly logger: Logger;
  private readonly timed: PeriodicTask;
  private readonly explicit: PeriodicTask;

  constructor(
    private readonly dataSource: DataSource,
    private readonly queues: QueueService,
    private readonly source: ReconcilerSource<N, R>,
  ) {
    this.logger = new Logger(`Reconciler:${source.name}`);
    this.timed = new PeriodicTask(this.logger, 'reconcile', () => this.pass(false));
    this.explicit = new PeriodicTask(this.logger, 'reconcile', () => this.pass(true));
  }

  start(intervalMs: number): void {
    this.timed.start(intervalMs);
  }

  async stop(): Promise<void> {
    await Promise.all([this.timed.stop(), this.explicit.stop()]);
  }

  /** One pass now (waiting for another worker's pass to end first); resolves to how many rows were re-enqueued. */
  runOnce(): Promise<number> {
    return this.explicit.runOnce();
  }

  private async pass(wait: boolean): Promise<number> {
    const pass = await withAdvisoryLock(this.dataSource, `cophub:reconcile:${this.source.name}`, { wait }, () =>
      this.reenqueue(),
    );
    return pass.locked ? pass.value : 0;
  }

  private async reenqueue(): Promise<number> {
    let after = '00000000-0000-0000-0000-000000000000';
    let total = 0;
    for (;;) {
      const rows = await this.source.pending(after, BATCH);
      if (!rows.length) break;
      await this.queues.addBulk(
        this.source.job,
        rows.map((row) => this.source.jobOf(row)),
      );
      total += rows.length;
      after = rows[rows.length - 1].id;
      if (rows.length < BATCH) break;
    }
    if (total) this.logger.log(`re-enqueued ${total} ${this.source.what}`);
    return total;
  }
}
