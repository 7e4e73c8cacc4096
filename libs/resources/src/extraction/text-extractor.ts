import yauzl, { Entry, ZipFile } from 'yauzl';
import { markdownToText } from '@cophub/core';
import { readEntry } from '../files/content-inspector';
import type { FileKind } from '../files/file-kinds';

/** Extracted text kept for search; beyond this a document's tail is not searchable (stated in docs). */
export const MAX_EXTRACTED_CHARS = 500_000;
/** Largest single XML part read from an Office document. */
const MAX_PART_BYTES = 50 * 1024 * 1024;

function cap(text: string): string {
  const clean = text
    .replace(/\u0000/g, '')
    .replace(/[ \t\f\v]+/g, ' ')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
  return clean.length > MAX_EXTRACTED_CHARS ? clean.slice(0, MAX_EXTRACTED_CHARS) : clean;
}

// pdfjs is large; load it on first use so the API (which never extracts) does not pay for it.
type PdfJs = typeof import('pdfjs-dist');
let pdfjs: PdfJs | null = null;
function loadPdfJs(): PdfJs {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  pdfjs ??= require('pdfjs-dist/legacy/build/pdf.js') as PdfJs;
  return pdfjs;
}

export async function extractPdf(data: Buffer): Promise<string> {
  const { getDocument } = loadPdfJs();
  const task = getDocument({
    data: new Uint8Array(data.buffer, data.byteOffset, data.byteLength),
    isEvalSupported: false,
    disableFontFace: true,
    useSystemFonts: false,
    verbosity: 0,
  });
  const doc = await task.promise;
  try {
    const pages: string[] = [];
    let length = 0;
    for (let n = 1; n <= doc.numPages && length < MAX_EXTRACTED_CHARS; n += 1) {
      const page = await doc.getPage(n);
      const content = await page.getTextContent();
      const text = content.items.map((item) => ('str' in item ? item.str + (item.hasEOL ? '\n' : '') : '')).join('');
      pages.push(text);
      length += text.length;
      page.cleanup();
    }
    return cap(pages.join('\n\n'));
  } finally {
    await doc.destroy();
  }
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

/** Text of an Office XML part: paragraph and cell ends become line breaks, tags are dropped. */
export function xmlToText(xml: string): string {
  return xml
    .replace(/<\/(w:p|a:p|text:p|text:h|si|c|row)>/g, '\n')
    .replace(/<(w:tab|text:tab|text:s)\b[^>]*\/>/g, ' ')
    .replace(/<[^>]*>/g, '')
    .replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, code: string) => {
      if (code[0] === '#') {
        const n = code[1] === 'x' || code[1] === 'X' ? parseInt(code.slice(2), 16) : parseInt(code.slice(1), 10);
        return Number.isFinite(n) && n > 0 && n < 0x110000 ? String.fromCodePoint(n) : ' ';
      }
      return ENTITIES[code.toLowerCase()] ?? whole;
    });
}

const PARTS: Partial<Record<FileKind, RegExp>> = {
  docx: /^word\/(document|footnotes|endnotes|header\d*|footer\d*)\.xml$/,
  pptx: /^ppt\/(slides\/slide\d+|notesSlides\/notesSlide\d+)\.xml$/,
  xlsx: /^xl\/sharedStrings\.xml$/,
  odt: /^content\.xml$/,
};

function partOrder(name: string): number {
  const n = /(\d+)\.xml$/.exec(name);
  return n ? Number(n[1]) : 0;
}

export async function extractOffice(data: Buffer, kind: FileKind): Promise<string> {
  const wanted = PARTS[kind];
  if (!wanted) return '';
  const zip = await new Promise<ZipFile>((resolve, reject) =>
    yauzl.fromBuffer(data, { lazyEntries: true, autoClose: false }, (error, z) =>
      error || !z ? reject(error ?? new Error('no zip')) : resolve(z),
    ),
  );
  try {
    const entries: Entry[] = [];
    await new Promise<void>((resolve, reject) => {
      zip.on('entry', (entry: Entry) => {
        if (wanted.test(entry.fileName)) entries.push(entry);
        zip.readEntry();
      });
      zip.on('end', resolve);
      zip.on('error', reject);
      zip.readEntry();
    });
    // slide2 before slide10: order by the part's family, then its number.
    const family = (name: string) => name.replace(/\d+\.xml$/, '');
    entries.sort(
      (a, b) => family(a.fileName).localeCompare(family(b.fileName)) || partOrder(a.fileName) - partOrder(b.fileName),
    );
    const texts: string[] = [];
    let length = 0;
    for (const entry of entries) {
      if (length >= MAX_EXTRACTED_CHARS) break;
      const text = xmlToText((await readEntry(zip, entry, MAX_PART_BYTES)).toString('utf8'));
      texts.push(text);
      length += text.length;
    }
    return cap(texts.join('\n'));
  } finally {
    zip.close();
  }
}

/** Text for search from a stored file of a known kind; '' for kinds with no text (images). */
export async function extractText(data: Buffer, kind: FileKind): Promise<string> {
  switch (kind) {
    case 'pdf':
      return extractPdf(data);
    case 'docx':
    case 'pptx':
    case 'xlsx':
    case 'odt':
      return extractOffice(data, kind);
    case 'text':
      return cap(data.toString('utf8'));
    case 'markdown':
      return cap(markdownToText(data.toString('utf8')));
    default:
      return '';
  }
}
