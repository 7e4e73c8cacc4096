/**
 * Identity's published columns: what other modules may read of identity's tables inside their own statements, so
 * that a reply, an audience or a roster stays one statement (one round trip) with the member's name or standing
 * joined in. Everything else of these tables, every other identity table and every write go through identity's
 * services. `test/lint/table-ownership.spec.ts` fails on a statement of another module that reads a column not
 * listed here; adding one is a decision about identity's contract, made here.
 */
export const IDENTITY_PUBLISHED_COLUMNS = {
  /** Who a person is to other members, where to email them, their profile for audiences, and whether the account is open. */
  users: [
    'id',
    'email',
    'display_name',
    'handle',
    'profession',
    'career_stage',
    'region',
    'email_verified_at',
    'closed_at',
  ],
  /** Which community, by id, address and name, and its rule for the smallest group shown in poll breakdowns. */
  communities: ['id', 'slug', 'name', 'breakdown_threshold'],
  /** A person's standing in a community. */
  memberships: ['community_id', 'user_id', 'role', 'status'],
} as const satisfies Record<string, readonly string[]>;
