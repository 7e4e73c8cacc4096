import { layout, NotificationLinks, RenderedMail } from './render';

/** Forum notification mail: replies in watched threads, mentions, quotes; flags for moderators. */
export interface ForumTemplates {
  'forum.notification': NotificationLinks & {
    displayName: string;
    headline: string;
    threadTitle: string;
    excerpt: string;
    url: string;
    /** This recipient's own signed reply address for the thread, when inbound mail is on. */
    replyTo?: string;
  };
  'forum.flagged': NotificationLinks & {
    displayName: string;
    communityName: string;
    threadTitle: string;
    excerpt: string;
    reason: string;
    /** The flagged post in its thread. */
    postUrl: string;
    /** The community's moderation queue. */
    queueUrl: string;
  };
  'forum.announcement': NotificationLinks & {
    displayName: string;
    communityName: string;
    senderName: string;
    title: string;
    /** The announcement as plain text (from the sanitised HTML), cut if very long. */
    text: string;
    url: string;
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
      notification: p,
    });
    return p.replyTo ? { ...mail, headers: { 'Reply-To': p.replyTo } } : mail;
  },
  'forum.flagged': (p) =>
    layout(`A post was reported in ${p.communityName}`, {
      paragraphs: [
        `Hello ${p.displayName},`,
        `A member reported a post in "${p.threadTitle}" for moderators to look at.`,
        `Reason given: ${p.reason}`,
        `The post: ${p.excerpt}`,
      ],
      action: { label: 'Open the moderation queue', url: p.queueUrl },
      links: [{ label: 'See the post in its thread', url: p.postUrl }],
      footer: 'You are getting this because you are a moderator or co-chair of this community.',
      notification: p,
    }),
  'forum.announcement': (p) =>
    layout(`${p.communityName}: ${p.title}`, {
      paragraphs: [
        `Hello ${p.displayName},`,
        `${p.senderName} posted an announcement in ${p.communityName}:`,
        p.title,
        p.text,
      ],
      action: { label: 'Read the announcement', url: p.url },
      footer: `You are getting this because you are a member of ${p.communityName}.`,
      notification: p,
    }),
};
