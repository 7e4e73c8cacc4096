import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { AuditService } from '@cophub/audit';
import { isUniqueViolation } from '@cophub/core';
import { AuthUser, CommunityContext, CommunityRole } from '@cophub/identity';
import { DataSource } from 'typeorm';
import { CategoryPostPolicy } from '../entities/enums';
import { ForumCategory } from '../entities/category.entity';
import { ForumError, ForumErrorCode } from '../errors/forum.error';
import { ForumPolicy } from '../policies/forum.policy';
import { CategoryView } from '../views';

export interface CategoryInput {
  name: string;
  description?: string;
  position?: number;
  postPolicy?: CategoryPostPolicy;
}

interface CategoryRow {
  id: string;
  community_id: string;
  name: string;
  description: string;
  position: number;
  post_policy: CategoryPostPolicy;
  thread_count: number;
  unread_thread_count: number;
}

function toView(row: CategoryRow): CategoryView {
  return {
    id: row.id,
    communityId: row.community_id,
    name: row.name,
    description: row.description,
    position: row.position,
    postPolicy: row.post_policy,
    threadCount: Number(row.thread_count),
    unreadThreadCount: Number(row.unread_thread_count),
  };
}

/** Categories are few per community, so they are listed whole, with per-caller unread counts. */
@Injectable()
export class CategoryService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly policy: ForumPolicy,
    private readonly audit: AuditService,
  ) {}

  async list(context: CommunityContext, onlyId?: string): Promise<CategoryView[]> {
    const rows: CategoryRow[] = await this.dataSource.query(
      `SELECT c.id, c.community_id, c.name, c.description, c.position, c.post_policy,
              count(t.id)::int AS thread_count,
              count(t.id) FILTER (WHERE t.post_count > coalesce(rs.last_read_post_number, 0))::int AS unread_thread_count
         FROM forum_categories c
         LEFT JOIN forum_threads t ON t.category_id = c.id AND t.deleted_at IS NULL
         LEFT JOIN forum_read_states rs ON rs.thread_id = t.id AND rs.user_id = $2
        WHERE c.community_id = $1 AND ($3::uuid IS NULL OR c.id = $3)
        GROUP BY c.id
        ORDER BY c.position, c.id`,
      [context.community.id, context.userId, onlyId ?? null],
    );
    return rows.map(toView);
  }

  async create(context: CommunityContext, input: CategoryInput): Promise<CategoryView> {
    const id = await this.dataSource.transaction(async (manager) => {
      const result = await manager
        .insert(ForumCategory, {
          communityId: context.community.id,
          name: input.name.trim(),
          description: input.description ?? '',
          position: input.position ?? 0,
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

  /** Only an empty category can go (threads are moved out first); the foreign key settles races. */
  async remove(user: AuthUser, categoryId: string): Promise<void> {
    const { context, category } = await this.policy.category(user, categoryId, CommunityRole.CoChair);
    await this.dataSource.transaction(async (manager) => {
      await manager.delete(ForumCategory, { id: categoryId }).catch((error: unknown) => {
        if ((error as { code?: string }).code === '23503') {
          throw new ForumError(ForumErrorCode.CategoryNotEmpty, 'Move or delete the threads in this category first');
        }
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
