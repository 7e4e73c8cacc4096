import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { NotificationsModule } from '@cophub/notifications';
import { FORUM_ENTITIES } from './db/forum.entities';
import { AudienceRepository } from './db/audience.repository';
import { ReplyTokenRepository } from './db/reply-token.repository';
import { FanoutRepository } from './db/fanout.repository';
import { PostFanoutJob } from './jobs/post-fanout.job';
import { PostFanoutReconciler } from './jobs/post-fanout-reconciler';
import { ForumNotifier } from './services/forum-notifier';
import { ReplyAddressService } from './services/reply-address';

/** Consumer side: notification fan-out of new posts, and its reconciler. Imported only by the worker. */
@Module({
  imports: [TypeOrmModule.forFeature(FORUM_ENTITIES), NotificationsModule],
  // The notifier gives each emailed member their own Reply-To for the thread.
  providers: [
    AudienceRepository,
    ReplyTokenRepository,
    FanoutRepository,
    ForumNotifier,
    ReplyAddressService,
    PostFanoutJob,
    PostFanoutReconciler,
  ],
  exports: [PostFanoutJob, PostFanoutReconciler],
})
export class ForumJobsModule {}
