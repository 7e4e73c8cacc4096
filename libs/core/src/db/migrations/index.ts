import { Foundation1795339334972 } from './1795339334972-Foundation';
import { Notifications1795339911860 } from './1795339911860-Notifications';
import { Forum1795424592131 } from './1795424592131-Forum';
import { Resources1795424619199 } from './1795424619199-Resources';
import { Polls1795424667110 } from './1795424667110-Polls';
import { Events1795424854225 } from './1795424854225-Events';
import { AccountClosure1795425928291 } from './1795425928291-AccountClosure';
import { ResourceEventLink1795426214540 } from './1795426214540-ResourceEventLink';
import { ForumSpeed1795755476473 } from './1795755476473-ForumSpeed';
import { NotificationKinds1795755728234 } from './1795755728234-NotificationKinds';
import { PollBallotMixing1795756001501 } from './1795756001501-PollBallotMixing';
import { SearchRanking1795757197913 } from './1795757197913-SearchRanking';
import { CommunityPages1795757942841 } from './1795757942841-CommunityPages';
import { CommunityOverview1795759440713 } from './1795759440713-CommunityOverview';
import { MailIn1795760406294 } from './1795760406294-MailIn';
import { IdempotencyKeys1795763357255 } from './1795763357255-IdempotencyKeys';
import { PollRemindNow1795830000000 } from './1795830000000-PollRemindNow';
import { AnnouncementNotifications1795840000000 } from './1795840000000-AnnouncementNotifications';
import { CpdReflections1795850000000 } from './1795850000000-CpdReflections';
import { MemberHandles1795850100000 } from './1795850100000-MemberHandles';
import { ForumCategoryVersion1795860000000 } from './1795860000000-ForumCategoryVersion';
import { PollResultsVersions1795870000000 } from './1795870000000-PollResultsVersions';
import { InboundRawLz41795883000000 } from './1795883000000-InboundRawLz4';
import { MailSubmissionRecipients1795900000000 } from './1795900000000-MailSubmissionRecipients';
import { MailReplyConfirmations1795900000001 } from './1795900000001-MailReplyConfirmations';
import { ReservedHandleLookalikes1795910000000 } from './1795910000000-ReservedHandleLookalikes';
import { AnonymousBallotsSealed1795920000000 } from './1795920000000-AnonymousBallotsSealed';

/**
 * Every migration, in order. Listed explicitly (not globbed) so the compiled app, the tests and the
 * migration command all run the same set. Generate new ones with `npm run migration:generate -- Name`.
 */
export const migrations: Function[] = [
  Foundation1795339334972,
  Notifications1795339911860,
  Forum1795424592131,
  Resources1795424619199,
  Polls1795424667110,
  Events1795424854225,
  AccountClosure1795425928291,
  ResourceEventLink1795426214540,
  ForumSpeed1795755476473,
  NotificationKinds1795755728234,
  PollBallotMixing1795756001501,
  SearchRanking1795757197913,
  CommunityPages1795757942841,
  CommunityOverview1795759440713,
  MailIn1795760406294,
  IdempotencyKeys1795763357255,
  PollRemindNow1795830000000,
  AnnouncementNotifications1795840000000,
  CpdReflections1795850000000,
  MemberHandles1795850100000,
  ForumCategoryVersion1795860000000,
  PollResultsVersions1795870000000,
  InboundRawLz41795883000000,
  MailSubmissionRecipients1795900000000,
  MailReplyConfirmations1795900000001,
  ReservedHandleLookalikes1795910000000,
  AnonymousBallotsSealed1795920000000,
];
