import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Columns, Row, SqlPort } from '@cophub/core';
import { CareerStage, Profession, Region } from './enums';
import { User } from './user.entity';

/** What a member may see of another on a profile card, with the communities both are approved members of. */
export interface ProfileCardRow {
  id: Row<'users'>['id'];
  handle: Row<'users'>['handle'];
  displayName: Row<'users'>['display_name'];
  profession: Profession;
  careerStage: CareerStage;
  region: Region;
  common: Array<{ slug: string; name: string }>;
}

/** Every statement on the `users` row of a person's profile. */
@Injectable()
export class UserRepository {
  private columns: string | null = null;

  constructor(
    private readonly sql: SqlPort,
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {}

  /**
   * The entity's columns as `"column" AS "property"`, built once from its metadata: each row becomes a `User`
   * as the query builder would make it (every column is text, boolean, uuid or timestamptz, so no conversions).
   */
  private userColumns(): { columns: string; table: string } {
    const metadata = this.dataSource.getMetadata(User);
    this.columns ??= metadata.columns.map((c) => `"${c.databaseName}" AS "${c.propertyName}"`).join(', ');
    return { columns: this.columns, table: metadata.tableName };
  }

  private selectById: string | null = null;

  /** Read on most authenticated requests (`GET /me` among them): one statement, built once. */
  async byId(userId: string): Promise<User | null> {
    if (!this.selectById) {
      const { columns, table } = this.userColumns();
      this.selectById = `SELECT ${columns} FROM "${table}" WHERE id = $1`;
    }
    const [row] = await this.sql.rows<Partial<User>>(this.selectById, [userId]);
    return row ? Object.assign(new User(), row) : null;
  }

  async byIds(userIds: string[]): Promise<User[]> {
    const { columns, table } = this.userColumns();
    const rows = await this.sql.rows<Partial<User>>(`SELECT ${columns} FROM "${table}" WHERE id = ANY($1)`, [userIds]);
    return rows.map((row) => Object.assign(new User(), row));
  }

  /** Sets the given columns (names from a fixed list) on an open account; returns how many rows changed. */
  updateOpen(userId: string, patch: Array<[column: string, value: unknown]>): Promise<number> {
    return this.sql.count(
      `UPDATE users SET ${patch.map(([column], i) => `${column} = $${i + 2}`).join(', ')}, updated_at = now()
            WHERE id = $1 AND closed_at IS NULL`,
      [userId, ...patch.map(([, value]) => value)],
    );
  }

  /** A free handle made from the member's display name; null for no open account. */
  async suggestHandle(userId: string): Promise<string | null> {
    const row = await this.sql.maybeOne<Columns<'users', 'handle'>>(
      'SELECT pick_handle(display_name, id) AS handle FROM users WHERE id = $1 AND closed_at IS NULL',
      [userId],
    );
    return row?.handle ?? null;
  }

  card(viewerId: string, handle: string): Promise<ProfileCardRow | null> {
    return this.sql.maybeOne<ProfileCardRow>(
      `SELECT u.id, u.handle, u.display_name AS "displayName", u.profession, u.career_stage AS "careerStage", u.region,
              coalesce((SELECT json_agg(json_build_object('slug', c.slug, 'name', c.name) ORDER BY c.name)
                          FROM memberships theirs
                          JOIN memberships mine ON mine.community_id = theirs.community_id
                                               AND mine.user_id = $1 AND mine.status = 'approved'
                          JOIN communities c ON c.id = theirs.community_id
                         WHERE theirs.user_id = u.id AND theirs.status = 'approved'), '[]') AS common
         FROM users u
        WHERE lower(u.handle) = lower($2) AND u.closed_at IS NULL`,
      [viewerId, handle],
    );
  }
}
