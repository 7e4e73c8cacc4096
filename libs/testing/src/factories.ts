import * as argon2 from 'argon2';
import { randomUUID } from 'node:crypto';
import type { IdentityChange } from '@cophub/identity';

/** What the factories need of a test's world: a `TestStack` or a `MediumModule`. */
export interface TestWorld {
  query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]>;
  tokenFor(userId: string, isAdmin?: boolean): Promise<string>;
  identityChanged(change: IdentityChange): Promise<void>;
}

export const TEST_PASSWORD = 'Lantern-Orchard-42';
let passwordHash: Promise<string> | null = null;

/** One hash shared by every factory user, so making hundreds of members costs one argon2 run. */
function hashedTestPassword(): Promise<string> {
  passwordHash ??= argon2.hash(TEST_PASSWORD, { type: argon2.argon2id, memoryCost: 8192, timeCost: 2, parallelism: 1 });
  return passwordHash;
}

export interface TestUser {
  id: string;
  email: string;
  displayName: string;
  token: string;
}

export interface UserOverrides {
  email?: string;
  displayName?: string;
  profession?: string;
  careerStage?: string;
  region?: string;
  organisation?: string;
  verified?: boolean;
  isAdmin?: boolean;
}

export async function createUser(stack: TestWorld, overrides: UserOverrides = {}): Promise<TestUser> {
  const tag = randomUUID().slice(0, 8);
  const email = (overrides.email ?? `member-${tag}@example.nhs.net`).toLowerCase();
  const displayName = overrides.displayName ?? `Member ${tag}`;
  const [row] = await stack.query<{ id: string }>(
    `INSERT INTO users (email, password_hash, display_name, profession, career_stage, region, organisation, email_verified_at, is_admin)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id`,
    [
      email,
      await hashedTestPassword(),
      displayName,
      overrides.profession ?? 'PWP',
      overrides.careerStage ?? 'qualified',
      overrides.region ?? 'north_west',
      overrides.organisation ?? 'Test NHS Foundation Trust',
      overrides.verified === false ? null : new Date(),
      overrides.isAdmin ?? false,
    ],
  );
  return { id: row.id, email, displayName, token: await stack.tokenFor(row.id, overrides.isAdmin ?? false) };
}

export interface TestCommunity {
  id: string;
  slug: string;
  name: string;
}

export async function createCommunity(
  stack: TestWorld,
  overrides: { slug?: string; name?: string; autoApproveDomains?: string[]; breakdownThreshold?: number } = {},
): Promise<TestCommunity> {
  const tag = randomUUID().slice(0, 8);
  const slug = overrides.slug ?? `cop-${tag}`;
  const name = overrides.name ?? `Test CoP ${tag}`;
  const [row] = await stack.query<{ id: string }>(
    `INSERT INTO communities (slug, name, region, auto_approve_domains, breakdown_threshold)
     VALUES ($1, $2, 'north_west', $3, $4) RETURNING id`,
    [slug, name, overrides.autoApproveDomains ?? [], overrides.breakdownThreshold ?? 5],
  );
  return { id: row.id, slug, name };
}

export async function addMembership(
  stack: TestWorld,
  community: TestCommunity,
  user: TestUser,
  options: { status?: string; role?: string } = {},
): Promise<void> {
  await stack.query(
    `INSERT INTO memberships (community_id, user_id, status, role) VALUES ($1, $2, $3, $4)
     ON CONFLICT (community_id, user_id) DO UPDATE SET status = EXCLUDED.status, role = EXCLUDED.role`,
    [community.id, user.id, options.status ?? 'approved', options.role ?? 'member'],
  );
  await stack.identityChanged({ kind: 'membership', userId: user.id, communityId: community.id });
}

/** A user who is an approved member of the community with the given role. */
export async function createMember(
  stack: TestWorld,
  community: TestCommunity,
  role: 'member' | 'moderator' | 'co_chair' = 'member',
  overrides: UserOverrides = {},
): Promise<TestUser> {
  const user = await createUser(stack, overrides);
  await addMembership(stack, community, user, { role });
  return user;
}

/** Row counts of the given tables, for asserting that a refused request changed nothing. */
export async function countRows(stack: TestWorld, tables: string[]): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const table of tables) {
    const [row] = await stack.query<{ n: string }>(`SELECT count(*) AS n FROM ${table}`);
    counts[table] = Number(row.n);
  }
  return counts;
}

/** A valid `POST /auth/register` body for `email` (a strong password, a practitioner profile). */
export function registration(email: string, overrides: Record<string, string> = {}): Record<string, string> {
  return {
    email,
    password: 'Quiet-Harbour-Lantern-9',
    displayName: 'New Reader',
    profession: 'MHWP',
    careerStage: 'trainee',
    region: 'north_west',
    ...overrides,
  };
}
