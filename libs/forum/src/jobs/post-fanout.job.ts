import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { JobHandler, JobName, JobPayload, queryRows } from '@cophub/core';
import { NotificationService } from '@cophub/notifications';
import { DataSource } from 'typeorm';
import { ForumNotifier } from '../services/forum-notifier';

interface PostRow {
  id: string;
  community_id: string;
  thread_id: string;
  post_number: number;
  author_id: string | null;
  body_text: string;
  quoted_post_id: string | null;
  hidden_at: Date | null;
  deleted_at: Date | null;
  title: string;
  thread_deleted_at: Date | null;
  slug: string;
}

/**
 * Notifies the watchers, mentioned and quoted members of a new post, off the reply's path. The post's
 * `forum_post_fanouts` row is claimed (deleted) in the same transaction that writes the notifications
 * and stages their emails, so a job run twice, or by two workers at once, notifies each person once:
 * the second finds no row (or waits on the first's row lock, then finds none) and does nothing.
 */
@Injectable()
export class PostFanoutJob {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly notifier: ForumNotifier,
    private readonly notifications: NotificationService,
  ) {}

  /** Returns how many people were notified (0 when there was nothing to do). */
  @JobHandler(JobName.ForumFanout)
  async run({ postId }: JobPayload<JobName.ForumFanout>): Promise<number> {
    const notified = await this.dataSource.transaction(async (manager) => {
      const claimed = await queryRows(manager, 'DELETE FROM forum_post_fanouts WHERE post_id = $1 RETURNING post_id', [
        postId,
      ]);
      if (!claimed.length) return null;
      const [post] = (await manager.query(
        `SELECT p.id, p.community_id, p.thread_id, p.post_number, p.author_id, p.body_text, p.quoted_post_id,
                p.hidden_at, p.deleted_at, t.title, t.deleted_at AS thread_deleted_at, c.slug
           FROM forum_posts p JOIN forum_threads t ON t.id = p.thread_id JOIN communities c ON c.id = p.community_id
          WHERE p.id = $1`,
        [postId],
      )) as PostRow[];
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
