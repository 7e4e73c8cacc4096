import { ResourceError } from '../errors/resource.error';
import { xmlToText } from '../extraction/text-extractor';
import { toSnippet } from '../hooks/resource-search.provider';
import { parseRange } from './byte-range';
import { sniffMagic } from './content-inspector';
import { checkFileName, contentDisposition } from './file-name';

describe('byte ranges', () => {
  it.each([
    ['bytes=0-9', { start: 0, end: 9 }],
    ['bytes=90-', { start: 90, end: 99 }],
    ['bytes=-10', { start: 90, end: 99 }],
    ['bytes=95-200', { start: 95, end: 99 }],
  ])('%s of a 100-byte file', (header, range) => {
    expect(parseRange(header, 100)).toEqual(range);
  });

  it('answers unsatisfiable for ranges outside the file, and whole-file for what it does not serve', () => {
    expect(parseRange('bytes=100-', 100)).toBe('unsatisfiable');
    expect(parseRange('bytes=5-2', 100)).toBe('unsatisfiable');
    expect(parseRange('bytes=0-1,5-6', 100)).toBeNull();
    expect(parseRange('items=0-1', 100)).toBeNull();
    expect(parseRange(undefined, 100)).toBeNull();
  });
});

describe('file names', () => {
  it('keeps ordinary names, including non-ASCII ones', () => {
    expect(checkFileName('Terms of reference (v2).pdf')).toBe('Terms of reference (v2).pdf');
    expect(checkFileName('Café notes.md')).toBe('Café notes.md');
    expect(checkFileName('a:b?.txt')).toBe('a_b_.txt');
  });

  it.each(['../x.pdf', 'a/b.pdf', 'C:\\x.pdf', 'a\u0000.pdf', 'a\r\n.pdf', 'x\u202Efdp.exe', '.htaccess', '..', ''])(
    'refuses %j',
    (name) => {
      expect(() => checkFileName(name)).toThrow(ResourceError);
    },
  );

  it('builds a Content-Disposition header nothing can break out of', () => {
    expect(contentDisposition('notes "final"; x.pdf')).toBe(
      `attachment; filename="notes _final__ x.pdf"; filename*=UTF-8''notes%20%22final%22%3B%20x.pdf`,
    );
    expect(contentDisposition('Résumé.pdf')).toContain(`filename*=UTF-8''R%C3%A9sum%C3%A9.pdf`);
    expect(contentDisposition('Résumé.pdf')).toContain('filename="Resume.pdf"');
  });
});

describe('content sniffing', () => {
  it('recognises accepted magic numbers and refuses binaries', () => {
    expect(sniffMagic(Buffer.from('%PDF-1.7\n'))).toBe('pdf');
    expect(sniffMagic(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))).toBe('png');
    expect(sniffMagic(Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 0, 0, 0]))).toBe('jpeg');
    expect(sniffMagic(Buffer.from('PK\u0003\u0004abcd', 'latin1'))).toBe('zip');
    expect(sniffMagic(Buffer.from('Hello, w'))).toBe('text');
    expect(sniffMagic(Buffer.from([0x4d, 0x5a, 0x90, 0, 3, 0, 0, 0]))).toBeNull();
    expect(sniffMagic(Buffer.from([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0]))).toBeNull();
  });
});

describe('Office XML text', () => {
  it('keeps paragraph breaks and decodes entities', () => {
    expect(xmlToText('<w:p><w:r><w:t>A &amp; B</w:t></w:r></w:p><w:p><w:t>&#169; 2026</w:t></w:p>')).toBe(
      'A & B\n© 2026\n',
    );
  });
});

describe('search snippets', () => {
  it('escapes everything and turns only the match markers into <mark>', () => {
    expect(toSnippet('<script>\uE000alert\uE001</script> & co')).toBe(
      '&lt;script&gt;<mark>alert</mark>&lt;/script&gt; &amp; co',
    );
  });
});
