import { ResourceError, ResourceErrorCode } from '../errors/resource.error';

// C0 and C1 controls, DEL, and the Unicode bidi/zero-width format characters used to disguise
// extensions ("invoice\u202Efdp.exe").
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]/u;

/**
 * Checks the name an uploader gave a file. It is only ever used as a display name (storage keys are
 * random), but a name carrying a path or control characters is a sign of a hostile or broken client,
 * so it is refused with a clear message rather than silently rewritten.
 */
export function checkFileName(raw: string | undefined | null): string {
  const refuse = (why: string) => new ResourceError(ResourceErrorCode.InvalidFileName, `File name ${why}`);
  if (!raw) throw refuse('is missing');
  if (CONTROL.test(raw)) throw refuse('must not contain control characters');
  if (/[/\\]/.test(raw) || raw.split('.').every((part) => part === '')) throw refuse('must not contain a path');
  const name = raw.normalize('NFC').trim();
  if (name.startsWith('.')) throw refuse('must not start with a dot');
  if (!name) throw refuse('is missing');
  if ([...name].length > 200) throw refuse('must be at most 200 characters');
  // Characters Windows refuses in names are replaced, so the download saves anywhere.
  return name.replace(/[<>:"|?*]/g, '_');
}

export function extensionOf(name: string): string | null {
  const dot = name.lastIndexOf('.');
  return dot > 0 && dot < name.length - 1 ? name.slice(dot + 1).toLowerCase() : null;
}

/**
 * `Content-Disposition: attachment` with an ASCII fallback and the exact name in RFC 5987 form, so
 * neither quotes nor non-ASCII characters in a name can break out of the header.
 */
export function contentDisposition(name: string): string {
  const ascii = name
    .normalize('NFKD')
    .replace(/[^\x20-\x7e]/g, '')
    .replace(/["\\%;]/g, '_')
    .trim();
  const encoded = encodeURIComponent(name).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `attachment; filename="${ascii || 'download'}"; filename*=UTF-8''${encoded}`;
}
