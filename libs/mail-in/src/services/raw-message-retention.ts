import { BeforeApplicationShutdown, Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { APP_CONFIG, AppConfig, PeriodicTask } from '@cophub/core';
import { DataSource } from 'typeorm';

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
    @InjectDataSource() private readonly dataSource: DataSource,
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
      const [, count] = (await this.dataSource.query(
        `UPDATE inbound_messages SET raw = NULL, raw_deleted_at = $2
          WHERE id IN (SELECT id FROM inbound_messages
                        WHERE raw IS NOT NULL AND received_at < $2::timestamptz - make_interval(days => $1)
                        LIMIT 500)`,
        [this.config.mailIn.rawRetentionDays, now],
      )) as [unknown, number];
      total += count;
      if (count < 500) return total;
    }
  }
}
