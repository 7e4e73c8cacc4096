import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { APP_CONFIG, AppConfig, deleteInBatches, RetentionRegistry } from '@cophub/core';
import { DataSource } from 'typeorm';

/** Audit rows are kept `AUDIT_RETENTION_DAYS` (two years by default), then deleted by the worker's retention round. */
@Injectable()
export class AuditRetention implements OnModuleInit {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly retention: RetentionRegistry,
  ) {}

  onModuleInit(): void {
    this.retention.register({
      name: 'audit rows past AUDIT_RETENTION_DAYS',
      run: (now) =>
        deleteInBatches(
          this.dataSource,
          `DELETE FROM audit_log WHERE id IN (
             SELECT id FROM audit_log WHERE created_at < $1::timestamptz - make_interval(days => $2) ORDER BY id LIMIT $3)`,
          [now, this.config.retention.auditDays],
        ),
    });
  }
}
