import { Marked } from 'marked';
import sanitizeHtml from 'sanitize-html';

/** Longest Markdown source accepted anywhere (posts, descriptions); modules may set lower limits. */
export const MARKDOWN_MAX_LENGTH = 50_000;

const marked = new Marked({ gfm: true, breaks: true, async: false });

/**
 * The allow-list: text formatting, lists, quotes, code, tables and links. No images (they would load
 * third-party content into members' browsers), no inline styles, no forms, no SVG or MathML.
 */
const SANITIZE: sanitizeHtml.IOptions = {
  allowedTags: [
    'p',
    'br',
    'hr',
    'h1',
    'h2',
    'h3',
    'h4',
    'h5',
    'h6',
    'strong',
    'em',
    'del',
    's',
    'code',
    'pre',
    'blockquote',
    'ul',
    'ol',
    'li',
    'a',
    'table',
    'thead',
    'tbody',
    'tr',
    'th',
    'td',
    'span',
  ],
  allowedAttributes: {
    a: ['href', 'title', 'rel', 'target'],
    ol: ['start'],
    th: ['align'],
    td: ['align'],
    span: ['class'],
    blockquote: ['data-post-id'],
  },
  allowedClasses: { span: ['mention'] },
  allowedSchemes: ['http', 'https', 'mailto'],
  allowedSchemesByTag: {},
  allowProtocolRelative: false,
  disallowedTagsMode: 'discard',
  // Everything inside these is dropped, not shown as text.
  nonTextTags: ['script', 'style', 'textarea', 'option', 'noscript', 'svg', 'math', 'iframe', 'object', 'template'],
  transformTags: {
    a: (tagName, attribs) => ({
      tagName,
      attribs: { ...attribs, rel: 'nofollow noopener noreferrer', target: '_blank' },
    }),
  },
};

/** Markdown (or raw HTML typed by a user) to inert HTML: the only way user text reaches a page. */
export function renderMarkdown(source: string): string {
  const html = marked.parse(source, { async: false }) as string;
  return sanitizeHtml(html, SANITIZE).trim();
}

/** Plain text of some Markdown, for snippets, email bodies and search documents. */
export function markdownToText(source: string): string {
  return sanitizeHtml(marked.parse(source, { async: false }) as string, { allowedTags: [], allowedAttributes: {} })
    .replace(/\s+/g, ' ')
    .trim();
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'", nbsp: ' ' };

/**
 * Plain text that keeps the writer's line and paragraph breaks (for calendar files and emails, where
 * "Agenda:\n1. Welcome" must not become one run-on line). Block ends become newlines, list items keep
 * a dash, inline markup and tags go.
 */
export function markdownToLines(source: string): string {
  const html = (marked.parse(source, { async: false }) as string)
    .replace(/>\n/g, '>')
    // Ordered lists keep their numbers ("1. Welcome"); other list items get a dash.
    .replace(/<ol(?: start="(\d+)")?>([\s\S]*?)<\/ol>/g, (_, start: string | undefined, items: string) => {
      let n = Number(start ?? 1);
      return `<ol>${items.replace(/<li>/g, () => `<li >${n++}. `)}</ol>`;
    })
    .replace(/<li>/g, '<li>- ')
    .replace(/<br\s*\/?>/g, '\n')
    .replace(/<\/(li|tr)>/g, '$&\n')
    .replace(/<\/(p|h[1-6]|blockquote|pre|ul|ol|table)>/g, '$&\n\n');
  return sanitizeHtml(html, { allowedTags: [], allowedAttributes: {} })
    .replace(/&(amp|lt|gt|quot|#39|nbsp);/g, (_, name: string) => ENTITIES[name])
    .split('\n')
    .map((line) => line.replace(/[ \t]+/g, ' ').trim())
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}
