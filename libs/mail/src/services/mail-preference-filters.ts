import { Injectable } from '@nestjs/common';
import type { Queryable } from '@cophub/core';

/** A person and the kind of email (an unsubscribe scope, e.g. a notification kind). */
export interface MailRecipientKind {
  userId: string;
  kind: string;
}

export interface MailPreferenceOptions {
  /**
   * A timely email (an event reminder) is still sent to members who chose a daily summary for its kind: a
   * summary would come too late. Otherwise only those who chose email get it.
   */
  timely?: boolean;
}

/**
 * Who chose not to be emailed, asked of the module that keeps the choices (notifications registers one at start).
 * `optedOut` answers the pairs that must not be emailed, as `userId:kind` keys, with one statement for the whole
 * list in the caller's transaction `db`.
 */
export interface MailPreferenceFilter {
  optedOut(db: Queryable, wanted: readonly MailRecipientKind[], options: MailPreferenceOptions): Promise<Set<string>>;
}

/** The key of a (person, kind) pair in `optedOut`'s answer. */
export const recipientKindKey = (wanted: MailRecipientKind): string => `${wanted.userId}:${wanted.kind}`;

/**
 * Mail's registry of preference filters: mail holds no one's choices, so it asks each registered filter (in every
 * process, notifications registers its own at module start). Asking with none registered is a wiring mistake (a
 * process without the notifications module) and throws, rather than email people who opted out.
 */
@Injectable()
export class MailPreferenceFilters {
  private readonly filters = new Map<string, MailPreferenceFilter>();

  register(name: string, filter: MailPreferenceFilter): void {
    if (this.filters.has(name)) throw new Error(`mail preference filter ${name} registered twice`);
    this.filters.set(name, filter);
  }

  /** The pairs of `wanted` that must not be emailed (`userId:kind` keys); no statement when `wanted` is empty. */
  async optedOut(
    db: Queryable,
    wanted: readonly MailRecipientKind[],
    options: MailPreferenceOptions = {},
  ): Promise<Set<string>> {
    const out = new Set<string>();
    if (!wanted.length) return out;
    if (!this.filters.size)
      throw new Error('no mail preference filter is registered (is the notifications module loaded?)');
    for (const filter of this.filters.values()) {
      for (const key of await filter.optedOut(db, wanted, options)) out.add(key);
    }
    return out;
  }
}
