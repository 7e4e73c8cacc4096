import { AUDIT_ENTITIES } from '@cophub/audit';
import { EVENT_ENTITIES } from '@cophub/events';
import { FORUM_ENTITIES } from '@cophub/forum';
import { IDENTITY_ENTITIES } from '@cophub/identity';
import { MAIL_ENTITIES } from '@cophub/mail';
import { MAIL_IN_ENTITIES } from '@cophub/mail-in';
import { NOTIFICATION_ENTITIES } from '@cophub/notifications';
import { PAGE_ENTITIES } from '@cophub/pages';
import {
  Poll,
  PollAnswer,
  PollBallot,
  PollElector,
  PollOption,
  PollPublication,
  PollQuestion,
  PollResultsVersion,
  PollSealedBallot,
} from '@cophub/polls';
import { RESOURCE_ENTITIES } from '@cophub/resources';

/** Every entity in the product, each module's list: the migration generator diffs them against the schema. */
export const ALL_ENTITIES = [
  ...IDENTITY_ENTITIES,
  ...AUDIT_ENTITIES,
  ...MAIL_ENTITIES,
  ...MAIL_IN_ENTITIES,
  ...NOTIFICATION_ENTITIES,
  ...EVENT_ENTITIES,
  ...RESOURCE_ENTITIES,
  ...FORUM_ENTITIES,
  ...PAGE_ENTITIES,
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
