import type { Pool } from 'pg';

/**
 * The statements of the test support library: fixtures written straight into the database (an account without
 * its argon2 cost, a sign-in without a login) and row counts for "a refused request changed nothing". Test
 * support is no module and owns no table; it writes identity's tables here because a test needs hundreds of
 * members in milliseconds (docs/architecture.md, table ownership).
 */

/** Rows a statement answered, on a test's own pool (a `TestStack`'s or a `MediumModule`'s). */
export async function rowsOf<T = Record<string, unknown>>(
  pool: Pool,
  sql: string,
  params: unknown[] = [],
): Promise<T[]> {
  return (await pool.query(sql, params)).rows as T[];
}

/** Where fixtures are written: a test's world (`TestStack` or `MediumModule`), answering rows. */
export interface FixtureDb {
  query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]>;
}

export interface UserFixture {
  email: string;
  passwordHash: string;
  displayName: string;
  profession: string;
  careerStage: string;
  region: string;
  organisation: string;
  verifiedAt: Date | null;
  isAdmin: boolean;
}

export async function insertUser(db: FixtureDb, user: UserFixture): Promise<string> {
  const [row] = await db.query<{ id: string }>(
    `INSERT INTO users (email, password_hash, display_name, profession, career_stage, region, organisation, email_verified_at, is_admin)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id`,
    [
      user.email,
      user.passwordHash,
      user.displayName,
      user.profession,
      user.careerStage,
      user.region,
      user.organisation,
      user.verifiedAt,
      user.isAdmin,
    ],
  );
  return row.id;
}

export async function insertCommunity(
  db: FixtureDb,
  community: { slug: string; name: string; autoApproveDomains: string[]; breakdownThreshold: number },
): Promise<string> {
  const [row] = await db.query<{ id: string }>(
    `INSERT INTO communities (slug, name, region, auto_approve_domains, breakdown_threshold)
     VALUES ($1, $2, 'north_west', $3, $4) RETURNING id`,
    [community.slug, community.name, community.autoApproveDomains, community.breakdownThreshold],
  );
  return row.id;
}

/** A membership with this status and role, whatever the person's membership was before. */
export async function upsertMembership(
  db: FixtureDb,
  membership: { communityId: string; userId: string; status: string; role: string },
): Promise<void> {
  await db.query(
    `INSERT INTO memberships (community_id, user_id, status, role) VALUES ($1, $2, $3, $4)
     ON CONFLICT (community_id, user_id) DO UPDATE SET status = EXCLUDED.status, role = EXCLUDED.role`,
    [membership.communityId, membership.userId, membership.status, membership.role],
  );
}

/** One live sign-in (a refresh-token family) per user, named by `sessions[i]`, in one statement. */
export async function insertSignIns(db: FixtureDb, sessions: string[], userIds: string[]): Promise<void> {
  await db.query(
    `INSERT INTO refresh_tokens (family_id, user_id, token_hash, expires_at)
     SELECT s, u, 'test-' || s, now() + interval '1 day' FROM unnest($1::uuid[], $2::uuid[]) AS t(s, u)`,
    [sessions, userIds],
  );
}

/** How many rows `table` holds (a table name from the test itself, never from input). */
export async function countTable(db: FixtureDb, table: string): Promise<number> {
  const [row] = await db.query<{ n: string }>(`SELECT count(*) AS n FROM ${table}`);
  return Number(row.n);
}
