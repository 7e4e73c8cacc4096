import { IdentityError, IdentityErrorCode } from '../errors/identity.error';

/**
 * Handles name people in `@mentions`, so they must not be able to pass for someone or something else:
 * ASCII letters, digits, `_` and `-` only (no other script's look-alikes, no invisible characters),
 * 3 to 30 characters, starting with a letter or digit; words that would look like the platform, a
 * role or everyone are reserved. Uniqueness (ignoring case and 0/o, 1/l/i, _/-) is the database's.
 */
export const HANDLE_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_-]{2,29}$/;

/** Kept in step with `pick_handle` in the MemberHandles migration, which avoids them for new accounts. */
export const RESERVED_HANDLES = new Set([
  'admin',
  'administrator',
  'moderator',
  'mod',
  'cochair',
  'co-chair',
  'co_chair',
  'everyone',
  'all',
  'here',
  'channel',
  'members',
  'member',
  'cophub',
  'support',
  'system',
  'staff',
  'help',
  'root',
  'nhs',
  'me',
  'you',
  'null',
  'undefined',
  'anonymous',
  'former-member',
  'formermember',
  'notifications',
  'noreply',
  'no-reply',
]);

/** Why a handle cannot be used, or null when it can (apart from being taken, which the database says). */
export function handleProblem(handle: string): string | null {
  const odd = /[^A-Za-z0-9_-]/u.exec(handle);
  if (odd) {
    const code = odd[0].codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0');
    return odd[0] === ' '
      ? 'handle cannot contain spaces; use letters, digits, _ and -'
      : `handle can only use the letters A to Z, digits, _ and - (it contains U+${code})`;
  }
  if (handle.length < 3 || handle.length > 30) return 'handle must be 3 to 30 characters long';
  if (!HANDLE_PATTERN.test(handle)) return 'handle must start with a letter or a digit';
  if (RESERVED_HANDLES.has(handle.toLowerCase())) return `handle "${handle}" is reserved; choose another`;
  return null;
}

export function assertHandle(handle: string): void {
  const problem = handleProblem(handle);
  if (problem) throw new IdentityError(IdentityErrorCode.InvalidHandle, problem);
}

/** The handle a closed account is given: it names nobody and stays unique (derived from the account id). */
export function formerMemberHandle(userId: string): string {
  return `former-${userId.replace(/-/g, '').slice(0, 20)}`;
}
