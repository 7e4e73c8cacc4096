import type { MigrationClass } from '@cophub/core';
import { Notifications1795339911860 } from './1795339911860-Notifications';
import { NotificationKinds1795755728234 } from './1795755728234-NotificationKinds';
import { AnnouncementNotifications1795840000000 } from './1795840000000-AnnouncementNotifications';

/** The notifications module's migrations, oldest first: its tables only. */
export const notificationsMigrations: MigrationClass[] = [
  Notifications1795339911860,
  NotificationKinds1795755728234,
  AnnouncementNotifications1795840000000,
];
