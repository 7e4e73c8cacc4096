import { createHmac, timingSafeEqual } from 'node:crypto';
import { NotificationKind } from '../entities/enums';

/** What a one-click unsubscribe link turns off: one kind of notification email, or the daily digest. */
export type UnsubscribeScope = NotificationKind | 'digest';

function signature(secret: string, userId: string, scope: UnsubscribeScope): string {
  return createHmac('sha256', `unsubscribe:${secret}`).update(`${userId}:${scope}`).digest('base64url');
}

/**
 * An RFC 8058 one-click unsubscribe URL. Stateless: the HMAC (keyed by the server secret) proves the
 * link was ours for this user and scope, so it works without signing in and cannot be forged for
 * another user.
 */
export function unsubscribeUrl(publicUrl: string, secret: string, userId: string, scope: UnsubscribeScope): string {
  const query = new URLSearchParams({ u: userId, k: scope, s: signature(secret, userId, scope) });
  return `${publicUrl}/api/v1/unsubscribe?${query.toString()}`;
}

export function verifyUnsubscribe(secret: string, userId: string, scope: string, given: string): boolean {
  if (scope !== 'digest' && !Object.values(NotificationKind).includes(scope as NotificationKind)) return false;
  const expected = Buffer.from(signature(secret, userId, scope as UnsubscribeScope));
  const actual = Buffer.from(given);
  return expected.length === actual.length && timingSafeEqual(expected, actual);
}
