import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Per-message return paths (VERP): each outgoing message is sent with the envelope sender
 * `bounces+<outbox id>.<mac>@<inbound domain>`, where the mac is an HMAC (keyed by JWT_SECRET) over
 * the id. A delivery report counts only when it comes back to such an address, so nobody can make
 * up a report about a message they did not see: they would need the address it was sent with.
 * Lower-case hex throughout, as some servers lower-case the local part.
 */
const mac = (id: string, secret: string) =>
  createHmac('sha256', `verp:${secret}`).update(id).digest('hex').slice(0, 20);

export function verpAddress(outboxId: string, domain: string, secret: string): string {
  const id = outboxId.replace(/-/g, '').toLowerCase();
  return `bounces+${id}.${mac(id, secret)}@${domain}`;
}

/** The outbox id a VERP tag (the part after `bounces+`) stands for, or null when its mac is wrong. */
export function outboxIdFromVerp(tag: string, secret: string): string | null {
  const match = /^([0-9a-f]{32})\.([0-9a-f]{20})$/.exec(tag.toLowerCase());
  if (!match) return null;
  const [, id, given] = match;
  const expected = Buffer.from(mac(id, secret));
  if (!timingSafeEqual(expected, Buffer.from(given))) return null;
  return `${id.slice(0, 8)}-${id.slice(8, 12)}-${id.slice(12, 16)}-${id.slice(16, 20)}-${id.slice(20)}`;
}
