import type { MigrationClass } from '@cophub/core';

/**
 * The mail module's migrations. None yet: `mail_outbox` was created by identity's `Foundation` and changed by
 * mail-in's `MailIn`, which also created `mail_suppressions` (docs/architecture.md, historic migrations). A migration
 * that changes mail's tables is listed here.
 */
export const mailMigrations: MigrationClass[] = [];
