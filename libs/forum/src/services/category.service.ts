import { createHash } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { AuditService } from '@cophub/audit';
import { CommonError, CommonErrorCode, isUniqueViolation, SqlPort } from '@cophub/core';
import { AuthUser, CommunityContext, CommunityRole } from '@cophub/identity';
import { CategoryPostPolicy } from '../db/enums';
import { ForumCache } from '../cache/forum-cache';
import { CategoryChanges, CategoryRepository, CategoryRow } from '../db/category.repository';
import { ForumError, ForumErrorCode } from '../errors/forum.error';
import { ForumPolicy } from '../policies/forum.policy';
import { CategoryView } from '../contract/forum.views';
import { ForumEvents, forumEvent } from './forum-events';

export interface CategoryInput {
  name: string;
  description?: string;
  position?: number;
  postPolicy?: CategoryPostPolicy;
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
    private readonly sql: SqlPort,
    private readonly categories: CategoryRepository,
    private readonly policy: ForumPolicy,
    private readonly audit: AuditService,
    private readonly events: ForumEvents,
    private readonly cache: ForumCache,
  ) {}

  async list(context: CommunityContext, onlyId?: string): Promise<CategoryView[]> {
    // Read threads counted from the caller's read positions (a member has read far fewer threads than
    // a busy community holds); unread is then the category's thread count minus those.
    const rows = await this.categories.listed(context.community.id, context.userId, onlyId ?? null);
    if (!rows.length) return [];
    const key = `categories:${context.community.id}:${createHash('sha1')
      .update(rows.map((r) => `${r.id}:${r.version}`).join('|'))
      .digest('base64url')}`;
    const shared = await this.cache.get(key, () =>
      this.load(
        context.community.id,
        rows.map((r) => r.id),
      ),
    );
    const byId = new Map(shared.map((c) => [c.id, c]));
    return rows.flatMap((row) => {
      const category = byId.get(row.id);
      // Deleted between the two reads: it is gone from the list.
      if (!category) return [];
      return [{ ...category, unreadThreadCount: Math.max(category.threadCount - row.readThreadCount, 0) }];
    });
  }

  /** The shared part, as every member sees it (cached per category and version). */
  private async load(communityId: string, ids: string[]): Promise<CategoryRow[]> {
    const rows = await this.categories.load(communityId, ids);
    return rows.map((row) => ({ ...row, threadCount: Number(row.threadCount) }));
  }

  async create(context: CommunityContext, input: CategoryInput): Promise<CategoryView> {
    const id = await this.sql.transaction(async (tx, manager) => {
      // A new category goes last unless a position is asked for.
      const position = input.position ?? (await this.categories.nextPosition(tx, context.community.id));
      const categoryId = await this.categories
        .insert(tx, {
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
    await this.sql.transaction(async (tx, manager) => {
      const changes: CategoryChanges = {};
      if (input.name !== undefined) changes.name = input.name.trim();
      if (input.description !== undefined) changes.description = input.description;
      if (input.position !== undefined) changes.position = input.position;
      if (input.postPolicy !== undefined) changes.postPolicy = input.postPolicy;
      if (!Object.keys(changes).length) return;
      await this.categories.update(tx, context.community.id, categoryId, changes).catch((error: unknown) => {
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
        data: { ...changes },
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
    await this.sql.transaction(async (tx, manager) => {
      const current = new Set(await this.categories.lockAll(tx, context.community.id));
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
      await this.categories.reorder(tx, context.community.id, categoryIds);
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
    const moved = await this.sql.transaction(async (tx, manager) => {
      const locked = await this.categories.lockSome(tx, context.community.id, [categoryId, intoId]);
      const target = locked.find((row) => row.id === intoId);
      if (!target) {
        throw new ForumError(ForumErrorCode.CategoryNotFound, 'The category to merge into is not in this community');
      }
      if (!locked.some((row) => row.id === categoryId)) {
        throw new ForumError(ForumErrorCode.CategoryNotFound, 'Category not found');
      }
      const threads = await this.categories.moveThreads(tx, context.community.id, categoryId, intoId);
      await this.categories.delete(tx, context.community.id, categoryId);
      await this.audit.record(manager, {
        communityId: context.community.id,
        actorId: user.id,
        action: 'forum.category.merge',
        targetType: 'forum_category',
        targetId: categoryId,
        data: { name: category.name, into: intoId, intoName: target.name, threads: threads.length },
      });
      return threads;
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
    await this.sql.transaction(async (tx, manager) => {
      if ((await this.categories.threadCount(tx, context.community.id, categoryId)) > 0) throw notEmpty();
      await this.categories.delete(tx, context.community.id, categoryId).catch((error: unknown) => {
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
