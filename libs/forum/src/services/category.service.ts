import { createHash } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { AuditService } from '@cophub/audit';
import { CommonError, CommonErrorCode, isUniqueViolation, queryRows } from '@cophub/core';
import { AuthUser, CommunityContext, CommunityRole } from '@cophub/identity';
import { DataSource } from 'typeorm';
import { CategoryPostPolicy } from '../entities/enums';
import { ForumCache } from '../cache/forum-cache';
import { ForumCategory } from '../entities/category.entity';
import { ForumError, ForumErrorCode } from '../errors/forum.error';
import { ForumPolicy } from '../policies/forum.policy';
import { CategoryView } from '../views';
import { ForumEvents, forumEvent } from './forum-events';

export interface CategoryInput {
  name: string;
  description?: string;
  position?: number;
  postPolicy?: CategoryPostPolicy;
}

/** A category as every member sees it in the list (cached per category and version). */
interface SharedCategory {
  id: string;
  communityId: string;
  name: string;
  description: string;
  position: number;
  postPolicy: CategoryPostPolicy;
  threadCount: number;
}

interface ListedCategory {
  id: string;
  version: number;
  read_thread_count: number;
}

/**
 * Categories are few per community, so they are listed whole, with per-caller unread counts. The
 * shared part (names, policies, thread counts) is cached by the categories' versions, which triggers
 * bump whenever it changes; the one query per read gives the versions and how many of each
 * category's threads the caller has read to the end, so no instance shows a stale list.
 */
@Injectable()
export class CategoryService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly policy: ForumPolicy,
    private readonly audit: AuditService,
    private readonly events: ForumEvents,
    private readonly cache: ForumCache,
  ) {}

  async list(context: CommunityContext, onlyId?: string): Promise<CategoryView[]> {
    // Read threads counted from the caller's read positions (a member has read far fewer threads than
    // a busy community holds); unread is then the category's thread count minus those.
    const rows: ListedCategory[] = await this.dataSource.query(
      `SELECT c.id, c.version, coalesce(r.n, 0)::int AS read_thread_count
         FROM forum_categories c
         LEFT JOIN (SELECT t.category_id, count(*) AS n
                      FROM forum_read_states rs JOIN forum_threads t ON t.id = rs.thread_id
                     WHERE rs.user_id = $2 AND t.community_id = $1 AND t.deleted_at IS NULL
                       AND rs.last_read_post_number >= t.post_count
                     GROUP BY t.category_id) r ON r.category_id = c.id
        WHERE c.community_id = $1 AND ($3::uuid IS NULL OR c.id = $3)
        ORDER BY c.position, c.id`,
      [context.community.id, context.userId, onlyId ?? null],
    );
    if (!rows.length) return [];
    const key = `categories:${context.community.id}:${createHash('sha1')
      .update(rows.map((r) => `${r.id}:${r.version}`).join('|'))
      .digest('base64url')}`;
    const shared = await this.cache.get(key, () => this.load(rows.map((r) => r.id)));
    const byId = new Map(shared.map((c) => [c.id, c]));
    return rows.flatMap((row) => {
      const category = byId.get(row.id);
      // Deleted between the two reads: it is gone from the list.
      if (!category) return [];
      return [{ ...category, unreadThreadCount: Math.max(category.threadCount - row.read_thread_count, 0) }];
    });
  }

  private async load(ids: string[]): Promise<SharedCategory[]> {
    const rows: Array<{
      id: string;
      community_id: string;
      name: string;
      description: string;
      position: number;
      post_policy: CategoryPostPolicy;
      thread_count: number;
    }> = await this.dataSource.query(
      `SELECT c.id, c.community_id, c.name, c.description, c.position, c.post_policy,
              (SELECT count(*) FROM forum_threads t WHERE t.category_id = c.id AND t.deleted_at IS NULL)::int AS thread_count
         FROM forum_categories c
        WHERE c.id = ANY($1::uuid[])`,
      [ids],
    );
    return rows.map((row) => ({
      id: row.id,
      communityId: row.community_id,
      name: row.name,
      description: row.description,
      position: row.position,
      postPolicy: row.post_policy,
      threadCount: Number(row.thread_count),
    }));
  }

  async create(context: CommunityContext, input: CategoryInput): Promise<CategoryView> {
    const id = await this.dataSource.transaction(async (manager) => {
      // A new category goes last unless a position is asked for.
      const position =
        input.position ??
        (
          await queryRows<{ next: number }>(
            manager,
            'SELECT coalesce(max(position) + 1, 0)::int AS next FROM forum_categories WHERE community_id = $1',
            [context.community.id],
          )
        )[0].next;
      const result = await manager
        .insert(ForumCategory, {
          communityId: context.community.id,
          name: input.name.trim(),
          description: input.description ?? '',
          position,
          postPolicy: input.postPolicy ?? CategoryPostPolicy.Members,
        })
        .catch((error: unknown) => {
          if (isUniqueViolation(error)) {
            throw new ForumError(ForumErrorCode.CategoryNameTaken, 'A category with that name already exists');
          }
          throw error;
        });
      const categoryId = result.identifiers[0].id as string;
      await this.audit.record(manager, {
        communityId: context.community.id,
        actorId: context.userId,
        action: 'forum.category.create',
        targetType: 'forum_category',
        targetId: categoryId,
        data: { name: input.name, postPolicy: input.postPolicy ?? CategoryPostPolicy.Members },
      });
      return categoryId;
    });
    return (await this.list(context, id))[0];
  }

  async update(user: AuthUser, categoryId: string, input: Partial<CategoryInput>): Promise<CategoryView> {
    const { context } = await this.policy.category(user, categoryId, CommunityRole.CoChair);
    await this.dataSource.transaction(async (manager) => {
      const changes: Partial<ForumCategory> = {};
      if (input.name !== undefined) changes.name = input.name.trim();
      if (input.description !== undefined) changes.description = input.description;
      if (input.position !== undefined) changes.position = input.position;
      if (input.postPolicy !== undefined) changes.postPolicy = input.postPolicy;
      if (!Object.keys(changes).length) return;
      await manager.update(ForumCategory, { id: categoryId }, changes).catch((error: unknown) => {
        if (isUniqueViolation(error)) {
          throw new ForumError(ForumErrorCode.CategoryNameTaken, 'A category with that name already exists');
        }
        throw error;
      });
      await this.audit.record(manager, {
        communityId: context.community.id,
        actorId: user.id,
        action: 'forum.category.update',
        targetType: 'forum_category',
        targetId: categoryId,
        data: changes,
      });
    });
    return (await this.list(context, categoryId))[0];
  }

  /**
   * Sets the order of the community's categories: `categoryIds` must name each of them exactly once,
   * and they get positions 0, 1, 2… in that order. The community's category rows are locked first, so a
   * category created or deleted meanwhile makes the list incomplete (400) rather than half-ordered.
   */
  async reorder(context: CommunityContext, categoryIds: string[]): Promise<CategoryView[]> {
    await this.dataSource.transaction(async (manager) => {
      const rows = await queryRows<{ id: string }>(
        manager,
        'SELECT id FROM forum_categories WHERE community_id = $1 ORDER BY id FOR UPDATE',
        [context.community.id],
      );
      const current = new Set(rows.map((r) => r.id));
      const given = new Set(categoryIds);
      if (
        given.size !== categoryIds.length ||
        given.size !== current.size ||
        categoryIds.some((id) => !current.has(id))
      ) {
        throw new CommonError(
          CommonErrorCode.BadRequest,
          'categoryIds must list every category of this community exactly once',
        );
      }
      await manager.query(
        `UPDATE forum_categories c SET position = o.position - 1, updated_at = now()
           FROM unnest($2::uuid[]) WITH ORDINALITY AS o(id, position)
          WHERE c.id = o.id AND c.community_id = $1 AND c.position <> o.position - 1`,
        [context.community.id, categoryIds],
      );
      await this.audit.record(manager, {
        communityId: context.community.id,
        actorId: context.userId,
        action: 'forum.category.reorder',
        targetType: 'community',
        targetId: context.community.id,
        data: { categoryIds },
      });
    });
    return this.list(context);
  }

  /**
   * Moves every thread of one category into another of the same community and deletes the first, in
   * one transaction. Each moved thread's version is bumped in the same statement, so cached thread
   * pages and list summaries are never served from before the merge.
   */
  async merge(user: AuthUser, categoryId: string, intoId: string): Promise<CategoryView> {
    const { context, category } = await this.policy.category(user, categoryId, CommunityRole.CoChair);
    if (intoId === categoryId) {
      throw new CommonError(CommonErrorCode.BadRequest, 'A category cannot be merged into itself');
    }
    const moved = await this.dataSource.transaction(async (manager) => {
      // Both rows locked in id order, so two merges in opposite directions cannot deadlock.
      const locked = await queryRows<{ id: string; name: string }>(
        manager,
        'SELECT id, name FROM forum_categories WHERE id = ANY($1::uuid[]) AND community_id = $2 ORDER BY id FOR UPDATE',
        [[categoryId, intoId], context.community.id],
      );
      const target = locked.find((row) => row.id === intoId);
      if (!target) {
        throw new ForumError(ForumErrorCode.CategoryNotFound, 'The category to merge into is not in this community');
      }
      if (!locked.some((row) => row.id === categoryId)) {
        throw new ForumError(ForumErrorCode.CategoryNotFound, 'Category not found');
      }
      const threads = await queryRows<{ id: string }>(
        manager,
        `UPDATE forum_threads SET category_id = $2, version = version + 1, updated_at = now()
          WHERE category_id = $1 RETURNING id`,
        [categoryId, intoId],
      );
      await manager.delete(ForumCategory, { id: categoryId });
      await this.audit.record(manager, {
        communityId: context.community.id,
        actorId: user.id,
        action: 'forum.category.merge',
        targetType: 'forum_category',
        targetId: categoryId,
        data: { name: category.name, into: intoId, intoName: target.name, threads: threads.length },
      });
      return threads.map((t) => t.id);
    });
    this.events.publish(
      moved.flatMap((threadId) => [
        forumEvent('thread', threadId, 'thread.updated', { threadId, categoryId: intoId }),
        forumEvent('category', intoId, 'thread.updated', { threadId, categoryId: intoId }),
        forumEvent('category', categoryId, 'thread.updated', { threadId, categoryId: intoId }),
      ]),
    );
    return (await this.list(context, intoId))[0];
  }

  /**
   * Only an empty category can go: one with threads (deleted ones included, which moderators can still
   * see) is refused with a 409 that says to merge or move first. The foreign key settles races.
   */
  async remove(user: AuthUser, categoryId: string): Promise<void> {
    const { context, category } = await this.policy.category(user, categoryId, CommunityRole.CoChair);
    const notEmpty = () =>
      new ForumError(
        ForumErrorCode.CategoryNotEmpty,
        `"${category.name}" still holds threads: merge it into another category, or move its threads, before deleting it`,
      );
    await this.dataSource.transaction(async (manager) => {
      const [{ threads }] = await queryRows<{ threads: number }>(
        manager,
        'SELECT count(*)::int AS threads FROM forum_threads WHERE category_id = $1',
        [categoryId],
      );
      if (threads > 0) throw notEmpty();
      await manager.delete(ForumCategory, { id: categoryId }).catch((error: unknown) => {
        if ((error as { code?: string }).code === '23503') throw notEmpty();
        throw error;
      });
      await this.audit.record(manager, {
        communityId: context.community.id,
        actorId: user.id,
        action: 'forum.category.delete',
        targetType: 'forum_category',
        targetId: categoryId,
        data: { name: category.name },
      });
    });
  }
}
