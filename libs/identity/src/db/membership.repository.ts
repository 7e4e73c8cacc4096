import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { Columns, Row, Sql, SqlPort } from '@cophub/core';
import { Community } from './community.entity';
import type { MemberView } from '../domain/membership-rules';
import { CommunityRole, MembershipStatus } from './enums';
import { Membership } from './membership.entity';
import { User } from './user.entity';

/** A member as the member list shows them, with the row's id and the email (co-chairs only; the service leaves it out for others). */
export type MemberRow = MemberView & { id: Row<'memberships'>['id']; email: Row<'users'>['email'] };

export interface MembershipOfRow {
  communityId: Row<'communities'>['id'];
  slug: Row<'communities'>['slug'];
  name: Row<'communities'>['name'];
  status: MembershipStatus;
  role: CommunityRole;
}

/**
 * Every statement on `memberships` (and the reads of users and communities that joining and deciding need).
 * Each takes the community; each runs in the caller's transaction (its manager) where it is given one.
 */
@Injectable()
export class MembershipRepository {
  constructor(private readonly sql: SqlPort) {}

  user(manager: EntityManager, userId: string): Promise<User> {
    return manager.findOneByOrFail(User, { id: userId });
  }

  userByEmail(manager: EntityManager, email: string): Promise<User | null> {
    return manager.findOneBy(User, { email });
  }

  communityBySlug(manager: EntityManager, slug: string): Promise<Community | null> {
    return manager.findOneBy(Community, { slug });
  }

  find(manager: EntityManager, communityId: string, userId: string): Promise<Membership | null> {
    return manager.findOneBy(Membership, { communityId, userId });
  }

  byId(manager: EntityManager, id: string): Promise<Membership> {
    return manager.findOneByOrFail(Membership, { id });
  }

  /** Inserts a request, or re-opens a rejected one; null when any other row exists. */
  async request(
    manager: EntityManager,
    communityId: string,
    userId: string,
    status: MembershipStatus,
    decidedAt: Date | null,
  ): Promise<string | null> {
    const rows = await Sql.over(manager).rows<Columns<'memberships', 'id'>>(
      `INSERT INTO memberships (community_id, user_id, status, role, decided_at)
         VALUES ($1, $2, $3, 'member', $4)
         ON CONFLICT (community_id, user_id) DO UPDATE
            SET status = EXCLUDED.status, decided_at = EXCLUDED.decided_at, decided_by = NULL, updated_at = now()
          WHERE memberships.status = 'rejected'
        RETURNING id`,
      [communityId, userId, status, decidedAt],
    );
    return rows[0]?.id ?? null;
  }

  /** Adds an approved member directly, or approves a pending or rejected request; null when they are a member or suspended. */
  async add(
    manager: EntityManager,
    communityId: string,
    userId: string,
    role: CommunityRole,
    decidedBy: string,
    decidedAt: Date,
  ): Promise<string | null> {
    const rows = await Sql.over(manager).rows<Columns<'memberships', 'id'>>(
      `INSERT INTO memberships (community_id, user_id, status, role, decided_by, decided_at)
         VALUES ($1, $2, 'approved', $3, $4, $5)
         ON CONFLICT (community_id, user_id) DO UPDATE
            SET status = 'approved', role = EXCLUDED.role, decided_by = EXCLUDED.decided_by,
                decided_at = EXCLUDED.decided_at, updated_at = now()
          WHERE memberships.status IN ('pending', 'rejected')
        RETURNING id`,
      [communityId, userId, role, decidedBy, decidedAt],
    );
    return rows[0]?.id ?? null;
  }

  /** Moves the membership to `to` from one of `from` (a conditional update); its id, or null. */
  async transition(
    manager: EntityManager,
    communityId: string,
    userId: string,
    change: { to: MembershipStatus; from: MembershipStatus[]; by: string; at: Date },
  ): Promise<string | null> {
    const rows = await Sql.over(manager).rows<Columns<'memberships', 'id'>>(
      `UPDATE memberships SET status = $3, decided_by = $4, decided_at = $5, updated_at = now()
          WHERE community_id = $1 AND user_id = $2 AND status = ANY($6)
        RETURNING id, status`,
      [communityId, userId, change.to, change.by, change.at, change.from],
    );
    return rows[0]?.id ?? null;
  }

  async setRole(manager: EntityManager, communityId: string, id: string, role: CommunityRole): Promise<void> {
    await manager.update(Membership, { id, communityId }, { role });
  }

  async delete(manager: EntityManager, communityId: string, id: string): Promise<void> {
    await manager.delete(Membership, { id, communityId });
  }

  coChairs(manager: EntityManager, communityId: string): Promise<Array<Pick<User, 'id' | 'email' | 'displayName'>>> {
    return Sql.over(manager).rows(
      `SELECT u.id, u.email, u.display_name AS "displayName"
         FROM memberships m JOIN users u ON u.id = m.user_id
        WHERE m.community_id = $1 AND m.status = 'approved' AND m.role = 'co_chair'`,
      [communityId],
    );
  }

  /** The community's approved co-chairs, locked (two co-chairs demoting each other are serialised). */
  async lockCoChairs(manager: EntityManager, communityId: string): Promise<string[]> {
    const rows = await Sql.over(manager).rows<Columns<'memberships', 'user_id'>>(
      `SELECT user_id FROM memberships
        WHERE community_id = $1 AND role = 'co_chair' AND status = 'approved'
        ORDER BY id FOR UPDATE`,
      [communityId],
    );
    return rows.map((r) => r.user_id);
  }

  list(
    communityId: string,
    status: MembershipStatus,
    limit: number,
    filter: { role?: CommunityRole; after?: [Date, string] },
  ): Promise<MemberRow[]> {
    const params: unknown[] = [communityId, status, limit + 1];
    let where = 'm.community_id = $1 AND m.status = $2';
    if (filter.role) {
      params.push(filter.role);
      where += ` AND m.role = $${params.length}`;
    }
    if (filter.after) {
      params.push(filter.after[0], filter.after[1]);
      where += ` AND (m.created_at, m.id) > ($${params.length - 1}::timestamptz, $${params.length}::uuid)`;
    }
    return this.sql.rows<MemberRow>(
      `SELECT m.id, m.user_id AS "userId", u.display_name AS "displayName", u.handle, u.email, u.profession,
              u.career_stage AS "careerStage", u.region, u.organisation, m.status, m.role,
              m.created_at AS "requestedAt", m.decided_at AS "decidedAt"
         FROM memberships m JOIN users u ON u.id = m.user_id
        WHERE ${where}
        ORDER BY m.created_at, m.id
        LIMIT $3`,
      params,
    );
  }

  membershipsOf(userId: string): Promise<MembershipOfRow[]> {
    return this.sql.rows<MembershipOfRow>(
      `SELECT c.id AS "communityId", c.slug, c.name, m.status, m.role
         FROM memberships m JOIN communities c ON c.id = m.community_id
        WHERE m.user_id = $1 ORDER BY c.name`,
      [userId],
    );
  }
}
