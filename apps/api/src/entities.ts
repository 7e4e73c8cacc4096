import { AuditLogEntry } from '@cophub/audit';
import { EVENT_ENTITIES } from '@cophub/events';
import { FORUM_ENTITIES } from '@cophub/forum';
import { Community, Membership, RefreshToken, User, UserToken } from '@cophub/identity';
import { MailOutbox, MailSuppression } from '@cophub/mail';
import { MAIL_IN_ENTITIES } from '@cophub/mail-in';
import { Notification, NotificationPreference } from '@cophub/notifications';
import { CommunityPage, CommunityPageRevision } from '@cophub/pages';
import { Resource, ResourceContributor, ResourceVersion } from '@cophub/resources';
import {
  Poll,
  PollAnswer,
  PollBallot,
  PollElector,
  PollOption,
  PollSealedBallot,
  PollPublication,
  PollQuestion,
  PollResultsVersion,
} from '@cophub/polls';

/** Every entity in the product; used by the migration generator to diff against the schema. */
export const ALL_ENTITIES = [
  User,
  UserToken,
  RefreshToken,
  Community,
  Membership,
  AuditLogEntry,
  MailOutbox,
  MailSuppression,
  ...MAIL_IN_ENTITIES,
  Notification,
  NotificationPreference,
  ...EVENT_ENTITIES,
  Resource,
  ResourceVersion,
  ResourceContributor,
  ...FORUM_ENTITIES,
  CommunityPage,
  CommunityPageRevision,
  Poll,
  PollQuestion,
  PollOption,
  PollElector,
  PollBallot,
  PollAnswer,
  PollSealedBallot,
  PollPublication,
  PollResultsVersion,
];
