import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { AuthUser, CommunityAccessService, CommunityContext, CommunityRole, hasRole } from '@cophub/identity';
import { DataSource } from 'typeorm';
import { CategoryPostPolicy } from '../entities/enums';
import { ForumCategory } from '../entities/category.entity';
import { ForumPost } from '../entities/post.entity';
import { ForumThread } from '../entities/thread.entity';
import { ForumError, ForumErrorCode } from '../errors/forum.error';

export interface ThreadAccess {
  thread: ForumThread;
  context: CommunityContext;
  moderator: boolean;
}

export interface PostAccess extends ThreadAccess {
  post: ForumPost;
}

/**
 * Every "may this user do this here?" of the forum. Item routes (`/threads/:id`, `/posts/:id`) load
 * the item first (unknown → 404), then check the caller's membership of its community (→ 403).
 */
@Injectable()
export class ForumPolicy {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly access: CommunityAccessService,
  ) {}

  static isModerator(context: Pick<CommunityContext, 'role'>): boolean {
    return hasRole(context, CommunityRole.Moderator);
  }

  /** Posting (thread or reply) in a category: announcement categories are for co-chairs only. */
  static assertMayPostIn(
    category: Pick<ForumCategory, 'postPolicy' | 'name'>,
    context: Pick<CommunityContext, 'role'>,
  ): void {
    if (category.postPolicy === CategoryPostPolicy.CoChairs && !hasRole(context, CommunityRole.CoChair)) {
      throw new ForumError(ForumErrorCode.CategoryRestricted, `Only co-chairs can post in ${category.name}`);
    }
  }

  static assertModerator(context: CommunityContext): void {
    if (!ForumPolicy.isModerator(context)) {
      throw new ForumError(ForumErrorCode.ModeratorRequired, 'Only a moderator or co-chair can do this');
    }
  }

  async category(user: AuthUser, categoryId: string, need = CommunityRole.Member) {
    const category = await this.dataSource.getRepository(ForumCategory).findOne({ where: { id: categoryId } });
    if (!category) throw new ForumError(ForumErrorCode.CategoryNotFound, 'Category not found');
    const context = await this.access.byId(user, category.communityId, need);
    return { category, context };
  }

  /** Deleted threads exist only for moderators; everyone else gets the same 404 as for an unknown id. */
  async thread(user: AuthUser, threadId: string, need = CommunityRole.Member): Promise<ThreadAccess> {
    const thread = await this.dataSource.getRepository(ForumThread).findOne({ where: { id: threadId } });
    if (!thread) throw new ForumError(ForumErrorCode.ThreadNotFound, 'Thread not found');
    const context = await this.access.byId(user, thread.communityId, need);
    const moderator = ForumPolicy.isModerator(context);
    if (thread.deletedAt && !moderator) throw new ForumError(ForumErrorCode.ThreadNotFound, 'Thread not found');
    return { thread, context, moderator };
  }

  async post(user: AuthUser, postId: string, need = CommunityRole.Member): Promise<PostAccess> {
    const post = await this.dataSource.getRepository(ForumPost).findOne({ where: { id: postId } });
    if (!post) throw new ForumError(ForumErrorCode.PostNotFound, 'Post not found');
    const access = await this.thread(user, post.threadId, need);
    return { ...access, post };
  }

  /** Authors edit and delete their own posts; moderators and co-chairs anyone's. */
  static assertMayChange(access: PostAccess): void {
    if (!access.moderator && access.post.authorId !== access.context.userId) {
      throw new ForumError(ForumErrorCode.NotAuthor, 'You can only change your own posts');
    }
  }
}
