import type { StagedMail } from '@cophub/mail';
import { EntityManager } from 'typeorm';
import { CommunityEvent } from '../entities/event.entity';
import { EventLocationKind } from '../entities/enums';
import { londonText } from './reminder-time';

export function eventLocationText(event: Pick<CommunityEvent, 'locationKind' | 'venue'>): string {
  return event.locationKind === EventLocationKind.Online ? 'Online' : (event.venue ?? 'To be confirmed');
}

export function eventUrl(publicUrl: string, eventId: string): string {
  return `${publicUrl}/events/${eventId}`;
}

export interface Recipient {
  user_id: string;
  email: string;
  display_name: string;
}

/** Everyone with a place or on the waitlist: they are told about changes and cancellation. */
export async function attendeeRecipients(manager: EntityManager, eventId: string): Promise<Recipient[]> {
  return manager.query(
    `SELECT u.id AS user_id, u.email, u.display_name
       FROM event_rsvps r JOIN users u ON u.id = r.user_id
      WHERE r.event_id = $1 AND r.status IN ('going', 'waitlisted')
      ORDER BY r.created_at`,
    [eventId],
  );
}

export function changedMails(
  event: CommunityEvent,
  recipients: Recipient[],
  changes: string[],
  publicUrl: string,
): StagedMail[] {
  return recipients.map((r) => ({
    to: r.email,
    template: 'events.changed' as const,
    params: {
      displayName: r.display_name,
      title: event.title,
      when: londonText(event.startsAt),
      location: eventLocationText(event),
      url: eventUrl(publicUrl, event.id),
      changes,
    },
    dedupeKey: `event-changed:${event.id}:${event.sequence}:${r.user_id}`,
  }));
}
