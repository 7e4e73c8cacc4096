import { EMPTY_NOTIFY_RESULT, NotificationService, NotifyResult } from '@cophub/notifications';
import { EntityManager } from 'typeorm';
import { CommunityEvent } from '../db/event.entity';
import { promotedNotices, Recipient } from './event-mail';

export interface PromotionResult {
  promoted: string[];
  /** Notifications (and their emails) written in the transaction; dispatch after commit. */
  notices: NotifyResult;
}

export const NO_PROMOTION: PromotionResult = { promoted: [], notices: EMPTY_NOTIFY_RESULT };

/**
 * Fills free places from the head of the waitlist, in position order. Call with the event row locked
 * (its counters are read and written here); tells each promoted member "you have a place".
 */
export async function promoteFromWaitlist(
  manager: EntityManager,
  event: CommunityEvent,
  publicUrl: string,
  notifications: NotificationService,
): Promise<PromotionResult> {
  const free = event.capacity === null ? event.waitlistCount : event.capacity - event.goingCount;
  if (free <= 0 || event.waitlistCount === 0) return NO_PROMOTION;
  const promoted: Recipient[] = await manager.query(
    `WITH head AS (
       SELECT id FROM event_rsvps
        WHERE event_id = $1 AND status = 'waitlisted'
        ORDER BY waitlist_position
        LIMIT $2
     ), moved AS (
       UPDATE event_rsvps r SET status = 'going', waitlist_position = NULL, updated_at = now()
         FROM head WHERE r.id = head.id
       RETURNING r.user_id
     )
     SELECT u.id AS user_id, u.email, u.display_name FROM moved JOIN users u ON u.id = moved.user_id`,
    [event.id, free],
  );
  if (!promoted.length) return NO_PROMOTION;
  await manager.query(
    `UPDATE events SET going_count = going_count + $2, waitlist_count = waitlist_count - $2 WHERE id = $1`,
    [event.id, promoted.length],
  );
  event.goingCount += promoted.length;
  event.waitlistCount -= promoted.length;
  return {
    promoted: promoted.map((p) => p.user_id),
    notices: await notifications.notify(manager, promotedNotices(event, promoted, publicUrl)),
  };
}
