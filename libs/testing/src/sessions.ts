import { randomUUID } from 'node:crypto';
import type { AccessTokenService } from '@cophub/identity';
import { FixtureDb, insertSignIns } from './db/fixtures.sql';

/**
 * Access tokens for users, as login would issue them (fast: no password hashing): a real sign-in each, a
 * refresh-token family in the database, since the API checks on every request that its sign-in is live.
 */
export async function signIn(
  db: FixtureDb,
  signer: AccessTokenService,
  userIds: string[],
  isAdmin = false,
): Promise<string[]> {
  const sessions = userIds.map(() => randomUUID());
  await insertSignIns(db, sessions, userIds);
  return userIds.map((id, i) => signer.sign({ id, isAdmin, sessionId: sessions[i] }));
}
