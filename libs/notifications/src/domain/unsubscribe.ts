import { timingSafeEqual } from 'node:crypto';
import { unsubscribeLink, unsubscribeSignature } from '@cophub/mail';
import { NotificationChannel, NotificationKind } from './enums';

/** What a one-click unsubscribe link turns off: one kind of notification email, or the daily digest. */
export type UnsubscribeScope = NotificationKind | 'digest';

/** The RFC 8058 one-click unsubscribe URL for one user and scope (signed; see `unsubscribeLink`). */
export function unsubscribeUrl(publicUrl: string, secret: string, userId: string, scope: UnsubscribeScope): string {
  return unsubscribeLink(publicUrl, secret, { userId, scope });
}

function sameSignature(expected: string, given: string): boolean {
  const a = Buffer.from(expected);
  const b = Buffer.from(given);
  return a.length === b.length && timingSafeEqual(a, b);
}

export function isUnsubscribeScope(scope: string): scope is UnsubscribeScope {
  return scope === 'digest' || Object.values(NotificationKind).includes(scope as NotificationKind);
}

export function verifyUnsubscribe(secret: string, userId: string, scope: string, given: string): boolean {
  return isUnsubscribeScope(scope) && sameSignature(unsubscribeSignature(secret, userId, scope), given);
}

/**
 * What unsubscribing changed, so the confirmation page can offer an undo: each kind with the channel it
 * had before. Encoded as `kind:channel,kind:channel`.
 */
export type PreviousChannels = Array<[NotificationKind, NotificationChannel]>;

export function encodePrevious(previous: PreviousChannels): string {
  return previous.map(([kind, channel]) => `${kind}:${channel}`).join(',');
}

/** Parses an undo's `p`; null when anything in it is not a known kind and channel. */
export function decodePrevious(value: string): PreviousChannels | null {
  if (!value) return [];
  const pairs = value.split(',').map((pair) => pair.split(':'));
  const kinds = Object.values(NotificationKind) as string[];
  const channels = Object.values(NotificationChannel) as string[];
  if (pairs.some((p) => p.length !== 2 || !kinds.includes(p[0]) || !channels.includes(p[1]))) return null;
  return pairs as PreviousChannels;
}

/**
 * The undo link's signature covers the user, scope and the channels to restore, so an undo can put
 * back exactly what that unsubscribe changed and nothing else.
 */
export function undoSignature(secret: string, userId: string, scope: string, previous: string): string {
  return unsubscribeSignature(secret, 'undo', userId, scope, previous);
}

export function verifyUndo(secret: string, userId: string, scope: string, previous: string, given: string): boolean {
  return isUnsubscribeScope(scope) && sameSignature(undoSignature(secret, userId, scope, previous), given);
}
