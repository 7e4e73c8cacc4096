import type { MigrationClass } from '@cophub/core';
import { Foundation1795339334972 } from './1795339334972-Foundation';
import { AccountClosure1795425928291 } from './1795425928291-AccountClosure';
import { CommunityOverview1795759440713 } from './1795759440713-CommunityOverview';
import { MemberHandles1795850100000 } from './1795850100000-MemberHandles';
import { ReservedHandleLookalikes1795910000000 } from './1795910000000-ReservedHandleLookalikes';

/**
 * Identity's migrations, oldest first. `Foundation` also created audit's `audit_log` and mail's `mail_outbox`,
 * `MemberHandles` forum's `forum_post_mentions` and the forum triggers on `users`, and `ReservedHandleLookalikes`
 * wrote `notifications` and `mail_outbox` rows (docs/architecture.md, historic migrations): they are kept as they
 * ran. New migrations here touch identity's tables only.
 */
export const identityMigrations: MigrationClass[] = [
  Foundation1795339334972,
  AccountClosure1795425928291,
  CommunityOverview1795759440713,
  MemberHandles1795850100000,
  ReservedHandleLookalikes1795910000000,
];
