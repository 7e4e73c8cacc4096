import { escapeHtml } from '@cophub/core';

export interface MailAttachment {
  filename: string;
  contentType: string;
  content: string;
}

export interface RenderedMail {
  subject: string;
  text: string;
  html: string;
  /** RFC 8058 one-click unsubscribe URL, sent as List-Unsubscribe with List-Unsubscribe-Post. */
  listUnsubscribe?: string;
  attachments?: MailAttachment[];
  /** Extra header fields: a per-recipient Reply-To, or Auto-Submitted on automatic replies (RFC 3834). */
  headers?: Record<string, string>;
}

/**
 * Links every notification email carries, filled in by the outbox when the mail is staged (see
 * `StagedMail.unsubscribe`): the member's notification settings and a one-click unsubscribe for this
 * kind of email.
 */
export interface NotificationLinks {
  settingsUrl: string;
  unsubscribeUrl: string;
}

export interface MailLink {
  label: string;
  url: string;
}

export interface MailBlock {
  paragraphs: string[];
  action?: MailLink;
  /** Further links, shown as a list under the main button (add to calendar, the calendar page). */
  links?: MailLink[];
  footer?: string;
  /** Present on every notification email: settings link in the footer, unsubscribe link and header. */
  notification?: Partial<NotificationLinks>;
  attachments?: MailAttachment[];
}

const LINK_STYLE = 'color:#005eb8';

/** One plain, accessible layout for every message (NHS-blue header, green button, readable without images). */
export function layout(subject: string, block: MailBlock): RenderedMail {
  const settingsUrl = block.notification?.settingsUrl;
  const unsubscribeUrl = block.notification?.unsubscribeUrl;
  const textParts = [...block.paragraphs];
  if (block.action) textParts.push(`${block.action.label}: ${block.action.url}`);
  if (block.links?.length) textParts.push(block.links.map((l) => `${l.label}: ${l.url}`).join('\n'));
  const footerText = [
    block.footer,
    settingsUrl ? `Choose which emails you get in your notification settings: ${settingsUrl}` : '',
    unsubscribeUrl ? `Unsubscribe from these emails: ${unsubscribeUrl}` : '',
  ].filter(Boolean);
  if (footerText.length) textParts.push(`--\n${footerText.join('\n')}`);
  const html = [
    '<!doctype html><html lang="en"><head><meta charset="utf-8">',
    `<title>${escapeHtml(subject)}</title></head>`,
    '<body style="font-family:Arial,sans-serif;font-size:16px;line-height:1.5;color:#212b32;max-width:600px;margin:0 auto;padding:16px">',
    '<p style="background:#005eb8;color:#fff;font-weight:bold;font-size:19px;padding:8px 16px;margin:0 0 16px">CoP Hub</p>',
    ...block.paragraphs.map((p) => `<p>${escapeHtml(p).replace(/\n/g, '<br>')}</p>`),
    block.action
      ? `<p><a href="${escapeHtml(block.action.url)}" style="display:inline-block;background:#007f3b;color:#fff;padding:8px 16px;text-decoration:none;font-weight:bold">${escapeHtml(block.action.label)}</a></p>` +
        `<p style="font-size:14px">If the button does not work, copy this address into your browser:<br>${escapeHtml(block.action.url)}</p>`
      : '',
    block.links?.length
      ? `<ul>${block.links.map((l) => `<li><a href="${escapeHtml(l.url)}" style="${LINK_STYLE}">${escapeHtml(l.label)}</a></li>`).join('')}</ul>`
      : '',
    block.footer || settingsUrl || unsubscribeUrl ? '<hr>' : '',
    block.footer ? `<p style="font-size:14px;color:#4c6272">${escapeHtml(block.footer)}</p>` : '',
    settingsUrl
      ? `<p style="font-size:14px;color:#4c6272">Choose which emails you get in your <a href="${escapeHtml(settingsUrl)}" style="${LINK_STYLE}">notification settings</a>.</p>`
      : '',
    unsubscribeUrl
      ? `<p style="font-size:14px"><a href="${escapeHtml(unsubscribeUrl)}" style="${LINK_STYLE}">Unsubscribe from these emails</a></p>`
      : '',
    '</body></html>',
  ].join('');
  return {
    subject,
    text: textParts.join('\n\n') + '\n',
    html,
    ...(unsubscribeUrl ? { listUnsubscribe: unsubscribeUrl } : {}),
    ...(block.attachments?.length ? { attachments: block.attachments } : {}),
  };
}
