import { layout, MailLink, NotificationLinks, RenderedMail } from './render';

/** "Add to calendar" links for Google Calendar and Outlook on the web. */
export interface CalendarLinks {
  google: string;
  outlook: string;
}

/** One thing that changed about an event, written out before and after ("Time", old → new). */
export interface EventChange {
  what: string;
  before: string;
  after: string;
}

/** Event reminders, changes, cancellations, waitlist promotions and RSVP confirmations. */
export interface EventsTemplates {
  'events.reminder': NotificationLinks & {
    displayName: string;
    title: string;
    when: string;
    inText: string;
    location: string;
    url: string;
    joinUrl: string | null;
    calendarLinks?: CalendarLinks;
  };
  'events.changed': NotificationLinks & {
    displayName: string;
    title: string;
    when: string;
    location: string;
    url: string;
    /** Older messages carried sentences; newer ones carry each change before and after. */
    changes: Array<EventChange | string>;
    calendarLinks?: CalendarLinks;
  };
  'events.cancelled': NotificationLinks & {
    displayName: string;
    title: string;
    when: string;
    communityName: string;
    /** The community's calendar page. */
    calendarUrl?: string;
    /** What the co-chair said when cancelling, if anything. */
    message?: string | null;
  };
  'events.promoted': NotificationLinks & {
    displayName: string;
    title: string;
    when: string;
    location: string;
    url: string;
    calendarLinks?: CalendarLinks;
  };
  'events.rsvp-confirmed': NotificationLinks & {
    displayName: string;
    title: string;
    when: string;
    location: string;
    url: string;
    status: 'going' | 'waitlisted';
    waitlistPlace: number | null;
    joinUrl: string | null;
    calendarLinks: CalendarLinks;
    /** The event's .ics as it stood when the member replied, attached to the email. */
    ics: string;
    icsFileName: string;
  };
}

function calendarLinkList(links: CalendarLinks | undefined): MailLink[] {
  return links
    ? [
        { label: 'Add to Google Calendar', url: links.google },
        { label: 'Add to Outlook calendar', url: links.outlook },
      ]
    : [];
}

function changeText(change: EventChange | string): string {
  return typeof change === 'string' ? change : `${change.what}: ${change.before} → ${change.after}`;
}

export const EVENTS_TEMPLATES: { [K in keyof EventsTemplates]: (params: EventsTemplates[K]) => RenderedMail } = {
  'events.reminder': (p) =>
    layout(`Reminder: ${p.title} starts in ${p.inText}`, {
      paragraphs: [
        `Hello ${p.displayName},`,
        `${p.title} starts in ${p.inText}: ${p.when}.`,
        `Where: ${p.location}`,
        ...(p.joinUrl ? [`Join online: ${p.joinUrl}`] : []),
      ],
      action: { label: 'View the event', url: p.url },
      links: calendarLinkList(p.calendarLinks),
      footer:
        'You are getting this because you said you are going. Turn off reminders for this event on its page, or for all events in your notification settings.',
      notification: p,
    }),
  'events.changed': (p) =>
    layout(`Changed: ${p.title}`, {
      paragraphs: [
        `Hello ${p.displayName},`,
        `${p.title} has changed.`,
        ...p.changes.map(changeText),
        `It is now: ${p.when}, ${p.location}.`,
      ],
      action: { label: 'View the event', url: p.url },
      links: calendarLinkList(p.calendarLinks),
      footer:
        'Your calendar will update if you subscribed to your CoP Hub feed; otherwise add the event again with the new details.',
      notification: p,
    }),
  'events.cancelled': (p) =>
    layout(`Cancelled: ${p.title}`, {
      paragraphs: [
        `Hello ${p.displayName},`,
        `${p.title} (${p.when}) has been cancelled by the co-chairs of ${p.communityName}.`,
        ...(p.message ? [`Their message: ${p.message}`] : []),
        'You do not need to do anything. Any reminders for it will not be sent. If you added it to your calendar, you can remove it.',
      ],
      ...(p.calendarUrl ? { action: { label: `See other ${p.communityName} events`, url: p.calendarUrl } } : {}),
      notification: p,
    }),
  'events.promoted': (p) =>
    layout(`You have a place: ${p.title}`, {
      paragraphs: [
        `Hello ${p.displayName},`,
        `A place came free and you have moved from the waiting list to going: ${p.title}, ${p.when}, ${p.location}.`,
        'If you can no longer come, please give the place back on the event page so the next person can have it.',
      ],
      action: { label: 'View the event', url: p.url },
      links: calendarLinkList(p.calendarLinks),
      notification: p,
    }),
  'events.rsvp-confirmed': (p) =>
    layout(p.status === 'going' ? `You are going: ${p.title}` : `You are on the waiting list: ${p.title}`, {
      paragraphs: [
        `Hello ${p.displayName},`,
        p.status === 'going'
          ? `You have a place at ${p.title}.`
          : `${p.title} is full. You are number ${p.waitlistPlace ?? '?'} on the waiting list; we will email you if a place comes up.`,
        `When: ${p.when}`,
        `Where: ${p.location}`,
        ...(p.status === 'going' && p.joinUrl ? [`Join online: ${p.joinUrl}`] : []),
        'The event is attached as a calendar file (.ics) you can open to add it to your calendar.',
      ],
      action: { label: 'View the event', url: p.url },
      links: calendarLinkList(p.calendarLinks),
      footer: 'If you can no longer come, change your reply on the event page.',
      notification: p,
      attachments: [
        { filename: p.icsFileName, contentType: 'text/calendar; charset=utf-8; method=PUBLISH', content: p.ics },
      ],
    }),
};
