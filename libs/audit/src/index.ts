export * from './audit-log-entry.entity';
export * from './audit.service';
export * from './audit.module';
