import { createHmac } from 'node:crypto';

/**
 * Who a notification email is for and what kind it is: what its one-click unsubscribe link turns off
 * (a notification kind, or `digest`).
 */
export interface UnsubscribeTarget {
  userId: string;
  scope: string;
}

/** HMAC of `parts`, keyed by the server secret; the one signature behind unsubscribe and undo links. */
export function unsubscribeSignature(secret: string, ...parts: string[]): string {
  return createHmac('sha256', `unsubscribe:${secret}`).update(parts.join(':')).digest('base64url');
}

/**
 * An RFC 8058 one-click unsubscribe URL. Stateless: the HMAC proves the link was ours for this user and
 * scope, so it works without signing in and cannot be forged for another user.
 */
export function unsubscribeLink(publicUrl: string, secret: string, target: UnsubscribeTarget): string {
  const query = new URLSearchParams({
    u: target.userId,
    k: target.scope,
    s: unsubscribeSignature(secret, target.userId, target.scope),
  });
  return `${publicUrl}/api/v1/unsubscribe?${query.toString()}`;
}

/** The web app's page where a member chooses a channel for each kind of notification. */
export function notificationSettingsUrl(publicUrl: string): string {
  return `${publicUrl}/settings/notifications`;
}
