import { Injectable } from '@nestjs/common';
import { AuthUser, CommunityAccessService, CommunityContext, CommunityRole, hasRole } from '@cophub/identity';
import { CategoryPostPolicy } from '../db/enums';
import { CategoryRef, CategoryRepository } from '../db/category.repository';
import { PostRecord, PostRepository } from '../db/post.repository';
import { ThreadRecord, ThreadRepository } from '../db/thread.repository';
import { ForumError, ForumErrorCode } from '../errors/forum.error';

export interface ThreadAccess {
  thread: ThreadRecord;
  context: CommunityContext;
  moderator: boolean;
}

export interface PostAccess extends ThreadAccess {
  post: PostRecord;
}

/**
 * Every "may this user do this here?" of the forum. Item routes (`/threads/:id`, `/posts/:id`) load
 * the item first (unknown → 404), then check the caller's membership of its community (→ 403).
 */
@Injectable()
export class ForumPolicy {
  constructor(
    private readonly categories: CategoryRepository,
    private readonly threads: ThreadRepository,
    private readonly posts: PostRepository,
    private readonly access: CommunityAccessService,
  ) {}

  static isModerator(context: Pick<CommunityContext, 'role'>): boolean {
    return hasRole(context, CommunityRole.Moderator);
  }

  /** Posting (thread or reply) in a category: announcement categories are for co-chairs only. */
  static assertMayPostIn(
    category: Pick<CategoryRef, 'postPolicy' | 'name'>,
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
    const category = await this.categories.find(categoryId);
    if (!category) throw new ForumError(ForumErrorCode.CategoryNotFound, 'Category not found');
    const context = await this.access.byId(user, category.communityId, need);
    return { category, context };
  }

  /** Deleted threads exist only for moderators; everyone else gets the same 404 as for an unknown id. */
  async thread(user: AuthUser, threadId: string, need = CommunityRole.Member): Promise<ThreadAccess> {
    const thread = await this.threads.find(threadId);
    if (!thread) throw new ForumError(ForumErrorCode.ThreadNotFound, 'Thread not found');
    const context = await this.access.byId(user, thread.communityId, need);
    const moderator = ForumPolicy.isModerator(context);
    if (thread.deletedAt && !moderator) throw new ForumError(ForumErrorCode.ThreadNotFound, 'Thread not found');
    return { thread, context, moderator };
  }

  async post(user: AuthUser, postId: string, need = CommunityRole.Member): Promise<PostAccess> {
    const post = await this.posts.find(postId);
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
