import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { APP_CONFIG, AppConfig, RetentionRegistry } from '@cophub/core';
import { AuditRepository } from '../db/audit.repository';

/** Audit rows are kept `AUDIT_RETENTION_DAYS` (two years by default), then deleted by the worker's retention round. */
@Injectable()
export class AuditRetention implements OnModuleInit {
  constructor(
    private readonly audit: AuditRepository,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly retention: RetentionRegistry,
  ) {}

  onModuleInit(): void {
    this.retention.register({
      name: 'audit rows past AUDIT_RETENTION_DAYS',
      run: (now) => this.audit.deleteOlderThan(now, this.config.retention.auditDays),
    });
  }
}
