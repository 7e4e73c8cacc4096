import { EVENTS_TEMPLATES, EventsTemplates } from './events.templates';
import { FORUM_TEMPLATES, ForumTemplates } from './forum.templates';
import { IDENTITY_TEMPLATES, IdentityTemplates } from './identity.templates';
import { MAIL_IN_TEMPLATES, MailInTemplates } from './mail-in.templates';
import { NOTIFICATIONS_TEMPLATES, NotificationsTemplates } from './notifications.templates';
import { POLL_TEMPLATES, PollTemplates } from './polls.templates';
import { RenderedMail } from './render';

/**
 * Every email the product sends, by name, with the parameters each needs. Each module keeps its own
 * templates in `<module>.templates.ts` and adds them here. The outbox row stores the name and
 * parameters; the worker renders at send time.
 */
export interface MailTemplates
  extends IdentityTemplates, EventsTemplates, ForumTemplates, NotificationsTemplates, PollTemplates, MailInTemplates {}

export type MailTemplateName = keyof MailTemplates;

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
  return renderer(params);
}
