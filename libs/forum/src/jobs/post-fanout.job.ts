import { Injectable } from '@nestjs/common';
import { JobHandler, JobPayload, SqlPort } from '@cophub/core';
import { ForumJob } from './forum.jobs';
import { NotificationService } from '@cophub/notifications';
import { FanoutRepository } from '../db/fanout.repository';
import { ForumNotifier } from '../services/forum-notifier';

/**
 * Notifies the watchers, mentioned and quoted members of a new post, off the reply's path. The post's
 * `forum_post_fanouts` row is claimed (deleted) in the same transaction that writes the notifications
 * and stages their emails, so a job run twice, or by two workers at once, notifies each person once:
 * the second finds no row (or waits on the first's row lock, then finds none) and does nothing.
 */
@Injectable()
export class PostFanoutJob {
  constructor(
    private readonly sql: SqlPort,
    private readonly fanouts: FanoutRepository,
    private readonly notifier: ForumNotifier,
    private readonly notifications: NotificationService,
  ) {}

  /** Returns how many people were notified (0 when there was nothing to do). */
  @JobHandler(ForumJob.Fanout)
  async run({ postId }: JobPayload<typeof ForumJob.Fanout>): Promise<number> {
    const notified = await this.sql.transaction(async (tx, manager) => {
      if (!(await this.fanouts.claim(tx, postId))) return null;
      const post = await this.fanouts.post(tx, postId);
      // A post deleted or hidden before its fan-out ran tells nobody about it.
      if (!post || !post.author_id || post.hidden_at || post.deleted_at || post.thread_deleted_at) return null;
      return this.notifier.forNewPost(manager, {
        communityId: post.community_id,
        communitySlug: post.slug,
        threadId: post.thread_id,
        threadTitle: post.title,
        postId: post.id,
        postNumber: post.post_number,
        bodyText: post.body_text,
        authorId: post.author_id,
        quotedPostId: post.quoted_post_id,
      });
    });
    if (!notified) return 0;
    await this.notifications.dispatch(notified);
    return notified.created.length;
  }
}
