import { layout, RenderedMail } from './render';

/** Event reminders, changes, cancellations and waitlist promotions. */
export interface EventsTemplates {
  'events.reminder': {
    displayName: string;
    title: string;
    when: string;
    inText: string;
    location: string;
    url: string;
    joinUrl: string | null;
    preferencesUrl: string;
    unsubscribeUrl: string;
  };
  'events.changed': {
    displayName: string;
    title: string;
    when: string;
    location: string;
    url: string;
    changes: string[];
  };
  'events.cancelled': { displayName: string; title: string; when: string; communityName: string };
  'events.promoted': { displayName: string; title: string; when: string; location: string; url: string };
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
      footer: `You are getting this because you said you are going. Turn off reminders for this event on its page, or for all events in your notification settings: ${p.preferencesUrl}`,
      unsubscribeUrl: p.unsubscribeUrl,
    }),
  'events.changed': (p) =>
    layout(`Changed: ${p.title}`, {
      paragraphs: [
        `Hello ${p.displayName},`,
        `${p.title} has changed.`,
        ...p.changes,
        `It is now: ${p.when}, ${p.location}.`,
      ],
      action: { label: 'View the event', url: p.url },
      footer: 'Your calendar will update if you subscribed to your CoP Hub feed; otherwise download the event again.',
    }),
  'events.cancelled': (p) =>
    layout(`Cancelled: ${p.title}`, {
      paragraphs: [
        `Hello ${p.displayName},`,
        `${p.title} (${p.when}) has been cancelled by the co-chairs of ${p.communityName}.`,
        'You do not need to do anything. Any reminders for it will not be sent.',
      ],
    }),
  'events.promoted': (p) =>
    layout(`You have a place: ${p.title}`, {
      paragraphs: [
        `Hello ${p.displayName},`,
        `A place came free and you have moved from the waiting list to going: ${p.title}, ${p.when}, ${p.location}.`,
        'If you can no longer come, please give the place back on the event page so the next person can have it.',
      ],
      action: { label: 'View the event', url: p.url },
    }),
};
