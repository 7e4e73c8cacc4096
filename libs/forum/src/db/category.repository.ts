import { Injectable } from '@nestjs/common';
import { CamelRow, Sql, SqlPort } from '@cophub/core';
import { CategoryPostPolicy } from './enums';

/** A category's version and how many of its threads the reader has read to the end. */
export interface ListedCategoryRow {
  id: string;
  version: number;
  readThreadCount: number;
}

/** A category as every member sees it, with its live thread count. */
export type CategoryRow = Pick<
  CamelRow<'forum_categories'>,
  'id' | 'communityId' | 'name' | 'description' | 'position'
> & {
  postPolicy: CategoryPostPolicy;
  threadCount: number;
};

/** A category row as the policy and the services check it. */
export type CategoryRef = Pick<CamelRow<'forum_categories'>, 'id' | 'communityId' | 'name'> & {
  postPolicy: CategoryPostPolicy;
};

export interface CategoryChanges {
  name?: string;
  description?: string;
  position?: number;
  postPolicy?: CategoryPostPolicy;
}

const CHANGE_COLUMNS: Record<keyof CategoryChanges, string> = {
  name: 'name',
  description: 'description',
  position: 'position',
  postPolicy: 'post_policy',
};

const CATEGORY_REF = `id, community_id AS "communityId", name, post_policy AS "postPolicy"`;

/** Every statement on `forum_categories`. */
@Injectable()
export class CategoryRepository {
  constructor(private readonly sql: SqlPort) {}

  /**
   * The community's categories (or one) in order, with their versions and how many of each one's
   * threads the reader has read to the end (counted from the reader's read positions).
   */
  listed(communityId: string, userId: string, onlyId: string | null): Promise<ListedCategoryRow[]> {
    return this.sql.rows<ListedCategoryRow>(
      `SELECT c.id, c.version, coalesce(r.n, 0)::int AS "readThreadCount"
         FROM forum_categories c
         LEFT JOIN (SELECT t.category_id, count(*) AS n
                      FROM forum_read_states rs JOIN forum_threads t ON t.id = rs.thread_id
                     WHERE rs.user_id = $2 AND t.community_id = $1 AND t.deleted_at IS NULL
                       AND rs.last_read_post_number >= t.post_count
                     GROUP BY t.category_id) r ON r.category_id = c.id
        WHERE c.community_id = $1 AND ($3::uuid IS NULL OR c.id = $3)
        ORDER BY c.position, c.id`,
      [communityId, userId, onlyId],
    );
  }

  /** The shared part of the community's listed categories. */
  load(communityId: string, ids: string[]): Promise<CategoryRow[]> {
    return this.sql.rows<CategoryRow>(
      `SELECT c.id, c.community_id AS "communityId", c.name, c.description, c.position, c.post_policy AS "postPolicy",
              (SELECT count(*) FROM forum_threads t WHERE t.category_id = c.id AND t.deleted_at IS NULL)::int AS "threadCount"
         FROM forum_categories c
        WHERE c.id = ANY($1::uuid[]) AND c.community_id = $2`,
      [ids, communityId],
    );
  }

  /** A category by id, in any community (item routes find the community from it). */
  find(categoryId: string): Promise<CategoryRef | null> {
    return this.sql.maybeOne<CategoryRef>(`SELECT ${CATEGORY_REF} FROM forum_categories WHERE id = $1`, [categoryId]);
  }

  /** A category of this community. */
  findIn(communityId: string, categoryId: string, db: Sql = this.sql): Promise<CategoryRef | null> {
    return db.maybeOne<CategoryRef>(
      `SELECT ${CATEGORY_REF} FROM forum_categories WHERE id = $1 AND community_id = $2`,
      [categoryId, communityId],
    );
  }

  async nextPosition(tx: Sql, communityId: string): Promise<number> {
    const row = await tx.one<{ next: number }>(
      'SELECT coalesce(max(position) + 1, 0)::int AS next FROM forum_categories WHERE community_id = $1',
      [communityId],
    );
    return row.next;
  }

  async insert(
    tx: Sql,
    category: {
      communityId: string;
      name: string;
      description: string;
      position: number;
      postPolicy: CategoryPostPolicy;
    },
  ): Promise<string> {
    const row = await tx.one<{ id: string }>(
      `INSERT INTO forum_categories (community_id, name, description, position, post_policy)
       VALUES ($1, $2, $3, $4, $5) RETURNING id`,
      [category.communityId, category.name, category.description, category.position, category.postPolicy],
    );
    return row.id;
  }

  /** Writes the given changes (at least one) to the category. */
  async update(tx: Sql, communityId: string, categoryId: string, changes: CategoryChanges): Promise<void> {
    const keys = (Object.keys(CHANGE_COLUMNS) as Array<keyof CategoryChanges>).filter((k) => k in changes);
    const sets = keys.map((key, i) => `${CHANGE_COLUMNS[key]} = $${i + 3}`);
    await tx.exec(
      `UPDATE forum_categories SET ${sets.join(', ')}, updated_at = CURRENT_TIMESTAMP WHERE id = $1 AND community_id = $2`,
      [categoryId, communityId, ...keys.map((key) => changes[key])],
    );
  }

  /** The ids of the community's categories, locked (in id order) against creation, deletion and reordering. */
  async lockAll(tx: Sql, communityId: string): Promise<string[]> {
    const rows = await tx.rows<{ id: string }>(
      'SELECT id FROM forum_categories WHERE community_id = $1 ORDER BY id FOR UPDATE',
      [communityId],
    );
    return rows.map((r) => r.id);
  }

  /** Positions 0, 1, 2… in the order given. */
  async reorder(tx: Sql, communityId: string, categoryIds: string[]): Promise<void> {
    await tx.exec(
      `UPDATE forum_categories c SET position = o.position - 1, updated_at = now()
         FROM unnest($2::uuid[]) WITH ORDINALITY AS o(id, position)
        WHERE c.id = o.id AND c.community_id = $1 AND c.position <> o.position - 1`,
      [communityId, categoryIds],
    );
  }

  /** The community's categories of `ids`, locked in id order (two merges in opposite directions cannot deadlock). */
  lockSome(tx: Sql, communityId: string, ids: string[]): Promise<Array<{ id: string; name: string }>> {
    return tx.rows<{ id: string; name: string }>(
      'SELECT id, name FROM forum_categories WHERE id = ANY($1::uuid[]) AND community_id = $2 ORDER BY id FOR UPDATE',
      [ids, communityId],
    );
  }

  /** Moves every thread of a category to another, bumping each one's version; answers the moved ids. */
  async moveThreads(tx: Sql, communityId: string, fromId: string, intoId: string): Promise<string[]> {
    const rows = await tx.rows<{ id: string }>(
      `UPDATE forum_threads SET category_id = $2, version = version + 1, updated_at = now()
        WHERE category_id = $1 AND community_id = $3 RETURNING id`,
      [fromId, intoId, communityId],
    );
    return rows.map((r) => r.id);
  }

  /** Every thread of the category, deleted ones included. */
  async threadCount(tx: Sql, communityId: string, categoryId: string): Promise<number> {
    const row = await tx.one<{ threads: number }>(
      'SELECT count(*)::int AS threads FROM forum_threads WHERE category_id = $1 AND community_id = $2',
      [categoryId, communityId],
    );
    return row.threads;
  }

  async delete(tx: Sql, communityId: string, categoryId: string): Promise<void> {
    await tx.exec('DELETE FROM forum_categories WHERE id = $1 AND community_id = $2', [categoryId, communityId]);
  }

  /** The community's co-chairs-only category named `name`, created (last in order) when it is not there. */
  async ensureAnnouncements(tx: Sql, communityId: string, name: string): Promise<string> {
    await tx.exec(
      `INSERT INTO forum_categories (community_id, name, description, position, post_policy)
       SELECT $1, $2, 'News from the co-chairs. Only co-chairs post here.',
              coalesce((SELECT max(position) + 1 FROM forum_categories WHERE community_id = $1), 0), $3
       ON CONFLICT (community_id, name) DO NOTHING`,
      [communityId, name, CategoryPostPolicy.CoChairs],
    );
    const row = await tx.one<{ id: string }>('SELECT id FROM forum_categories WHERE community_id = $1 AND name = $2', [
      communityId,
      name,
    ]);
    return row.id;
  }

  /** The category's community (for room access). */
  async communityOf(categoryId: string): Promise<string | null> {
    const row = await this.sql.maybeOne<{ community_id: string }>(
      'SELECT community_id FROM forum_categories WHERE id = $1',
      [categoryId],
    );
    return row?.community_id ?? null;
  }
}
