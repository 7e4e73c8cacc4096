import { escapeHtml } from '@cophub/core';

export interface UnsubscribePageContent {
  title: string;
  paragraphs: string[];
  /** A POST button; `oneClick` sends the RFC 8058 body a mail client would. */
  form?: { action: string; label: string; oneClick?: boolean; secondary?: boolean };
  settingsUrl: string;
  settingsText?: string;
}

/**
 * The NHS.UK look of the web app (blue header, Frutiger/Arial, green button with its shadow, yellow
 * focus), written out in one small stylesheet: this page is served by the API, works without the web
 * app's bundle or any script, and needs no sign-in.
 */
const STYLE = `
*{box-sizing:border-box}
body{margin:0;font-family:"Frutiger W01",Arial,sans-serif;font-size:19px;line-height:1.47;color:#212b32;background:#f0f4f5}
a{color:#005eb8}a:visited{color:#330072}a:hover{color:#7c2855}
a:focus{background:#ffeb3b;box-shadow:0 -2px #ffeb3b,0 4px #212b32;color:#212b32;outline:4px solid transparent;text-decoration:none}
.skip{position:absolute;left:-9999px}.skip:focus{left:16px;top:8px;padding:8px}
header{background:#005eb8;padding:20px 0}
.width{max-width:960px;margin:0 auto;padding:0 16px}
.logo{color:#fff;font-weight:700;font-size:24px;text-decoration:none}
.logo:visited{color:#fff}
main{padding:40px 0 56px}
.panel{background:#fff;padding:24px 32px;max-width:640px}
h1{font-size:32px;line-height:1.25;margin:0 0 24px}
p{margin:0 0 24px}
button{font-family:inherit;font-size:19px;font-weight:600;line-height:1.47;padding:12px 16px;border:2px solid transparent;border-radius:4px;
  background:#007f3b;color:#fff;box-shadow:0 4px 0 #00401e;cursor:pointer;margin-bottom:28px}
button:hover{background:#00662f}
button.secondary{background:transparent;color:#005eb8;border-color:#005eb8;box-shadow:0 4px 0 #005eb8}
button.secondary:hover{background:#d9e7f2}
button:focus{background:#ffeb3b;color:#212b32;box-shadow:0 4px 0 #212b32;outline:4px solid transparent}
footer{border-top:4px solid #005eb8;background:#d8dde0;padding:24px 0;font-size:16px}
`;

export function unsubscribePage(content: UnsubscribePageContent): string {
  const form = content.form
    ? `<form method="post" action="${escapeHtml(content.form.action)}">` +
      (content.form.oneClick ? '<input type="hidden" name="List-Unsubscribe" value="One-Click">' : '') +
      `<button type="submit"${content.form.secondary ? ' class="secondary"' : ''}>${escapeHtml(content.form.label)}</button></form>`
    : '';
  const settings = `<p>${escapeHtml(
    content.settingsText ?? 'Choose which emails you get in your notification settings.',
  ).replace('notification settings', `<a href="${escapeHtml(content.settingsUrl)}">notification settings</a>`)}</p>`;
  return [
    '<!doctype html><html lang="en"><head><meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    '<meta name="robots" content="noindex">',
    `<title>${escapeHtml(content.title)} – CoP Hub</title><style>${STYLE}</style></head><body>`,
    '<a class="skip" href="#main">Skip to main content</a>',
    `<header><div class="width"><a class="logo" href="${escapeHtml(new URL('/', content.settingsUrl).toString())}">CoP Hub</a></div></header>`,
    '<main id="main"><div class="width"><div class="panel">',
    `<h1>${escapeHtml(content.title)}</h1>`,
    ...content.paragraphs.map((p) => `<p>${escapeHtml(p)}</p>`),
    form,
    settings,
    '</div></div></main>',
    '<footer><div class="width">CoP Hub – Psychological Practitioner Communities of Practice</div></footer>',
    '</body></html>',
  ].join('');
}
