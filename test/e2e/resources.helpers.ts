import PDFDocument from 'pdfkit';
import { crc32, deflateRawSync } from 'node:zlib';
import type { TestStack } from '@cophub/testing';

/** A real multi-page PDF: one paragraph per page, text set by the caller. */
export function makePdf(pages: string[]): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const doc = new PDFDocument({ autoFirstPage: false, compress: true });
    const chunks: Buffer[] = [];
    doc.on('data', (chunk: Buffer) => chunks.push(chunk));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
    for (const text of pages) {
      doc.addPage();
      doc.fontSize(14).text(text);
    }
    doc.end();
  });
}

export interface ZipEntryInput {
  name: string;
  data: Buffer;
  /** Store without compression (ODF's `mimetype` entry must be stored). */
  store?: boolean;
  /** Lie about the uncompressed size in the headers (for hostile archives). */
  declaredSize?: number;
}

/** A minimal zip writer (no zip library is installed): local headers, data, central directory, end record. */
export function makeZip(entries: ZipEntryInput[]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const entry of entries) {
    const name = Buffer.from(entry.name, 'utf8');
    const body = entry.store ? entry.data : deflateRawSync(entry.data, { level: 9 });
    const crc = crc32(entry.data);
    const size = entry.declaredSize ?? entry.data.length;
    const method = entry.store ? 0 : 8;
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(0x0800, 6); // UTF-8 names
    local.writeUInt16LE(method, 8);
    local.writeUInt32LE(crc >>> 0, 14);
    local.writeUInt32LE(body.length, 18);
    local.writeUInt32LE(size, 22);
    local.writeUInt16LE(name.length, 26);
    locals.push(local, name, body);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(0x0800, 8);
    central.writeUInt16LE(method, 10);
    central.writeUInt32LE(crc >>> 0, 16);
    central.writeUInt32LE(body.length, 20);
    central.writeUInt32LE(size, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(offset, 42);
    centrals.push(central, name);
    offset += local.length + name.length + body.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}

/** A small but real DOCX whose body holds `text`. */
export function makeDocx(text: string): Buffer {
  const xml = (s: string) => Buffer.from(s, 'utf8');
  return makeZip([
    {
      name: '[Content_Types].xml',
      data: xml(
        '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">' +
          '<Default Extension="xml" ContentType="application/xml"/>' +
          '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>',
      ),
    },
    {
      name: 'word/document.xml',
      data: xml(
        `<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>${text}</w:t></w:r></w:p></w:body></w:document>`,
      ),
    },
  ]);
}

export interface FilePart {
  name?: string;
  /** Raw bytes of the filename parameter, so tests can send NUL and control characters. */
  filename: string;
  /** Sent as RFC 5987 `filename*=UTF-8''…` (percent-encoded), which reaches the server decoded. */
  encodedName?: boolean;
  contentType?: string;
  data: Buffer;
}

/** Builds a multipart/form-data body by hand (supertest's form-data would clean up hostile names). */
export function multipart(fields: Record<string, string | string[]>, file?: FilePart): { body: Buffer; type: string } {
  const boundary = `----cophub${Math.random().toString(16).slice(2)}`;
  const parts: Buffer[] = [];
  for (const [name, value] of Object.entries(fields)) {
    for (const v of Array.isArray(value) ? value : [value]) {
      parts.push(
        Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${v}\r\n`, 'utf8'),
      );
    }
  }
  if (file) {
    parts.push(
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="${file.name ?? 'file'}"; ` +
          (file.encodedName ? `filename*=UTF-8''${encodeURIComponent(file.filename)}` : `filename="${file.filename}"`) +
          '\r\n' +
          `Content-Type: ${file.contentType ?? 'application/octet-stream'}\r\n\r\n`,
        'utf8',
      ),
      file.data,
      Buffer.from('\r\n'),
    );
  }
  parts.push(Buffer.from(`--${boundary}--\r\n`));
  return { body: Buffer.concat(parts), type: `multipart/form-data; boundary=${boundary}` };
}

export function upload(
  stack: TestStack,
  path: string,
  token: string,
  fields: Record<string, string | string[]>,
  file?: FilePart,
) {
  const { body, type } = multipart(fields, file);
  return stack.http().post(path).set('Authorization', `Bearer ${token}`).set('Content-Type', type).send(body);
}

/** Every file under the stack's storage directory (objects and staging), for "nothing left on disk". */
export async function storedFiles(stack: TestStack): Promise<string[]> {
  const { readdir } = await import('node:fs/promises');
  const entries = await readdir(stack.config.files.storageDir, { recursive: true, withFileTypes: true }).catch(
    () => [],
  );
  return entries.filter((e) => e.isFile()).map((e) => e.name);
}
