import type { CommunityEvent } from '../db/event.entity';
import { EventLocationKind } from './enums';

export function eventLocationText(event: Pick<CommunityEvent, 'locationKind' | 'venue'>): string {
  return event.locationKind === EventLocationKind.Online ? 'Online' : (event.venue ?? 'To be confirmed');
}

export function eventPath(eventId: string): string {
  return `/events/${eventId}`;
}

export function eventUrl(publicUrl: string, eventId: string): string {
  return `${publicUrl}${eventPath(eventId)}`;
}
