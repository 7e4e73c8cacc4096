import { IdentityError, IdentityErrorCode } from '../errors/identity.error';

/**
 * Characters a display name may not contain, because they are invisible or change how the text
 * around them is shown, which lets one person pass as another ("Platform\u200b Admin", a name whose
 * right-to-left override reverses what follows):
 * - `\p{Cc}` control characters, `\p{Cf}` format characters (bidirectional embeddings, overrides and
 *   isolates, marks such as U+200E/U+200F/U+061C, zero-width space, joiners, word joiner, BOM, soft
 *   hyphen, tag characters…), `\p{Co}` private use, `\p{Cs}` lone surrogates, `\p{Cn}` unassigned;
 * - line and paragraph separators (`\p{Zl}`, `\p{Zp}`) and every space other than the ordinary one
 *   (no-break, thin, ideographic…), which look like a space but are not one;
 * - other default-ignorable code points (combining grapheme joiner, Hangul fillers, Mongolian free
 *   variation selectors…), except the emoji presentation selectors U+FE0E/U+FE0F.
 */
const REFUSED =
  /[\p{Cc}\p{Cf}\p{Co}\p{Cs}\p{Cn}\p{Zl}\p{Zp}]|[^\S ]|(?![\uFE0E\uFE0F])\p{Default_Ignorable_Code_Point}/u;

/** Why a display name cannot be used, or null when it can. */
export function displayNameProblem(name: string): string | null {
  const match = REFUSED.exec(name);
  if (!match) return null;
  const code = match[0].codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0');
  return `displayName contains an invisible or control character (U+${code}); use letters, numbers, ordinary spaces and punctuation`;
}

export function assertDisplayName(name: string): void {
  const problem = displayNameProblem(name);
  if (problem) throw new IdentityError(IdentityErrorCode.InvalidDisplayName, problem);
}
