import { layout, RenderedMail } from './render';

/** Replies to mail members send in: acknowledgement, the co-chairs' decision, polite refusals. */
export interface MailInTemplates {
  'mailin.received': {
    displayName: string;
    communityName: string;
    subject: string;
    attachments: string[];
    inReplyTo?: string;
  };
  'mailin.outcome': {
    displayName: string;
    communityName: string;
    subject: string;
    outcome: 'thread' | 'resource' | 'declined';
    note?: string | null;
    url?: string | null;
  };
  /** The one polite answer to mail we cannot use; it is an automatic reply in RFC 3834's sense. */
  'mailin.refused': { subject: string; reason: string; inReplyTo?: string };
  'mail.confirm-address': { displayName: string; address: string; url: string };
  /** An emailed reply that did not prove its sender, waiting for the member's click. */
  'mailin.confirm-reply': {
    displayName: string;
    subject: string;
    communityName: string;
    text: string;
    url: string;
    hours: number;
    inReplyTo?: string;
  };
}

/** RFC 3834: automatic replies say so, so that other robots do not answer them in turn. */
function autoReply(mail: RenderedMail, inReplyTo?: string): RenderedMail {
  return {
    ...mail,
    headers: {
      'Auto-Submitted': 'auto-replied',
      ...(inReplyTo ? { 'In-Reply-To': inReplyTo, References: inReplyTo } : {}),
    },
  };
}

const OUTCOME_TEXT = {
  thread: 'was published as a forum thread',
  resource: 'was published in the resource library',
  declined: 'was not published',
} as const;

export const MAIL_IN_TEMPLATES: { [K in keyof MailInTemplates]: (params: MailInTemplates[K]) => RenderedMail } = {
  'mailin.received': (p) =>
    autoReply(
      layout(`Received: ${p.subject || '(no subject)'}`, {
        paragraphs: [
          `Hello ${p.displayName},`,
          `Thank you for sharing with ${p.communityName}. The co-chairs will review your message "${p.subject || '(no subject)'}" and you will hear from us when they decide.`,
          ...(p.attachments.length ? [`Attachments received: ${p.attachments.join(', ')}.`] : []),
        ],
      }),
      p.inReplyTo,
    ),
  'mailin.outcome': (p) =>
    layout(`Your message "${p.subject || '(no subject)'}" ${OUTCOME_TEXT[p.outcome]}`, {
      paragraphs: [
        `Hello ${p.displayName},`,
        `What you shared with ${p.communityName}, "${p.subject || '(no subject)'}", ${OUTCOME_TEXT[p.outcome]}.`,
        ...(p.note ? [`A note from the co-chairs: ${p.note}`] : []),
      ],
      ...(p.url
        ? { action: { label: p.outcome === 'resource' ? 'Open the resource' : 'Open the thread', url: p.url } }
        : {}),
    }),
  'mailin.refused': (p) =>
    autoReply(
      layout(`Not delivered: ${p.subject || '(no subject)'}`, {
        paragraphs: [
          'Hello,',
          `We could not accept your message "${p.subject || '(no subject)'}". ${p.reason}`,
          'This is an automatic reply; you will not receive another about further messages for a while.',
        ],
      }),
      p.inReplyTo,
    ),
  'mailin.confirm-reply': (p) =>
    autoReply(
      layout(`Post your reply? ${p.subject || '(no subject)'}`, {
        paragraphs: [
          `Hello ${p.displayName},`,
          `We received a reply by email from your address to a ${p.communityName} discussion, but could not confirm that your mail server sent it (it was not signed for your domain). If you wrote it, post it with the button below. If you did not, ignore this email and nothing will be posted.`,
          `The reply: ${p.text}`,
          `The link works once, for ${p.hours} hours.`,
        ],
        action: { label: 'Post this reply', url: p.url },
      }),
      p.inReplyTo,
    ),
  'mail.confirm-address': (p) =>
    layout('Confirm your email address still works', {
      paragraphs: [
        `Hello ${p.displayName},`,
        `Mail to ${p.address} bounced, so CoP Hub stopped emailing it. If this address works again, confirm it and we will start sending again.`,
      ],
      action: { label: 'Confirm my address', url: p.url },
    }),
};
