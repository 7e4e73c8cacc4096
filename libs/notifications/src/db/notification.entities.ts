import { NotificationPreference } from './notification-preference.entity';
import { Notification } from './notification.entity';

/** The notifications module's tables, as entities: `notifications`, `notification_preferences`. */
export const NOTIFICATION_ENTITIES = [Notification, NotificationPreference];
