import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { isUniqueViolation, runQuery } from '@cophub/core';
import { DataSource } from 'typeorm';
import { CareerStage, Profession, Region } from '../entities/enums';
import { User } from '../entities/user.entity';
import { IdentityError, IdentityErrorCode } from '../errors/identity.error';
import { assertDisplayName } from './display-name';
import { assertHandle } from './handle';
import { IdentityChanges } from './identity-changes';

export interface ProfileChanges {
  displayName?: string;
  handle?: string;
  profession?: Profession;
  careerStage?: CareerStage;
  region?: Region;
  organisation?: string;
}

const USER_COLUMNS: Record<keyof ProfileChanges, string> = {
  displayName: 'display_name',
  handle: 'handle',
  profession: 'profession',
  careerStage: 'career_stage',
  region: 'region',
  organisation: 'organisation',
};

/** The user profile other modules read (profession, stage, region) and snapshot where history matters. */
@Injectable()
export class UserService {
  private selectById: string | null = null;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly changes: IdentityChanges,
  ) {}

  /**
   * Read on most authenticated requests (`GET /me` among them), so it skips the query builder:
   * the statement is built once from the entity's columns and each row becomes a `User` as the
   * builder would make it (every column is text, boolean, uuid or timestamptz, so no conversions).
   */
  async get(userId: string): Promise<User> {
    if (!this.selectById) {
      const metadata = this.dataSource.getMetadata(User);
      const columns = metadata.columns.map((c) => `"${c.databaseName}" AS "${c.propertyName}"`).join(', ');
      this.selectById = `SELECT ${columns} FROM "${metadata.tableName}" WHERE id = $1`;
    }
    const [row] = (await this.dataSource.query(this.selectById, [userId])) as Partial<User>[];
    if (!row) throw new IdentityError(IdentityErrorCode.UserNotFound, 'Account not found');
    return Object.assign(new User(), row);
  }

  async getMany(userIds: string[]): Promise<User[]> {
    if (!userIds.length) return [];
    return this.dataSource
      .getRepository(User)
      .createQueryBuilder('u')
      .where('u.id = ANY(:ids)', { ids: userIds })
      .getMany();
  }

  async updateProfile(userId: string, changes: ProfileChanges): Promise<User> {
    if (changes.displayName !== undefined) assertDisplayName(changes.displayName);
    if (changes.handle !== undefined) assertHandle(changes.handle);
    const patch = Object.fromEntries(
      Object.entries(changes)
        .filter(([, v]) => v !== undefined)
        .map(([k, v]) => [k, typeof v === 'string' ? v.trim() : v]),
    );
    // Never on a closed account: its request may have passed the session check just before it closed.
    const { count } = Object.keys(patch).length
      ? await runQuery(
          this.dataSource,
          `UPDATE users SET ${Object.keys(patch)
            .map((key, i) => `${USER_COLUMNS[key as keyof ProfileChanges]} = $${i + 2}`)
            .join(', ')}, updated_at = now()
            WHERE id = $1 AND closed_at IS NULL`,
          [userId, ...Object.values(patch)],
        ).catch((error: unknown) => {
          // Two people asking for the same handle at once: the unique index lets one have it.
          if (isUniqueViolation(error, 'ux_users_handle')) {
            throw new IdentityError(
              IdentityErrorCode.HandleTaken,
              'That handle is taken (handles are unique ignoring case, and 0/o, 1/l/i and _/- count as the same)',
            );
          }
          throw error;
        })
      : { count: (await this.get(userId)).closedAt ? 0 : 1 };
    if (!count) throw new IdentityError(IdentityErrorCode.AccountClosed, 'This account has been closed');
    if (Object.keys(patch).length) await this.changes.announce({ kind: 'profile', userId });
    return this.get(userId);
  }

  /** A free handle made from the member's display name (their own current handle counts as free). */
  async suggestHandle(userId: string): Promise<string> {
    const [row] = (await this.dataSource.query(
      'SELECT pick_handle(display_name, id) AS handle FROM users WHERE id = $1 AND closed_at IS NULL',
      [userId],
    )) as Array<{ handle: string }>;
    if (!row) throw new IdentityError(IdentityErrorCode.UserNotFound, 'Account not found');
    return row.handle;
  }

  /**
   * What a member may see of another on a profile card: their name, handle, profession, career stage,
   * region (as the member list shows them), and the communities both are approved members of. Someone
   * who shares no community with the viewer is "not found", whether or not the handle exists.
   */
  async card(viewerId: string, handle: string): Promise<ProfileCard> {
    const [row] = (await this.dataSource.query(
      `SELECT u.id, u.handle, u.display_name, u.profession, u.career_stage, u.region,
              coalesce((SELECT json_agg(json_build_object('slug', c.slug, 'name', c.name) ORDER BY c.name)
                          FROM memberships theirs
                          JOIN memberships mine ON mine.community_id = theirs.community_id
                                               AND mine.user_id = $1 AND mine.status = 'approved'
                          JOIN communities c ON c.id = theirs.community_id
                         WHERE theirs.user_id = u.id AND theirs.status = 'approved'), '[]') AS common
         FROM users u
        WHERE lower(u.handle) = lower($2) AND u.closed_at IS NULL`,
      [viewerId, handle],
    )) as Array<{
      id: string;
      handle: string;
      display_name: string;
      profession: Profession;
      career_stage: CareerStage;
      region: Region;
      common: Array<{ slug: string; name: string }>;
    }>;
    if (!row || (!row.common.length && row.id !== viewerId)) {
      throw new IdentityError(IdentityErrorCode.ProfileNotFound, 'No member with that handle shares a community with you');
    }
    return {
      userId: row.id,
      handle: row.handle,
      displayName: row.display_name,
      profession: row.profession,
      careerStage: row.career_stage,
      region: row.region,
      communitiesInCommon: row.common,
    };
  }
}

export interface ProfileCard {
  userId: string;
  handle: string;
  displayName: string;
  profession: Profession;
  careerStage: CareerStage;
  region: Region;
  communitiesInCommon: Array<{ slug: string; name: string }>;
}
