import type { MigrationClass } from '@cophub/core';
import { MailIn1795760406294 } from './1795760406294-MailIn';
import { InboundRawLz41795883000000 } from './1795883000000-InboundRawLz4';
import { MailSubmissionRecipients1795900000000 } from './1795900000000-MailSubmissionRecipients';
import { MailReplyConfirmations1795900000001 } from './1795900000001-MailReplyConfirmations';

/**
 * Mail-in's migrations, oldest first. `MailIn` also created forum's `forum_reply_tokens` and mail's
 * `mail_suppressions` and changed `mail_outbox`, with foreign keys to resources and forum threads;
 * `MailReplyConfirmations` refers to forum threads and posts. They are kept as they ran (docs/architecture.md,
 * historic migrations). New migrations touch mail-in's tables only.
 */
export const mailInMigrations: MigrationClass[] = [
  MailIn1795760406294,
  InboundRawLz41795883000000,
  MailSubmissionRecipients1795900000000,
  MailReplyConfirmations1795900000001,
];
