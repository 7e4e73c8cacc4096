/** At most this many distinct @mentions per post are resolved and notified (stops a post pinging everyone). */
export const MAX_MENTIONS = 10;

/**
 * `@handle` where a handle is 3 to 30 ASCII letters, digits, `_` or `-` (identity's rule), not part of
 * an email address or a longer word. Handles inside code are still text here; we accept that rather
 * than re-parse the Markdown.
 */
const MENTION = /(^|[^\w@.])@([A-Za-z0-9][A-Za-z0-9_-]{2,29})(?![\w-])/g;

/** The distinct handles a post mentions, lower-cased, at most `MAX_MENTIONS`. */
export function extractMentionHandles(text: string): string[] {
  const handles = new Set<string>();
  for (const match of text.matchAll(MENTION)) {
    handles.add(match[2].toLowerCase());
    if (handles.size >= MAX_MENTIONS) break;
  }
  return [...handles];
}

/** A stored mention: the handle as written (lower-cased), the member's id and their handle now. */
export type MentionRef = [written: string, userId: string, currentHandle: string];

/**
 * Turns the resolved mentions in a post's sanitised HTML into links to the member's profile card,
 * written with their current handle. Only text outside tags, links and code is touched; the link is
 * built here from a checked uuid and a handle of `[A-Za-z0-9_-]` only, so it cannot carry markup.
 * Unresolved `@words` stay text.
 */
export function linkMentions(html: string, mentions: MentionRef[] | null | undefined): string {
  if (!mentions?.length) return html;
  const byWritten = new Map(mentions.map(([written, userId, current]) => [written, { userId, current }]));
  let inside = 0;
  return html
    .split(/(<[^>]*>)/)
    .map((part) => {
      if (part.startsWith('<')) {
        const tag = /^<(\/?)(a|code|pre)\b/i.exec(part);
        if (tag) inside = Math.max(0, inside + (tag[1] ? -1 : 1));
        return part;
      }
      if (inside > 0 || !part.includes('@')) return part;
      return part.replace(MENTION, (whole, lead: string, handle: string) => {
        const found = byWritten.get(handle.toLowerCase());
        if (!found || !/^[A-Za-z0-9_-]+$/.test(found.current)) return whole;
        return `${lead}<a class="mention" href="/u/${found.current}" data-user-id="${found.userId}">@${found.current}</a>`;
      });
    })
    .join('');
}
