import { AuditLogEntry } from '@cophub/audit';
import { FORUM_ENTITIES } from '@cophub/forum';
import { Community, Membership, RefreshToken, User, UserToken } from '@cophub/identity';
import { MailOutbox } from '@cophub/mail';
import { Notification, NotificationPreference } from '@cophub/notifications';

/** Every entity in the product; used by the migration generator to diff against the schema. */
export const ALL_ENTITIES = [
  User,
  UserToken,
  RefreshToken,
  Community,
  Membership,
  AuditLogEntry,
  MailOutbox,
  Notification,
  NotificationPreference,
  ...FORUM_ENTITIES,
];
