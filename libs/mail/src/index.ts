export { MailOutbox } from './db/mail-outbox.entity';
export { MailSuppression } from './db/mail-suppression.entity';
export { MAIL_ENTITIES } from './db/mail.entities';
export { mailMigrations } from './db/migrations';
export type { OutboxRow, SentMessageRow } from './db/mail-outbox.repository';
export type { BouncingAddress } from './db/mail-suppressions.repository';
export { MailStatus } from './domain/mail-status';
export { notificationSettingsUrl, unsubscribeLink, unsubscribeSignature } from './domain/unsubscribe-link';
export type { UnsubscribeTarget } from './domain/unsubscribe-link';
export { outboxIdFromVerp, verpAddress } from './domain/verp';
export { MailOutboxService, mailJobId } from './services/mail-outbox.service';
export type { StagedMail } from './services/mail-outbox.service';
export { MailSuppressionService } from './services/mail-suppression.service';
export { MailPreferenceFilters, recipientKindKey } from './services/mail-preference-filters';
export type {
  MailPreferenceFilter,
  MailPreferenceOptions,
  MailRecipientKind,
} from './services/mail-preference-filters';
export { OutboxMessageView, OutboxQueryDto, toOutboxView } from './contract/outbox.dto';
export { escapeHtml } from './templates/render';
export type { RenderedMail } from './templates/render';
export { renderMail } from './templates/templates';
export type { MailTemplateName, MailTemplates, StagedParams } from './templates/templates';
export type { CalendarLinks, EventChange } from './templates/events.templates';
export { MAIL_DRIVER } from './drivers/mail-driver';
export type { MailDriver, OutgoingMail } from './drivers/mail-driver';
export { MailDeliveryService } from './jobs/mail-delivery.service';
export type { DeliveryOutcome } from './jobs/mail-delivery.service';
export { MailReconciler } from './jobs/mail-reconciler.service';
export { MailModule } from './mail.module';
export { MailJobsModule } from './mail.jobs.module';
export { MAIL_QUEUE, MailJob } from './jobs/mail.jobs';
