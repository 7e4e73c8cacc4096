export { AuditLogEntry } from './db/audit-log-entry.entity';
export { auditMigrations } from './db/migrations';
export { AUDIT_ENTITIES } from './db/audit.entities';
export { AuditService } from './services/audit.service';
export { AuditModule } from './audit.module';
export { AuditPageView, AuditQueryDto } from './contract/audit.views';
