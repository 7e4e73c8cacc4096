import { layout, RenderedMail } from './render';

/** Forum notification mail: replies in watched threads, mentions, quotes. */
export interface ForumTemplates {
  'forum.notification': { displayName: string; headline: string; threadTitle: string; excerpt: string; url: string };
}

export const FORUM_TEMPLATES: { [K in keyof ForumTemplates]: (params: ForumTemplates[K]) => RenderedMail } = {
  'forum.notification': (p) =>
    layout(p.headline, {
      paragraphs: [`Hello ${p.displayName},`, `${p.headline} in "${p.threadTitle}":`, p.excerpt],
      action: { label: 'Read the post', url: p.url },
      footer: 'You can change which forum emails you receive in your notification settings.',
    }),
};
