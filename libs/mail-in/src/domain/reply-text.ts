import EmailReplyParser from 'email-reply-parser';

/**
 * Where the quoted conversation starts, for the clients our members use. email-reply-parser knows
 * Gmail's "On … wrote:" and signatures; these cover what it misses: Outlook's header block (desktop
 * and web, with or without bold markers), its dashed separators, Apple Mail's attribution on its own
 * line, and mobile footers.
 */
const QUOTE_STARTS: RegExp[] = [
  // Outlook desktop / web: "From: Name <a@b>" followed within a few lines by "Sent:" or "Date:".
  /^\s*\**From:\**\s.+\n(?:.*\n){0,3}?\s*\**(?:Sent|Date):\**\s/im,
  /^\s*-{2,}\s*Original Message\s*-{2,}\s*$/im,
  /^\s*_{10,}\s*$/m,
  // Gmail, Apple Mail: "On Tue, 3 Mar 2026 at 10:00, Name <a@b> wrote:" (may wrap onto the next line).
  /^\s*On\s[^\n]{0,200}(?:\n[^\n]{0,200})?\swrote:\s*$/im,
  /^\s*On\s.{0,200}(?:<[^>\n]+>)?\s*$\n^.{0,200}wrote:\s*$/im,
  /^\s*Le\s.{0,200}a écrit\s*:\s*$/im,
  // Any run of quoted lines.
  /^\s*>/m,
];

const SIGNATURE_STARTS: RegExp[] = [
  /^--\s?$/m,
  /^\s*Sent from my (?:iPhone|iPad|Android|mobile|Samsung|Galaxy)\b.*$/im,
  /^\s*Sent from (?:Outlook|Mail) for (?:iOS|Android|Windows)\b.*$/im,
  /^\s*Get Outlook for (?:iOS|Android)\b.*$/im,
];

function cutAtFirst(text: string, patterns: RegExp[]): string {
  let end = text.length;
  for (const pattern of patterns) {
    const match = pattern.exec(text);
    if (match && match.index < end) end = match.index;
  }
  return text.slice(0, end);
}

/**
 * The new text of a reply: quoted text, attribution lines and signature removed, whitespace tidied.
 * An empty result means there was nothing new to post.
 */
export function extractReplyText(body: string): string {
  const normalised = body.replace(/\r\n?/g, '\n').replace(/\u00a0/g, ' ');
  const ours = cutAtFirst(normalised, [...QUOTE_STARTS, ...SIGNATURE_STARTS]);
  let visible: string;
  try {
    visible = new EmailReplyParser().read(ours).getVisibleText();
  } catch {
    visible = ours;
  }
  // The library keeps what it cannot classify; our own cut is the stricter of the two.
  const text = visible.length <= ours.length ? visible : ours;
  return text
    .split('\n')
    .map((line) => line.replace(/\s+$/, ''))
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}
