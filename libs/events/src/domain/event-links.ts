import type { CommunityEvent } from '../entities/event.entity';
import { EventLocationKind } from '../entities/enums';

/** Where an event takes place, as emails, calendar files and calendar links show it. */
export function eventLocationText(event: Pick<CommunityEvent, 'locationKind' | 'venue'>): string {
  return event.locationKind === EventLocationKind.Online ? 'Online' : (event.venue ?? 'To be confirmed');
}

/** The event's page in the web app (a path, for in-app notifications). */
export function eventPath(eventId: string): string {
  return `/events/${eventId}`;
}

/** The event's page in the web app (a full address, for emails and calendars). */
export function eventUrl(publicUrl: string, eventId: string): string {
  return `${publicUrl}${eventPath(eventId)}`;
}
