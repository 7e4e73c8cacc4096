/**
 * Preview of the Markdown a member is writing. The server renders and sanitises the real post; the
 * preview uses `marked` (loaded only when asked for) and keeps a small allow-list of tags and
 * attributes, so even a preview cannot run script.
 */
const ALLOWED = new Set([
  'P',
  'BR',
  'STRONG',
  'EM',
  'B',
  'I',
  'UL',
  'OL',
  'LI',
  'BLOCKQUOTE',
  'CODE',
  'PRE',
  'A',
  'H1',
  'H2',
  'H3',
  'H4',
  'H5',
  'H6',
  'HR',
  'DEL',
  'TABLE',
  'THEAD',
  'TBODY',
  'TR',
  'TH',
  'TD',
]);

function clean(node: Node): void {
  for (const child of [...node.childNodes]) {
    if (child.nodeType === Node.ELEMENT_NODE) {
      const element = child as Element;
      if (!ALLOWED.has(element.tagName)) {
        element.replaceWith(document.createTextNode(element.textContent ?? ''));
        continue;
      }
      for (const attribute of [...element.attributes]) {
        const keep = element.tagName === 'A' && attribute.name === 'href' && /^https?:\/\//i.test(attribute.value);
        if (!keep) element.removeAttribute(attribute.name);
      }
      if (element.tagName === 'A') element.setAttribute('rel', 'nofollow noopener noreferrer');
      clean(element);
    } else if (child.nodeType !== Node.TEXT_NODE) {
      child.remove();
    }
  }
}

export async function previewHtml(source: string): Promise<string> {
  const { marked } = await import('marked');
  const html = await marked.parse(source, { async: true, gfm: true, breaks: true });
  const doc = new DOMParser().parseFromString(`<div>${html}</div>`, 'text/html');
  const root = doc.body.firstElementChild!;
  clean(root);
  return root.innerHTML;
}

/** A display name as typed after @ to find someone by name: letters and digits only, lower-cased. */
export function nameKey(displayName: string): string {
  return displayName.replace(/[^A-Za-z0-9]/g, '').toLowerCase();
}
