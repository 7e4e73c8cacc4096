export { FlagStatus, POST_MAX_LENGTH, ReactionKind, SubscriptionLevel, TITLE_MAX_LENGTH } from './db/enums';
export { FORUM_ENTITIES } from './db/forum.entities';
export { forumMigrations } from './db/migrations';
export { ForumThread } from './db/thread.entity';
export { renderPostBody } from './domain/post-body';
export {
  AnnouncementView,
  CountView,
  CreateAnnouncementDto,
  CreateCategoryDto,
  CreatePostDto,
  CreateThreadDto,
  EditPostDto,
  FlagDto,
  FlagQueryDto,
  ForumReadAllDto,
  ForumSearchQueryDto,
  HideDto,
  IdView,
  ListPostsQueryDto,
  ListThreadsQueryDto,
  LockDto,
  MergeCategoryDto,
  MoveDto,
  PinDto,
  ReorderCategoriesDto,
  ResolveFlagDto,
  SubscriptionDto,
  ThreadReadDto,
  UpdateCategoryDto,
} from './contract/forum.dto';
export {
  BookmarkPageView,
  CategoryView,
  FlagPageView,
  PostPageView,
  PostView,
  ReactionsView,
  RevisionView,
  ThreadPageView,
  ThreadView,
} from './contract/forum.views';
export { AnnouncementService } from './services/announcement.service';
export { CategoryService } from './services/category.service';
export { ModerationService } from './services/moderation.service';
export { PostMarksService } from './services/post-marks.service';
export { PostService } from './services/post.service';
export { ReplyAddressService } from './services/reply-address';
export { etagMatches, ThreadPageService } from './services/thread-pages.service';
export { ThreadService } from './services/thread.service';
export { ForumCache } from './cache/forum-cache';
export { fanoutJobId } from './jobs/post-fanout.queue';
export { PostFanoutJob } from './jobs/post-fanout.job';
export { PostFanoutReconciler } from './jobs/post-fanout-reconciler';
export { ForumModule } from './forum.module';
export { ForumJobsModule } from './forum.jobs.module';
export { FORUM_QUEUE, ForumJob } from './jobs/forum.jobs';
