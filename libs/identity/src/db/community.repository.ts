import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { Row, SqlPort } from '@cophub/core';
import { Community } from './community.entity';
import { CommunityRole, MembershipStatus } from './enums';

/** A community in the directory with the caller's standing in it. */
export interface CommunityStandingRow {
  id: Row<'communities'>['id'];
  status: MembershipStatus | null;
  role: CommunityRole | null;
  memberCount: string;
}

/** Every statement on `communities` outside the per-request access check (see `AccessRepository`). */
@Injectable()
export class CommunityRepository {
  constructor(private readonly sql: SqlPort) {}

  /** Inserts the community in the caller's transaction (the entity fills in its defaults). */
  insert(manager: EntityManager, values: Partial<Community>): Promise<Community> {
    return manager.save(manager.create(Community, values));
  }

  /** Applies `patch` (properties of the entity) and answers the community as it now is, in the caller's transaction. */
  async update(manager: EntityManager, communityId: string, patch: Partial<Community>): Promise<Community> {
    if (Object.keys(patch).length) await manager.update(Community, { id: communityId }, patch);
    return manager.findOneByOrFail(Community, { id: communityId });
  }

  bySlug(slug: string): Promise<Community | null> {
    return this.sql.manager.findOneBy(Community, { slug });
  }

  all(): Promise<Community[]> {
    return this.sql.manager.find(Community, { order: { name: 'ASC' } });
  }

  standings(userId: string): Promise<CommunityStandingRow[]> {
    return this.sql.rows<CommunityStandingRow>(
      `SELECT c.id, m.status, m.role,
                (SELECT count(*) FROM memberships a WHERE a.community_id = c.id AND a.status = 'approved') AS "memberCount"
           FROM communities c
           LEFT JOIN memberships m ON m.community_id = c.id AND m.user_id = $1
          ORDER BY c.name`,
      [userId],
    );
  }
}
