import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuditModule } from '@cophub/audit';
import { IdentityModule } from '@cophub/identity';
import { NotificationsModule } from '@cophub/notifications';
import { FORUM_ENTITIES } from './entities';
import { ForumPolicy } from './policies/forum.policy';
import { AnnouncementService } from './services/announcement.service';
import { CategoryService } from './services/category.service';
import { ForumAccountHooks } from './services/forum-account-hooks';
import { ForumEvents } from './services/forum-events';
import { ForumNotifier } from './services/forum-notifier';
import { ForumRooms } from './services/forum-rooms';
import { ForumSearchProvider } from './services/forum-search.provider';
import { PostFanoutQueue } from './services/post-fanout';
import { ThreadPageService } from './services/thread-pages.service';
import { ForumCache } from './cache/forum-cache';
import { ModerationService } from './services/moderation.service';
import { PostService } from './services/post.service';
import { ReplyAddressService } from './services/reply-address';
import { ThreadService } from './services/thread.service';

/** Categories, threads, posts, moderation, unread state, forum search and forum rooms. */
@Module({
  imports: [TypeOrmModule.forFeature(FORUM_ENTITIES), IdentityModule, AuditModule, NotificationsModule],
  providers: [
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
    ThreadPageService,
    ModerationService,
    ForumSearchProvider,
    ForumPolicy,
    ReplyAddressService,
  ],
})
export class ForumModule {}
