import { layout, NotificationLinks, RenderedMail } from './render';

/** The daily digest of notifications a member chose to receive that way. */
export interface NotificationsTemplates {
  'notifications.digest': NotificationLinks & {
    displayName: string;
    date: string;
    items: Array<{ title: string; url: string }>;
    more: number;
    inboxUrl: string;
  };
}

export const NOTIFICATIONS_TEMPLATES: {
  [K in keyof NotificationsTemplates]: (params: NotificationsTemplates[K]) => RenderedMail;
} = {
  'notifications.digest': (p) =>
    layout(
      `Your CoP Hub digest for ${p.date}: ${p.items.length + p.more} update${p.items.length + p.more === 1 ? '' : 's'}`,
      {
        paragraphs: [
          `Hello ${p.displayName},`,
          'Here is what happened in your communities since your last digest:',
          ...p.items.map((item) => `• ${item.title}: ${item.url}`),
          ...(p.more ? [`…and ${p.more} more.`] : []),
        ],
        action: { label: 'Open your notifications', url: p.inboxUrl },
        footer: 'You can choose which updates come by email, in the digest or not at all.',
        notification: p,
      },
    ),
};
