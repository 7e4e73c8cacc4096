import type { NotificationRow } from '../db/notifications.repository';
import type { NotificationView } from './notification.dto';

export function toNotificationView(n: NotificationRow): NotificationView {
  return {
    id: n.id,
    kind: n.kind,
    communityId: n.communityId,
    title: n.title,
    body: n.body,
    url: n.url,
    read: Boolean(n.readAt),
    createdAt: n.createdAt,
  };
}
