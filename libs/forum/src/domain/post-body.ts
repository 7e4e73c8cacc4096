import { renderMarkdown } from '@cophub/core';
import { POST_MAX_LENGTH } from '../db/enums';
import { ForumError, ForumErrorCode } from '../errors/forum.error';

export interface RenderedBody {
  source: string;
  html: string;
  /** Plain text (entities decoded) for the search document and notification excerpts. */
  text: string;
}

function decodeEntities(text: string): string {
  return text
    .replace(/&#(\d+);/g, (_, n: string) => String.fromCodePoint(Number(n)))
    .replace(/&#x([0-9a-f]+);/gi, (_, n: string) => String.fromCodePoint(parseInt(n, 16)))
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, '&');
}

/**
 * Plain text of sanitised HTML. Sanitiser output is well-formed and escapes `<` and `>` everywhere
 * but in its own tags, so dropping tags is exact; block elements are already separated by newlines,
 * line breaks become spaces.
 */
function textOfSanitisedHtml(html: string): string {
  return decodeEntities(
    html
      .replace(/<br\s*\/?>/g, ' ')
      .replace(/<[^>]*>/g, '')
      .replace(/\s+/g, ' ')
      .trim(),
  );
}

/**
 * Checks and renders a post body: not blank, not over the limit, HTML only through the sanitiser.
 * The Markdown is parsed and sanitised once (the sanitiser is most of a reply's CPU); the plain
 * text is taken from the sanitised HTML, so it is exactly what readers see.
 */
export function renderPostBody(source: string): RenderedBody {
  if (source.length > POST_MAX_LENGTH) {
    throw new ForumError(ForumErrorCode.PostTooLong, `A post can be at most ${POST_MAX_LENGTH} characters`);
  }
  const html = renderMarkdown(source);
  const text = textOfSanitisedHtml(html);
  if (!source.trim() || (!text && !html)) throw new ForumError(ForumErrorCode.EmptyPost, 'A post cannot be empty');
  return { source, html, text };
}

/** A quote of another post, wrapped around its (already sanitised) HTML; the post id is a checked uuid. */
export function quoteHtml(postId: string, authorName: string, quotedHtml: string): string {
  const safeName = authorName.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
  return `<blockquote data-post-id="${postId}"><p><strong>${safeName}</strong> wrote:</p>${quotedHtml}</blockquote>`;
}
