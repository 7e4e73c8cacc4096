import { IdentityError, IdentityErrorCode } from '../errors/identity.error';

/**
 * Handles name people in `@mentions`, so they must not be able to pass for someone or something else:
 * ASCII letters, digits, `_` and `-` only (no other script's look-alikes, no invisible characters),
 * 3 to 30 characters, starting with a letter or digit; words that would look like the platform, a
 * role or everyone are reserved. Uniqueness (ignoring case and 0/o, 1/l/i, _/-) is the database's.
 */
export const HANDLE_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_-]{2,29}$/;

/**
 * Words a handle may not look like. Kept in step with `handle_is_reserved` in the
 * ReservedHandleLookalikes migration, which `pick_handle` uses for new accounts and suggestions.
 */
export const RESERVED_HANDLES = [
  'admin',
  'administrator',
  'admins',
  'moderator',
  'moderators',
  'mod',
  'cochair',
  'co-chair',
  'co_chair',
  'cochairs',
  'everyone',
  'everybody',
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
  'postmaster',
  'abuse',
  'security',
];

/**
 * How a handle reads, for comparing with the reserved words: separators (`-`, `_`, `.`) dropped, the
 * ambiguous `1` and capital `I` read as `oneAs` (`i` or `l`: a handle is reserved if either reading
 * is), lower case, other digits read as the letters they resemble (0 o, 2 z, 3 e, 4 a, 5 s, 6 g, 7 t,
 * 8 b, 9 g), `rn` as `m` and `vv` as `w`. So `adm1n`, `ADMIN`, `c0chair`, `every0ne`, `f0rmer-member`,
 * `he1p` and `n_h_s` read as reserved words, while `ali` (not `all`: a lower-case i and l differ) and
 * `admin12` (a numbered handle, the form `pick_handle` gives a person called Admin) do not.
 * Must match `handle_reserved_skeleton` in SQL (the handles e2e suite compares them).
 */
export function reservedSkeleton(handle: string, oneAs: 'i' | 'l' = 'i'): string {
  return handle
    .replace(/[-_.]/g, '')
    .replace(/[1I]/g, oneAs)
    .toLowerCase()
    .replace(/[02-9]/g, (c) => 'oizeasgtbg'[Number(c)])
    .replace(/rn/g, 'm')
    .replace(/vv/g, 'w');
}

const RESERVED_SKELETONS = new Set(RESERVED_HANDLES.map((word) => reservedSkeleton(word)));

/** Whether a handle reads as a reserved word (see `reservedSkeleton`). */
export function isReservedHandle(handle: string): boolean {
  return RESERVED_SKELETONS.has(reservedSkeleton(handle, 'i')) || RESERVED_SKELETONS.has(reservedSkeleton(handle, 'l'));
}

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
  if (isReservedHandle(handle)) {
    return `handle "${handle}" is reserved or looks like a reserved word (such as admin, co-chair or everyone); choose another`;
  }
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
