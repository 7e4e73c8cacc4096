import { Injectable } from '@nestjs/common';
import { Sql, SqlPort } from '@cophub/core';

export interface ContributorRow {
  userId: string;
  displayName: string;
  grantedAt: Date;
}

/** Every statement on `resource_contributors`: who, besides co-chairs, may add and change a community's resources. */
@Injectable()
export class ResourceContributorsRepository {
  constructor(private readonly sql: SqlPort) {}

  async isContributor(communityId: string, userId: string): Promise<boolean> {
    const rows = await this.sql.rows('SELECT 1 FROM resource_contributors WHERE community_id = $1 AND user_id = $2', [
      communityId,
      userId,
    ]);
    return rows.length > 0;
  }

  /** The community's contributors with their names, oldest grant first. */
  list(communityId: string): Promise<ContributorRow[]> {
    return this.sql.rows<ContributorRow>(
      `SELECT c.user_id AS "userId", u.display_name AS "displayName", c.created_at AS "grantedAt"
         FROM resource_contributors c JOIN users u ON u.id = c.user_id
        WHERE c.community_id = $1 ORDER BY c.created_at, c.user_id`,
      [communityId],
    );
  }

  /** Grants an approved member the right to contribute; true when the grant is new. */
  async grant(tx: Sql, communityId: string, userId: string, grantedBy: string): Promise<boolean> {
    const rows = await tx.rows(
      `INSERT INTO resource_contributors (community_id, user_id, granted_by)
         SELECT $1, $2, $3 WHERE EXISTS (
           SELECT 1 FROM memberships WHERE community_id = $1 AND user_id = $2 AND status = 'approved')
         ON CONFLICT (community_id, user_id) DO NOTHING
         RETURNING user_id`,
      [communityId, userId, grantedBy],
    );
    return rows.length > 0;
  }

  async isApprovedMember(tx: Sql, communityId: string, userId: string): Promise<boolean> {
    const rows = await tx.rows(
      `SELECT 1 FROM memberships WHERE community_id = $1 AND user_id = $2 AND status = 'approved'`,
      [communityId, userId],
    );
    return rows.length > 0;
  }

  /** True when there was a grant to remove. */
  async revoke(tx: Sql, communityId: string, userId: string): Promise<boolean> {
    const removed = await tx.count('DELETE FROM resource_contributors WHERE community_id = $1 AND user_id = $2', [
      communityId,
      userId,
    ]);
    return removed > 0;
  }

  /** Communities where a person may contribute, for their personal data export. */
  grantsOf(userId: string): Promise<Record<string, unknown>[]> {
    return this.sql.rows(
      `SELECT c.slug AS community, rc.created_at AS "grantedAt"
                 FROM resource_contributors rc JOIN communities c ON c.id = rc.community_id WHERE rc.user_id = $1`,
      [userId],
    );
  }

  /** A closing account's grants end (grants the person gave stay). */
  async removeAllOf(userId: string): Promise<void> {
    await this.sql.exec('DELETE FROM resource_contributors WHERE user_id = $1', [userId]);
  }
}
