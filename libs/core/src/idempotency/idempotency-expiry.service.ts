import { Inject, Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { APP_CONFIG } from '../config/config.module';
import type { AppConfig } from '../config/app-config';
import { PeriodicTask } from '../scheduling/periodic-task';
import { IdempotencyStore } from './idempotency.store';

const EVERY_TEN_MINUTES = 10 * 60_000;

/**
 * Deletes stored idempotent answers after `IDEMPOTENCY_TTL_HOURS` (they hold response bodies, i.e.
 * member content, and are only useful to a client retrying within minutes). Runs in the worker;
 * several workers deleting the same rows is harmless.
 */
@Injectable()
export class IdempotencyExpiry implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('IdempotencyExpiry');
  private readonly task: PeriodicTask;

  constructor(
    private readonly store: IdempotencyStore,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    this.task = new PeriodicTask(this.logger, 'idempotency expiry', () =>
      this.store.expire(this.config.http.idempotencyTtlHours),
    );
  }

  onApplicationBootstrap(): void {
    this.task.start(EVERY_TEN_MINUTES);
  }

  async onModuleDestroy(): Promise<void> {
    await this.task.stop();
  }

  runOnce(): Promise<number> {
    return this.task.runOnce();
  }
}
