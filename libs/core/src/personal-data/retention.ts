import { BeforeApplicationShutdown, Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Clock } from '../clock/clock';
import { withAdvisoryLock } from '../db/advisory-lock';
import type { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { PeriodicTask } from '../scheduling/periodic-task';

/** A module's deletion of personal data past its retention (docs/privacy.md). Idempotent; deletes in batches. */
export interface RetentionPass {
  /** What it deletes, for logs. */
  name: string;
  /** Deletes what is past its time at `now`; returns how many rows. */
  run(now: Date): Promise<number>;
}

/** Modules register their retention passes here; the worker's `RetentionRunner` runs them. */
@Injectable()
export class RetentionRegistry {
  private readonly passes = new Map<string, RetentionPass>();

  register(pass: RetentionPass): void {
    if (this.passes.has(pass.name)) throw new Error(`retention pass ${pass.name} registered twice`);
    this.passes.set(pass.name, pass);
  }

  all(): RetentionPass[] {
    return [...this.passes.values()];
  }
}

/** Any number of workers may run; only one of them runs the passes at a time (PostgreSQL advisory lock). */
const RETENTION_LOCK = 0x7265_7431; // "ret1"

/**
 * Runs every registered retention pass in the worker every `RETENTION_INTERVAL_MS`, once per cluster: the runner
 * that takes the advisory lock does the work and the others skip that round. A pass that fails is logged and
 * tried again next round; it never stops the others or the process.
 */
@Injectable()
export class RetentionRunner implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('Retention');
  private readonly task = new PeriodicTask(this.logger, 'retention', () => this.runOnce());

  constructor(
    private readonly registry: RetentionRegistry,
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly clock: Clock,
  ) {}

  onApplicationBootstrap(): void {
    this.task.start(this.config.retention.intervalMs);
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.task.stop();
  }

  /** One round; returns the rows deleted, or -1 when another worker holds the round. */
  async runOnce(now = this.clock.now()): Promise<number> {
    const round = await withAdvisoryLock(this.dataSource, RETENTION_LOCK, { wait: false }, async () => {
      let total = 0;
      for (const pass of this.registry.all()) {
        try {
          const deleted = await pass.run(now);
          if (deleted) this.logger.log(`${pass.name}: deleted ${deleted}`);
          total += deleted;
        } catch (error) {
          this.logger.warn(`${pass.name} failed: ${(error as Error).message}`);
        }
      }
      return total;
    });
    return round.locked ? round.value : -1;
  }
}
