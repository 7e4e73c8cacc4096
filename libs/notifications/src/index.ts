export { NotificationChannel, NotificationKind } from './domain/enums';
export { Notification } from './db/notification.entity';
export { NotificationPreference } from './db/notification-preference.entity';
export { NOTIFICATION_ENTITIES } from './db/notification.entities';
export { notificationsMigrations } from './db/migrations';
export { EMPTY_NOTIFY_RESULT, NotificationService } from './services/notification.service';
export type { NotificationInput, NotifyResult } from './services/notification.service';
export { decodePrevious, encodePrevious, undoSignature, verifyUndo, verifyUnsubscribe } from './domain/unsubscribe';
export type { PreviousChannels, UnsubscribeScope } from './domain/unsubscribe';
export {
  MarkedReadView,
  MarkReadDto,
  NotificationPageView,
  NotificationPreferencesDto,
  NotificationQueryDto,
} from './contract/notification.dto';
export { toNotificationView } from './contract/notification.views';
export { DigestService } from './jobs/digest.service';
export { NotificationsModule } from './notifications.module';
export { NotificationsJobsModule } from './notifications.jobs.module';
