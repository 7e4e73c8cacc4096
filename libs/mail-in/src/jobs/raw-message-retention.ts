import { BeforeApplicationShutdown, Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { APP_CONFIG, AppConfig, PeriodicTask } from '@cophub/core';
import { InboundRepository } from '../db/inbound.repository';

/**
 * Raw messages are kept `MAIL_IN_RAW_RETENTION_DAYS` (for co-chairs and admins to look into a held
 * message or a bad decision), then their bytes are deleted; the row with its verdict and outcome
 * stays, so de-duplication by Message-ID keeps working. Batches keep each statement short.
 */
@Injectable()
export class RawMessageRetention implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly task = new PeriodicTask(new Logger('RawMessageRetention'), 'raw message retention', () =>
    this.purge(),
  );

  constructor(
    private readonly inbound: InboundRepository,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    this.task.start(this.config.mailIn.purgeIntervalMs);
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.task.stop();
  }

  /** Deletes the bytes of every message older than the retention; returns how many. */
  async purge(now = new Date()): Promise<number> {
    let total = 0;
    for (;;) {
      const count = await this.inbound.purgeRawBatch(this.config.mailIn.rawRetentionDays, now);
      total += count;
      if (count < 500) return total;
    }
  }
}
