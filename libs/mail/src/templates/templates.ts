import { EVENTS_TEMPLATES, EventsTemplates } from './events.templates';
import { FORUM_TEMPLATES, ForumTemplates } from './forum.templates';
import { IDENTITY_TEMPLATES, IdentityTemplates } from './identity.templates';
import { MAIL_IN_TEMPLATES, MailInTemplates } from './mail-in.templates';
import { NOTIFICATIONS_TEMPLATES, NotificationsTemplates } from './notifications.templates';
import { POLL_TEMPLATES, PollTemplates } from './polls.templates';
import { NotificationLinks, RenderedMail } from './render';

/**
 * Every email the product sends, by name, with the parameters each needs. Each module keeps its own
 * templates in `<module>.templates.ts` and adds them here. The outbox row stores the name and
 * parameters; the worker renders at send time.
 */
export interface MailTemplates
  extends IdentityTemplates, EventsTemplates, ForumTemplates, NotificationsTemplates, PollTemplates, MailInTemplates {}

export type MailTemplateName = keyof MailTemplates;

/**
 * Account-security mail (verification, password reset and change): sent because the person asked or
 * must know, so it has no unsubscribe. Every other template is a notification and must carry
 * List-Unsubscribe and the settings link — the outbox refuses to stage one without them.
 */
export const TRANSACTIONAL_TEMPLATES: ReadonlySet<MailTemplateName> = new Set<MailTemplateName>([
  'identity.verify-email',
  'identity.password-reset',
  'identity.password-changed',
  'identity.registration-attempt',
  // A change made to the person's own account that they must hear of.
  'identity.handle-changed',
  // Answers to mail the person sent us (acknowledgement, decision, refusal) and the confirmation of a
  // bouncing address: replies to their own action, not a subscription to opt out of.
  'mailin.received',
  'mailin.outcome',
  'mailin.refused',
  'mailin.confirm-reply',
  'mail.confirm-address',
]);

export function isNotificationTemplate(name: string): boolean {
  return name in MAIL_TEMPLATES && !TRANSACTIONAL_TEMPLATES.has(name as MailTemplateName);
}

/** What the code that stages a mail provides: the outbox adds the notification links itself. */
export type StagedParams<K extends MailTemplateName> = K extends MailTemplateName
  ? Omit<MailTemplates[K], keyof NotificationLinks>
  : never;

type Renderers = { [K in MailTemplateName]: (params: MailTemplates[K]) => RenderedMail };

export const MAIL_TEMPLATES: Renderers = {
  ...IDENTITY_TEMPLATES,
  ...EVENTS_TEMPLATES,
  ...NOTIFICATIONS_TEMPLATES,
  ...FORUM_TEMPLATES,
  ...POLL_TEMPLATES,
  ...MAIL_IN_TEMPLATES,
};

export function renderMail(template: string, params: Record<string, unknown>): RenderedMail {
  const renderer = (MAIL_TEMPLATES as unknown as Record<string, (p: Record<string, unknown>) => RenderedMail>)[
    template
  ];
  if (!renderer) throw new Error(`unknown mail template ${template}`);
  // Rows staged before the settings link had its own name called it `preferencesUrl`.
  if (typeof params.preferencesUrl === 'string' && params.settingsUrl === undefined) {
    return renderer({ ...params, settingsUrl: params.preferencesUrl });
  }
  return renderer(params);
}
