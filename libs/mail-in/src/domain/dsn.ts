/** One recipient's line of a delivery status notification (RFC 3464). */
export interface DeliveryFailure {
  recipient: string;
  action: string;
  status: string;
  diagnostic: string;
}

export interface DeliveryReport {
  failures: DeliveryFailure[];
  /** Message-IDs found in the returned original message (to tie the report to mail we sent). */
  originalMessageIds: string[];
}

/** True for `multipart/report; report-type=delivery-status`. */
export function isDeliveryReport(contentType: unknown): boolean {
  if (!contentType || typeof contentType !== 'object') return false;
  const { value, params } = contentType as { value?: string; params?: Record<string, string> };
  return value?.toLowerCase() === 'multipart/report' && params?.['report-type']?.toLowerCase() === 'delivery-status';
}

/**
 * Reads the per-recipient fields and the original Message-ID out of a raw DSN. Read from the raw
 * text rather than a MIME tree because reporting MTAs disagree on how they label the parts; the
 * fields themselves are standard.
 */
export function parseDeliveryReport(raw: Buffer): DeliveryReport {
  const text = raw
    .toString('latin1')
    .replace(/\r\n/g, '\n')
    .replace(/\n[ \t]+/g, ' ');
  const failures: DeliveryFailure[] = [];
  for (const block of text.split(/\n\s*\n/)) {
    const field = (name: string) => new RegExp(`^${name}:\\s*(.*)$`, 'im').exec(block)?.[1]?.trim() ?? '';
    const finalRecipient = field('Final-Recipient') || field('Original-Recipient');
    const status = field('Status');
    if (!finalRecipient || !status) continue;
    const recipient = finalRecipient
      .replace(/^rfc822;\s*/i, '')
      .replace(/^<|>$/g, '')
      .toLowerCase();
    failures.push({ recipient, action: field('Action').toLowerCase(), status, diagnostic: field('Diagnostic-Code') });
  }
  const originalMessageIds = [...text.matchAll(/^Message-ID:\s*(<[^>\s]+>)/gim)].map((m) => m[1]);
  return { failures, originalMessageIds };
}

/** A permanent failure: action `failed` with a 5.x.x status. */
export function isHardBounce(failure: DeliveryFailure): boolean {
  return failure.action === 'failed' && /^5\.\d{1,3}\.\d{1,3}$/.test(failure.status);
}
