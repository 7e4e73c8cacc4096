import { CommunityEvent } from '../entities/event.entity';
import { eventLocationText, eventUrl } from '../domain/event-links';
import { icsDate } from './ics';

export interface AddToCalendarLinks {
  google: string;
  outlook: string;
}

/**
 * "Add to calendar" links for Google Calendar and Outlook on the web. Both take UTC instants (as the
 * .ics does), so the calendar shows the event at the right time in whatever zone it is set to. The
 * details carry the event page's address rather than the join link, which only people going may see.
 */
export function addToCalendarLinks(
  event: Pick<CommunityEvent, 'id' | 'title' | 'startsAt' | 'endsAt' | 'locationKind' | 'venue'>,
  publicUrl: string,
): AddToCalendarLinks {
  const details = `Details and joining instructions: ${eventUrl(publicUrl, event.id)}`;
  const location = eventLocationText(event);
  const google = new URLSearchParams({
    action: 'TEMPLATE',
    text: event.title,
    dates: `${icsDate(event.startsAt)}/${icsDate(event.endsAt)}`,
    details,
    location,
  });
  const outlook = new URLSearchParams({
    path: '/calendar/action/compose',
    rru: 'addevent',
    subject: event.title,
    startdt: event.startsAt.toISOString().replace(/\.\d{3}Z$/, 'Z'),
    enddt: event.endsAt.toISOString().replace(/\.\d{3}Z$/, 'Z'),
    body: details,
    location,
  });
  return {
    google: `https://calendar.google.com/calendar/render?${google.toString()}`,
    outlook: `https://outlook.office.com/calendar/0/deeplink/compose?${outlook.toString()}`,
  };
}
