import { Injectable } from '@nestjs/common';
import { Columns, Row, SqlPort } from '@cophub/core';
import { Community } from './community.entity';
import { CommunityRole, MembershipStatus } from './enums';

/** A sign-in as every request checks it: the account's admin flag, and whether the sign-in is live. */
export interface SessionStateRow {
  isAdmin: boolean;
  live: boolean;
}

/** A person's standing in one community (both null when they are not a member). */
export interface MembershipStateRow {
  status: MembershipStatus | null;
  role: CommunityRole | null;
}

type CommunitySql = Omit<Row<'communities'>, 'region'> & { region: Community['region'] };

/**
 * The statements on every request's path (the guard, the session cache and the community check): one
 * statement each, their text unchanged, so the port adds no round trip.
 */
@Injectable()
export class AccessRepository {
  constructor(private readonly sql: SqlPort) {}

  /** Whether the sign-in (refresh-token family) is live and the account open; null when there is no such account. */
  async sessionState(sessionId: string, userId: string): Promise<SessionStateRow | null> {
    const rows = await this.sql.rows<Columns<'users', 'is_admin'> & { live: boolean }>(
      `SELECT u.is_admin,
                u.closed_at IS NULL AND EXISTS (
                  SELECT 1 FROM refresh_tokens r
                   WHERE r.family_id = $1 AND r.user_id = u.id AND r.revoked_at IS NULL AND r.expires_at > now()
                ) AS live
           FROM users u WHERE u.id = $2`,
      [sessionId, userId],
    );
    return rows[0] ? { isAdmin: rows[0].is_admin, live: rows[0].live } : null;
  }

  async community(by: 'slug' | 'id', key: string): Promise<Community | null> {
    const rows = await this.sql.rows<CommunitySql>(
      `SELECT * FROM communities c WHERE ${by === 'slug' ? 'c.slug = $1' : 'c.id = $1::uuid'}`,
      [key],
    );
    const row = rows[0];
    return row
      ? Object.assign(new Community(), {
          id: row.id,
          slug: row.slug,
          name: row.name,
          description: row.description,
          aims: row.aims,
          audience: row.audience,
          region: row.region,
          autoApproveDomains: row.auto_approve_domains,
          breakdownThreshold: row.breakdown_threshold,
          createdAt: row.created_at,
          updatedAt: row.updated_at,
        })
      : null;
  }

  async membershipState(communityId: string, userId: string): Promise<MembershipStateRow | null> {
    const rows = await this.sql.rows<MembershipStateRow>(
      'SELECT status, role FROM memberships WHERE community_id = $1 AND user_id = $2',
      [communityId, userId],
    );
    return rows[0] ?? null;
  }
}
