import type { MailOutboxService, StagedMail } from '@cophub/mail';
import { EntityManager } from 'typeorm';
import { CommunityEvent } from '../entities/event.entity';
import { eventLocationText, eventUrl } from './event-mail';
import { londonText } from './reminder-time';

export interface PromotionResult {
  promoted: string[];
  /** Outbox rows staged in the transaction; dispatch after commit. */
  mailIds: string[];
}

/**
 * Fills free places from the head of the waitlist, in position order. Call with the event row locked
 * (its counters are read and written here); stages a "you have a place" email for each promoted member.
 */
export async function promoteFromWaitlist(
  manager: EntityManager,
  event: CommunityEvent,
  publicUrl: string,
  mail: MailOutboxService,
): Promise<PromotionResult> {
  const free = event.capacity === null ? event.waitlistCount : event.capacity - event.goingCount;
  if (free <= 0 || event.waitlistCount === 0) return { promoted: [], mailIds: [] };
  const promoted: Array<{ user_id: string; email: string; display_name: string }> = await manager.query(
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
  if (!promoted.length) return { promoted: [], mailIds: [] };
  await manager.query(
    `UPDATE events SET going_count = going_count + $2, waitlist_count = waitlist_count - $2 WHERE id = $1`,
    [event.id, promoted.length],
  );
  event.goingCount += promoted.length;
  event.waitlistCount -= promoted.length;
  const mails: StagedMail[] = promoted.map((p) => ({
    to: p.email,
    template: 'events.promoted',
    params: {
      displayName: p.display_name,
      title: event.title,
      when: londonText(event.startsAt),
      location: eventLocationText(event),
      url: eventUrl(publicUrl, event.id),
    },
  }));
  return {
    promoted: promoted.map((p) => p.user_id),
    mailIds: await mail.stage(manager, mails),
  };
}
