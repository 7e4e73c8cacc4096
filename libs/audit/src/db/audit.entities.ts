import { AuditLogEntry } from './audit-log-entry.entity';

/** Audit's table, as an entity: `audit_log`. */
export const AUDIT_ENTITIES = [AuditLogEntry];
