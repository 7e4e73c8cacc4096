import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuditModule } from '@cophub/audit';
import { IdentityModule } from '@cophub/identity';
import { NotificationsModule } from '@cophub/notifications';
import { FORUM_ENTITIES } from './db/forum.entities';
import { CategoryRepository } from './db/category.repository';
import { ThreadRepository } from './db/thread.repository';
import { PostRepository } from './db/post.repository';
import { ModerationRepository } from './db/moderation.repository';
import { AudienceRepository } from './db/audience.repository';
import { ReplyTokenRepository } from './db/reply-token.repository';
import { ForumPersonalDataRepository } from './db/personal-data.repository';
import { ForumSearchRepository } from './db/forum-search.repository';
import { ForumPolicy } from './policies/forum.policy';
import { AnnouncementService } from './services/announcement.service';
import { CategoryService } from './services/category.service';
import { ForumAccountHooks } from './hooks/forum-account-hooks';
import { ForumEvents } from './services/forum-events';
import { ForumNotifier } from './services/forum-notifier';
import { ForumRooms } from './hooks/forum-rooms';
import { ForumSearchProvider } from './hooks/forum-search.provider';
import { PostFanoutQueue } from './jobs/post-fanout.queue';
import { ThreadPageService } from './services/thread-pages.service';
import { ForumCache } from './cache/forum-cache';
import { ModerationService } from './services/moderation.service';
import { PostMarksService } from './services/post-marks.service';
import { PostService } from './services/post.service';
import { ReplyAddressService } from './services/reply-address';
import { ThreadService } from './services/thread.service';

/** Categories, threads, posts, moderation, unread state, forum search and forum rooms. */
@Module({
  imports: [TypeOrmModule.forFeature(FORUM_ENTITIES), IdentityModule, AuditModule, NotificationsModule],
  providers: [
    ForumSearchRepository,
    ForumPersonalDataRepository,
    ReplyTokenRepository,
    AudienceRepository,
    ModerationRepository,
    PostRepository,
    ThreadRepository,
    CategoryRepository,
    ReplyAddressService,
    ForumPolicy,
    ForumEvents,
    ForumNotifier,
    ForumCache,
    PostFanoutQueue,
    CategoryService,
    AnnouncementService,
    ThreadService,
    PostService,
    PostMarksService,
    ThreadPageService,
    ModerationService,
    ForumSearchProvider,
    ForumRooms,
    ForumAccountHooks,
  ],
  exports: [
    CategoryService,
    AnnouncementService,
    ThreadService,
    PostService,
    PostMarksService,
    ThreadPageService,
    ModerationService,
    ForumSearchProvider,
    ForumPolicy,
    ReplyAddressService,
  ],
})
export class ForumModule {}
