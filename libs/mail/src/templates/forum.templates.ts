import { layout, RenderedMail } from './render';

/** Forum notification mail: replies in watched threads, mentions, quotes. */
export interface ForumTemplates {
  'forum.notification': {
    displayName: string;
    headline: string;
    threadTitle: string;
    excerpt: string;
    url: string;
    /** This recipient's own signed reply address for the thread, when inbound mail is on. */
    replyTo?: string;
  };
}

export const FORUM_TEMPLATES: { [K in keyof ForumTemplates]: (params: ForumTemplates[K]) => RenderedMail } = {
  'forum.notification': (p) => {
    const mail = layout(p.headline, {
      paragraphs: [
        `Hello ${p.displayName},`,
        `${p.headline} in "${p.threadTitle}":`,
        p.excerpt,
        ...(p.replyTo ? ['You can reply to this email to post your answer in the thread.'] : []),
      ],
      action: { label: 'Read the post', url: p.url },
      footer: 'You can change which forum emails you receive in your notification settings.',
    });
    return p.replyTo ? { ...mail, headers: { 'Reply-To': p.replyTo } } : mail;
  },
};
