import { Sql } from '@cophub/core';

/**
 * The seed's statements on identity's tables (the demo community, its people and their memberships). Raw rows
 * rather than identity's services: the seed sets passwords it prints and sends no email (docs/architecture.md).
 */

export interface SeedCommunity {
  slug: string;
  name: string;
  description: string;
  region: string;
  autoApproveDomains: string[];
  aims: string;
  audience: string;
}

/** The community, or the existing one with the same address (its name, aims and audience refreshed). */
export async function upsertCommunity(db: Sql, community: SeedCommunity): Promise<string> {
  const row = await db.one<{ id: string }>(
    `INSERT INTO communities (slug, name, description, region, auto_approve_domains, aims, audience)
     VALUES ($1, $2, $3, $4, $5, $6, $7)
     ON CONFLICT (slug) DO UPDATE SET name = EXCLUDED.name, aims = EXCLUDED.aims, audience = EXCLUDED.audience
     RETURNING id`,
    [
      community.slug,
      community.name,
      community.description,
      community.region,
      community.autoApproveDomains,
      community.aims,
      community.audience,
    ],
  );
  return row.id;
}

export interface SeedUser {
  email: string;
  displayName: string;
  profession: string;
  careerStage: string;
  organisation: string;
  isAdmin?: boolean;
}

/** A verified account, or the existing one with the same address (its password replaced). */
export async function upsertUser(db: Sql, person: SeedUser, passwordHash: string): Promise<string> {
  const row = await db.one<{ id: string }>(
    `INSERT INTO users (email, password_hash, display_name, profession, career_stage, region, organisation, email_verified_at, is_admin)
     VALUES ($1, $2, $3, $4, $5, 'north_west', $6, now(), $7)
     ON CONFLICT (email) DO UPDATE SET password_hash = EXCLUDED.password_hash, updated_at = now()
     RETURNING id`,
    [
      person.email,
      passwordHash,
      person.displayName,
      person.profession,
      person.careerStage,
      person.organisation,
      person.isAdmin ?? false,
    ],
  );
  return row.id;
}

/** An approved membership with the role, unless the person already has one. */
export async function addApprovedMember(db: Sql, communityId: string, userId: string, role: string): Promise<void> {
  await db.exec(
    `INSERT INTO memberships (community_id, user_id, status, role, decided_at)
     VALUES ($1, $2, 'approved', $3, now())
     ON CONFLICT (community_id, user_id) DO NOTHING`,
    [communityId, userId, role],
  );
}

/** The co-chair agrees to be the key contact on the overview. */
export async function listAsContact(db: Sql, communityId: string, userId: string): Promise<void> {
  await db.exec(`UPDATE memberships SET listed_as_contact = true WHERE community_id = $1 AND user_id = $2`, [
    communityId,
    userId,
  ]);
}
