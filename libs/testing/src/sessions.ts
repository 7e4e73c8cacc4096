import { randomUUID } from 'node:crypto';
import type { AccessTokenService } from '@cophub/identity';

/**
 * Access tokens for users, as login would issue them (fast: no password hashing): a real sign-in each, a
 * refresh-token family in the database, since the API checks on every request that its sign-in is live.
 */
export async function signIn(
  db: { query: (sql: string, params: unknown[]) => Promise<unknown> },
  signer: AccessTokenService,
  userIds: string[],
  isAdmin = false,
): Promise<string[]> {
  const sessions = userIds.map(() => randomUUID());
  await db.query(
    `INSERT INTO refresh_tokens (family_id, user_id, token_hash, expires_at)
     SELECT s, u, 'test-' || s, now() + interval '1 day' FROM unnest($1::uuid[], $2::uuid[]) AS t(s, u)`,
    [sessions, userIds],
  );
  return userIds.map((id, i) => signer.sign({ id, isAdmin, sessionId: sessions[i] }));
}
