import type { MigrationClass } from '@cophub/core';

/**
 * The audit module's migrations. None yet: `audit_log` was created by identity's `Foundation` (docs/architecture.md,
 * historic migrations). A migration that changes audit's table is listed here.
 */
export const auditMigrations: MigrationClass[] = [];
