import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { runQuery } from '@cophub/core';
import { DataSource } from 'typeorm';
import { CareerStage, Profession, Region } from '../entities/enums';
import { User } from '../entities/user.entity';
import { IdentityError, IdentityErrorCode } from '../errors/identity.error';
import { assertDisplayName } from './display-name';
import { IdentityChanges } from './identity-changes';

export interface ProfileChanges {
  displayName?: string;
  profession?: Profession;
  careerStage?: CareerStage;
  region?: Region;
  organisation?: string;
}

const USER_COLUMNS: Record<keyof ProfileChanges, string> = {
  displayName: 'display_name',
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
        )
      : { count: (await this.get(userId)).closedAt ? 0 : 1 };
    if (!count) throw new IdentityError(IdentityErrorCode.AccountClosed, 'This account has been closed');
    if (Object.keys(patch).length) await this.changes.announce({ kind: 'profile', userId });
    return this.get(userId);
  }
}
