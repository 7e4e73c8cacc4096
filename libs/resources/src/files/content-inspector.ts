import { createReadStream } from 'node:fs';
import yauzl, { Entry, ZipFile } from 'yauzl';
import { ResourceError, ResourceErrorCode } from '../errors/resource.error';
import { extensionOf, checkFileName } from './file-name';
import { FILE_KINDS, FileKind } from './file-kinds';

/** What the first bytes say a file is; `zip` and `text` need a look at the whole file to decide. */
export type MagicKind = 'pdf' | 'png' | 'jpeg' | 'zip' | 'text';

/** Bytes needed to decide on the magic number. */
export const MAGIC_BYTES = 8;

export function sniffMagic(head: Buffer): MagicKind | null {
  if (head.subarray(0, 5).toString('latin1') === '%PDF-') return 'pdf';
  if (head.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) return 'png';
  if (head[0] === 0xff && head[1] === 0xd8 && head[2] === 0xff) return 'jpeg';
  if (head.subarray(0, 4).equals(Buffer.from([0x50, 0x4b, 0x03, 0x04]))) return 'zip';
  if (!head.includes(0)) return 'text';
  return null;
}

export interface ZipLimits {
  /** Sum of every entry's uncompressed size. */
  maxTotalUncompressed: number;
  /** Uncompressed / compressed, for the whole archive and for any entry over 1 MB. */
  maxRatio: number;
  maxEntries: number;
}

export const DEFAULT_ZIP_LIMITS: ZipLimits = {
  maxTotalUncompressed: 200 * 1024 * 1024,
  maxRatio: 100,
  maxEntries: 5000,
};

const unsupported = (message: string) => new ResourceError(ResourceErrorCode.UnsupportedType, message);

function openZip(path: string): Promise<ZipFile> {
  return new Promise((resolve, reject) =>
    yauzl.open(path, { lazyEntries: true, autoClose: false, strictFileNames: true }, (error, zip) =>
      error || !zip ? reject(error ?? new Error('no zip')) : resolve(zip),
    ),
  );
}

export function readEntry(zip: ZipFile, entry: Entry, maxBytes: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    if (entry.uncompressedSize > maxBytes) return reject(new Error(`${entry.fileName} is too large`));
    zip.openReadStream(entry, (error, stream) => {
      if (error || !stream) return reject(error ?? new Error('no stream'));
      const chunks: Buffer[] = [];
      let total = 0;
      stream.on('data', (chunk: Buffer) => {
        total += chunk.length;
        // yauzl also checks the real size against the declared one; this is a second fence.
        if (total > maxBytes) stream.destroy(new Error(`${entry.fileName} is too large`));
        else chunks.push(chunk);
      });
      stream.on('error', reject);
      stream.on('end', () => resolve(Buffer.concat(chunks)));
    });
  });
}

/**
 * Decides which Office/OpenDocument format a zip is, by its entries, and refuses zip bombs from the
 * central directory before anything is decompressed (sizes there can lie, but yauzl checks each
 * entry's real size against them whenever one is read, so they bound the work of extraction too).
 */
export async function inspectZip(path: string, limits: ZipLimits = DEFAULT_ZIP_LIMITS): Promise<FileKind> {
  let zip: ZipFile;
  try {
    zip = await openZip(path);
  } catch {
    throw unsupported('The file looks like a zip archive but cannot be read');
  }
  try {
    const names = new Set<string>();
    let totalUncompressed = 0;
    let totalCompressed = 0;
    let mimetype: Entry | null = null;
    if (zip.entryCount > limits.maxEntries) throw unsupported('The archive has too many entries');
    await new Promise<void>((resolve, reject) => {
      zip.on('entry', (entry: Entry) => {
        totalUncompressed += entry.uncompressedSize;
        totalCompressed += entry.compressedSize;
        const ratio = entry.uncompressedSize / Math.max(1, entry.compressedSize);
        if (
          totalUncompressed > limits.maxTotalUncompressed ||
          (entry.uncompressedSize > 1024 * 1024 && ratio > limits.maxRatio)
        ) {
          return reject(unsupported('The document expands to far more data than a real document would (a zip bomb?)'));
        }
        names.add(entry.fileName);
        if (entry.fileName === 'mimetype') mimetype = entry;
        zip.readEntry();
      });
      zip.on('end', () => resolve());
      zip.on('error', () => reject(unsupported('The file looks like a zip archive but is damaged')));
      zip.readEntry();
    });
    if (totalUncompressed > 1024 * 1024 && totalUncompressed / Math.max(1, totalCompressed) > limits.maxRatio) {
      throw unsupported('The document expands to far more data than a real document would (a zip bomb?)');
    }
    if (names.has('[Content_Types].xml')) {
      if (names.has('word/document.xml')) return 'docx';
      if (names.has('ppt/presentation.xml')) return 'pptx';
      if (names.has('xl/workbook.xml')) return 'xlsx';
    }
    if (mimetype) {
      const value = (await readEntry(zip, mimetype, 256)).toString('latin1').trim();
      if (value === 'application/vnd.oasis.opendocument.text') return 'odt';
    }
    throw unsupported(
      'Only Word (.docx), PowerPoint (.pptx), Excel (.xlsx) and OpenDocument text (.odt) archives are accepted',
    );
  } finally {
    zip.close();
  }
}

const MARKUP = /^\s*<(!doctype|html|head|body|script|svg|\?xml|iframe|object|embed|meta|style|link|form)\b/i;

/** Accepts only valid UTF-8 with no NUL bytes, and refuses markup and scripts that pose as text. */
export async function inspectText(path: string): Promise<void> {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  let head = '';
  try {
    for await (const chunk of createReadStream(path, { highWaterMark: 64 * 1024 })) {
      const buffer = chunk as Buffer;
      if (buffer.includes(0)) throw unsupported('The file contains binary data and is not an accepted type');
      const text = decoder.decode(buffer, { stream: true });
      if (head.length < 1024) head += text.slice(0, 1024);
    }
    decoder.decode();
  } catch (error) {
    if (error instanceof ResourceError) throw error;
    throw unsupported('Text files must be UTF-8; this file is not an accepted type');
  }
  const start = head.replace(/^\ufeff/, '');
  if (MARKUP.test(start)) throw unsupported('HTML, XML and SVG files are not accepted');
  if (start.startsWith('#!')) throw unsupported('Scripts are not accepted');
}

export interface InspectedFile {
  kind: FileKind;
  fileName: string;
}

/**
 * The whole decision for an upload already staged on disk: the type comes from the content, and the
 * name's extension must agree with it (a script called `.pdf` is refused, not renamed). A name
 * without an extension gets the content's.
 */
export async function inspectFile(
  path: string,
  magic: MagicKind,
  rawName: string,
  zipLimits: ZipLimits = DEFAULT_ZIP_LIMITS,
): Promise<InspectedFile> {
  const name = checkFileName(rawName);
  let kind: FileKind;
  const extension = extensionOf(name);
  if (magic === 'zip') kind = await inspectZip(path, zipLimits);
  else if (magic === 'text') {
    // A text file named like a binary format (a script called minutes.pdf) is refused by name first.
    const textual = [...FILE_KINDS.text.extensions, ...FILE_KINDS.markdown.extensions];
    if (extension && !textual.includes(extension)) mismatch(extension, 'plain text');
    await inspectText(path);
    kind = extension === 'md' || extension === 'markdown' ? 'markdown' : 'text';
  } else kind = magic;
  const info = FILE_KINDS[kind];
  if (!extension) return { kind, fileName: `${name}.${info.extensions[0]}` };
  if (!info.extensions.includes(extension)) mismatch(extension, info.label);
  return { kind, fileName: name };
}

function mismatch(extension: string, looksLike: string): never {
  const claimed = Object.values(FILE_KINDS).find((k) => k.extensions.includes(extension));
  throw unsupported(
    claimed
      ? `The file is named .${extension} but its content is not a ${claimed.label} (it looks like ${looksLike})`
      : `Files ending in .${extension} are not accepted; the content looks like ${looksLike}`,
  );
}
