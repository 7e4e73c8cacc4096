import { MailOutbox } from './mail-outbox.entity';
import { MailSuppression } from './mail-suppression.entity';

/** Mail's tables, as entities: `mail_outbox`, `mail_suppressions`. */
export const MAIL_ENTITIES = [MailOutbox, MailSuppression];
