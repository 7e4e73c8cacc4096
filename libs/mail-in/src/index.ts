export { MAIL_IN_ENTITIES } from './db/mail-in.entities';
export { mailInMigrations } from './db/migrations';
export { MailInError, MailInErrorCode, PermanentRefusal } from './errors/mail-in.error';
export { InboundMailService } from './services/inbound-mail.service';
export { SubmissionService } from './services/submission.service';
export { ReplyConfirmationService } from './services/reply-confirmation.service';
export { RawMessageRetention } from './jobs/raw-message-retention';
export type { MailSettingsView, SubmissionView } from './contract/submission.views';
export {
  DeclineSubmissionDto,
  ListSubmissionsQueryDto,
  MailSettingsDto,
  PublishResourceDto,
  PublishThreadDto,
  SubmissionDto,
  SubmissionPageDto,
  UpdateMailSettingsDto,
} from './contract/mail-in.dto';
export { MailInModule } from './mail-in.module';
export { attachmentFilesAfter } from './db/stored-files.statements';
