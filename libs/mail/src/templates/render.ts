export interface RenderedMail {
  subject: string;
  text: string;
  html: string;
  /** RFC 8058 one-click unsubscribe URL, sent as List-Unsubscribe with List-Unsubscribe-Post. */
  listUnsubscribe?: string;
  /** Extra header fields: a per-recipient Reply-To, or Auto-Submitted on automatic replies (RFC 3834). */
  headers?: Record<string, string>;
}

export function escapeHtml(value: unknown): string {
  return String(value ?? '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

export interface MailBlock {
  paragraphs: string[];
  action?: { label: string; url: string };
  footer?: string;
  unsubscribeUrl?: string;
}

/** One plain, accessible layout for every message (NHS-blue button, readable without images). */
export function layout(subject: string, block: MailBlock): RenderedMail {
  const textParts = [...block.paragraphs];
  if (block.action) textParts.push(`${block.action.label}: ${block.action.url}`);
  if (block.footer) textParts.push(`--\n${block.footer}`);
  if (block.unsubscribeUrl) textParts.push(`Unsubscribe: ${block.unsubscribeUrl}`);
  const html = [
    '<!doctype html><html lang="en"><head><meta charset="utf-8">',
    `<title>${escapeHtml(subject)}</title></head>`,
    '<body style="font-family:Arial,sans-serif;font-size:16px;line-height:1.5;color:#212b32;max-width:600px;margin:0 auto;padding:16px">',
    '<p style="font-weight:bold;color:#005eb8;font-size:19px">CoP Hub</p>',
    ...block.paragraphs.map((p) => `<p>${escapeHtml(p)}</p>`),
    block.action
      ? `<p><a href="${escapeHtml(block.action.url)}" style="display:inline-block;background:#007f3b;color:#fff;padding:8px 16px;text-decoration:none;font-weight:bold">${escapeHtml(block.action.label)}</a></p>` +
        `<p style="font-size:14px">If the button does not work, copy this address into your browser:<br>${escapeHtml(block.action.url)}</p>`
      : '',
    block.footer ? `<hr><p style="font-size:14px;color:#4c6272">${escapeHtml(block.footer)}</p>` : '',
    block.unsubscribeUrl
      ? `<p style="font-size:14px"><a href="${escapeHtml(block.unsubscribeUrl)}">Unsubscribe from these emails</a></p>`
      : '',
    '</body></html>',
  ].join('');
  return {
    subject,
    text: textParts.join('\n\n') + '\n',
    html,
    ...(block.unsubscribeUrl ? { listUnsubscribe: block.unsubscribeUrl } : {}),
  };
}
