import * as argon2 from 'argon2';
import { randomUUID } from 'node:crypto';
import type { IdentityChange } from '@cophub/identity';
import { countTable, insertCommunity, insertUser, upsertMembership } from './db/fixtures.sql';

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
  const id = await insertUser(stack, {
    email,
    passwordHash: await hashedTestPassword(),
    displayName,
    profession: overrides.profession ?? 'PWP',
    careerStage: overrides.careerStage ?? 'qualified',
    region: overrides.region ?? 'north_west',
    organisation: overrides.organisation ?? 'Test NHS Foundation Trust',
    verifiedAt: overrides.verified === false ? null : new Date(),
    isAdmin: overrides.isAdmin ?? false,
  });
  return { id, email, displayName, token: await stack.tokenFor(id, overrides.isAdmin ?? false) };
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
  const id = await insertCommunity(stack, {
    slug,
    name,
    autoApproveDomains: overrides.autoApproveDomains ?? [],
    breakdownThreshold: overrides.breakdownThreshold ?? 5,
  });
  return { id, slug, name };
}

export async function addMembership(
  stack: TestWorld,
  community: TestCommunity,
  user: TestUser,
  options: { status?: string; role?: string } = {},
): Promise<void> {
  await upsertMembership(stack, {
    communityId: community.id,
    userId: user.id,
    status: options.status ?? 'approved',
    role: options.role ?? 'member',
  });
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
  for (const table of tables) counts[table] = await countTable(stack, table);
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
