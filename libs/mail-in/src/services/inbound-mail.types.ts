import { AddressObject, ParsedMail } from 'mailparser';
import { createHash } from 'node:crypto';
import { InboundTarget, primaryTarget } from '../domain/addresses';
import { automaticReason } from '../domain/automatic';
import { AuthVerdict } from './sender-authentication';

export interface InboundEnvelope {
  source: 'smtp' | 'webhook';
  /** MAIL FROM; empty for the null return path `<>`. */
  mailFrom: string;
  rcptTo: string[];
  remoteAddress?: string;
  helo?: string;
}

export type InboundKind = 'submission' | 'reply' | 'bounce' | 'other';

export type InboundOutcome =
  | 'submitted'
  | 'held'
  | 'refused'
  | 'posted'
  | 'awaiting_confirmation'
  | 'reply_refused'
  | 'bounce_recorded'
  | 'bounce_ignored'
  | 'ignored_automatic'
  | 'ignored';

export interface InboundResult {
  id: string | null;
  duplicate: boolean;
  kind: InboundKind;
  outcome: InboundOutcome;
  reason?: string;
  submissionId?: string;
  postId?: string;
}

/** Everything about one message that every branch needs. */
export interface Received {
  raw: Buffer;
  envelope: InboundEnvelope;
  parsed: ParsedMail;
  target: InboundTarget | null;
  verdict: AuthVerdict;
  messageId: string;
  fromAddress: string;
  subject: string;
  automatic: string | null;
  /** To and Cc of the header as mail clients show them, lower case. */
  headerTo: string[];
  headerCc: string[];
}

export interface InboundRowFields {
  kind: InboundKind;
  outcome: InboundOutcome | 'processing';
  reason?: string | null;
  communityId?: string | null;
  userId?: string | null;
}

export const BODY_MAX = 20_000;

export const addressesOf = (field: AddressObject | AddressObject[] | undefined): string[] =>
  (Array.isArray(field) ? field : field ? [field] : [])
    .flatMap((o) => o.value.flatMap((a) => (a.group ? a.group : [a])))
    .map((a) => (a.address ?? '').toLowerCase())
    .filter(Boolean);

/** What every branch needs of a message, read once: its target at `domain`, sender, subject and recipients. */
export function receivedMessage(
  raw: Buffer,
  envelope: InboundEnvelope,
  parsed: ParsedMail,
  verdict: AuthVerdict,
  domain: string,
): Received {
  return {
    raw,
    envelope,
    parsed,
    target: primaryTarget(envelope.rcptTo, domain),
    verdict,
    messageId: normaliseMessageId(parsed.messageId, raw),
    fromAddress: (parsed.from?.value[0]?.address ?? '').toLowerCase(),
    subject: (parsed.subject ?? '').slice(0, 500),
    automatic: automaticReason(parsed.headers as Map<string, unknown>, envelope.mailFrom),
    headerTo: addressesOf(parsed.to).slice(0, 100),
    headerCc: addressesOf(parsed.cc).slice(0, 100),
  };
}

/** A Message-ID as stored for de-duplication; a message without one gets one from its content. */
export function normaliseMessageId(value: string | undefined, raw: Buffer): string {
  const trimmed = value?.trim();
  if (trimmed && trimmed.length <= 500) return trimmed.replace(/^<?/, '<').replace(/>?$/, '>').toLowerCase();
  return `<sha256.${createHash('sha256').update(raw).digest('hex')}@generated>`;
}

/** The values of an inbound message's row, in the order of the repository's `INBOUND_COLUMNS`. */
export function inboundValues(mail: Received, fields: InboundRowFields): unknown[] {
  return [
    mail.messageId,
    mail.envelope.source,
    mail.envelope.mailFrom.toLowerCase(),
    mail.envelope.rcptTo.map((r) => r.toLowerCase()),
    mail.envelope.remoteAddress ?? null,
    mail.envelope.helo ?? null,
    mail.fromAddress,
    mail.subject,
    mail.raw.length,
    fields.kind,
    fields.outcome,
    fields.reason ?? null,
    fields.communityId ?? null,
    fields.userId ?? null,
    JSON.stringify(mail.verdict),
    mail.verdict.dmarc,
    mail.automatic !== null,
    mail.raw,
  ];
}
