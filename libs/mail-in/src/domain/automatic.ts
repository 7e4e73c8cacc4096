/** Header lookup as mailparser gives it (lower-case names; structured values for some). */
export type HeaderMap = Map<string, unknown>;

function headerText(headers: HeaderMap, name: string): string {
  const value = headers.get(name);
  if (value === undefined || value === null) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'object' && 'value' in (value as object)) return String((value as { value: unknown }).value);
  return String(value);
}

/**
 * Why a message was sent by a machine, or null for a person. Such mail is never posted and never
 * answered (RFC 3834 section 2: no reply to Auto-Submitted mail, to a null return path, or to
 * bulk and list traffic), so two robots cannot answer each other forever.
 */
export function automaticReason(headers: HeaderMap, envelopeFrom: string): string | null {
  if (!envelopeFrom || envelopeFrom === '<>') return 'null return path';
  const autoSubmitted = headerText(headers, 'auto-submitted').trim().toLowerCase();
  if (autoSubmitted && autoSubmitted !== 'no') return `Auto-Submitted: ${autoSubmitted}`;
  const precedence = headerText(headers, 'precedence').trim().toLowerCase();
  if (['bulk', 'list', 'junk', 'auto_reply'].includes(precedence)) return `Precedence: ${precedence}`;
  if (headers.has('x-autoreply') || headers.has('x-autorespond')) return 'auto-responder header';
  const suppress = headerText(headers, 'x-auto-response-suppress').toLowerCase();
  if (/\b(all|oof|autoreply)\b/.test(suppress) && headers.has('x-ms-exchange-generated-message-source')) {
    return 'Exchange automatic reply';
  }
  if (/^(mailer-daemon|postmaster)@/i.test(envelopeFrom)) return 'mailer daemon';
  return null;
}
