export { AuditLogEntry } from './db/audit-log-entry.entity';
export { AuditService } from './services/audit.service';
export { AuditModule } from './audit.module';
export { AuditPageView, AuditQueryDto } from './contract/audit.views';
