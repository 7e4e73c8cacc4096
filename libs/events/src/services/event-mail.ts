import { ukTimeRange } from '@cophub/core';
import type { EventChange } from '@cophub/mail';
import { NotificationInput, NotificationKind } from '@cophub/notifications';
import { EntityManager } from 'typeorm';
import { addToCalendarLinks } from '../calendar/add-to-calendar';
import { CommunityEvent } from '../entities/event.entity';
import { EventLocationKind } from '../entities/enums';
import { eventLocationText, eventPath, eventUrl } from '../domain/event-links';

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

/** What every event email says about the event: its time range with zones, place, page and calendar links. */
export function eventMailFacts(event: CommunityEvent, publicUrl: string) {
  return {
    title: event.title,
    when: ukTimeRange(event.startsAt, event.endsAt),
    location: eventLocationText(event),
    url: eventUrl(publicUrl, event.id),
    calendarLinks: addToCalendarLinks(event, publicUrl),
  };
}

/** The title, time, place and joining-link lines of a change, before → after; empty when none changed. */
export function eventChanges(before: CommunityEvent, after: CommunityEvent): EventChange[] {
  const changes: EventChange[] = [];
  if (before.title !== after.title) changes.push({ what: 'Title', before: before.title, after: after.title });
  const beforeWhen = ukTimeRange(before.startsAt, before.endsAt);
  const afterWhen = ukTimeRange(after.startsAt, after.endsAt);
  if (beforeWhen !== afterWhen) changes.push({ what: 'Time', before: beforeWhen, after: afterWhen });
  const beforePlace = eventLocationText(before);
  const afterPlace = eventLocationText(after);
  if (beforePlace !== afterPlace) changes.push({ what: 'Place', before: beforePlace, after: afterPlace });
  else if (before.joinUrl !== after.joinUrl && after.locationKind === EventLocationKind.Online) {
    changes.push({ what: 'Joining link', before: 'the old link', after: 'a new link (on the event page)' });
  }
  return changes;
}

/** Bell notifications (and emails, per each member's channel for event updates) for a changed event. */
export function changedNotices(
  event: CommunityEvent,
  recipients: Recipient[],
  changes: EventChange[],
  publicUrl: string,
): NotificationInput[] {
  const facts = eventMailFacts(event, publicUrl);
  return recipients.map((r) => ({
    userId: r.user_id,
    kind: NotificationKind.EventUpdate,
    communityId: event.communityId,
    title: `Changed: ${event.title}`,
    body: changes.map((c) => `${c.what}: ${c.before} → ${c.after}`).join('\n'),
    url: eventPath(event.id),
    data: { eventId: event.id, sequence: event.sequence },
    email: {
      to: r.email,
      template: 'events.changed' as const,
      params: { displayName: r.display_name, ...facts, changes },
      dedupeKey: `event-changed:${event.id}:${event.sequence}:${r.user_id}`,
    },
  }));
}

export function cancelledNotices(
  event: CommunityEvent,
  recipients: Recipient[],
  community: { name: string; slug: string },
  message: string | null,
  publicUrl: string,
): NotificationInput[] {
  const when = ukTimeRange(event.startsAt, event.endsAt);
  return recipients.map((r) => ({
    userId: r.user_id,
    kind: NotificationKind.EventUpdate,
    communityId: event.communityId,
    title: `Cancelled: ${event.title}`,
    body: message ?? '',
    url: eventPath(event.id),
    data: { eventId: event.id, sequence: event.sequence },
    email: {
      to: r.email,
      template: 'events.cancelled' as const,
      params: {
        displayName: r.display_name,
        title: event.title,
        when,
        communityName: community.name,
        calendarUrl: `${publicUrl}/c/${community.slug}/events`,
        message,
      },
      dedupeKey: `event-cancelled:${event.id}:${r.user_id}`,
    },
  }));
}

export function promotedNotices(
  event: CommunityEvent,
  recipients: Recipient[],
  publicUrl: string,
): NotificationInput[] {
  const facts = eventMailFacts(event, publicUrl);
  return recipients.map((r) => ({
    userId: r.user_id,
    kind: NotificationKind.EventWaitlist,
    communityId: event.communityId,
    title: `You have a place: ${event.title}`,
    url: eventPath(event.id),
    data: { eventId: event.id },
    email: {
      to: r.email,
      template: 'events.promoted' as const,
      params: { displayName: r.display_name, ...facts },
    },
  }));
}
