import { ukDateTime } from '@cophub/core';
import { layout, NotificationLinks, RenderedMail } from './render';

/** Poll invitations and reminders. */
export interface PollTemplates {
  'poll.invitation': NotificationLinks & {
    displayName: string;
    communityName: string;
    pollTitle: string;
    url: string;
    closesAt: string | null;
    anonymous: boolean;
    /** The community's smallest group shown in results (anonymous polls); 5 when absent. */
    threshold?: number;
  };
  'poll.reminder': NotificationLinks & {
    displayName: string;
    communityName: string;
    pollTitle: string;
    url: string;
    closesAt: string | null;
  };
}

const closing = (closesAt: string | null) =>
  closesAt ? `It closes on ${ukDateTime(new Date(closesAt))}.` : 'It stays open until the co-chairs close it.';

export const POLL_TEMPLATES: { [K in keyof PollTemplates]: (params: PollTemplates[K]) => RenderedMail } = {
  'poll.invitation': (p) =>
    layout(`Have your say: ${p.pollTitle}`, {
      paragraphs: [
        `Hello ${p.displayName},`,
        `The co-chairs of ${p.communityName} would like your view: "${p.pollTitle}".`,
        p.anonymous
          ? 'Your answers are anonymous: they are stored sealed, with nothing that links them to you, so nobody, including the co-chairs and the system’s operators, can see what you answered.'
          : 'This poll is named: the co-chairs will see your answers.',
        ...(p.anonymous
          ? [
              `Counts are shown from the close, only for groups of at least ${p.threshold ?? 5} people, and each count is moved by a small random amount (up to 2) so that nobody’s answer can be worked out, even by someone who knows their own answer.`,
            ]
          : []),
        closing(p.closesAt),
      ],
      action: { label: 'Answer the poll', url: p.url },
      notification: p,
    }),
  'poll.reminder': (p) =>
    layout(`Reminder: ${p.pollTitle}`, {
      paragraphs: [
        `Hello ${p.displayName},`,
        `You have not yet answered "${p.pollTitle}" in ${p.communityName}.`,
        closing(p.closesAt),
      ],
      action: { label: 'Answer the poll', url: p.url },
      footer: 'You are receiving this because you are in the poll’s audience and have not responded.',
      notification: p,
    }),
};
