import { BeforeApplicationShutdown, Injectable, Logger } from '@nestjs/common';
import { QueueService } from '@cophub/core';
import { ForumJob } from './forum.jobs';

/** How long a new post's fan-out job waits for others to go to Redis with it. */
export const FANOUT_BATCH_MS = 10;

/** One job per post: re-enqueueing (the reconciler, a retried request) is then harmless. */
export function fanoutJobId(postId: string): string {
  return `forum-fanout-${postId}`;
}

/**
 * Hands new posts to the worker for notification fan-out, after the post's transaction committed
 * (its `forum_post_fanouts` row is the durable record). The reply does not wait for Redis: if the
 * job is lost, the worker's reconciler finds the row and enqueues it again. Posts written within
 * `FANOUT_BATCH_MS` of each other (a busy forum's concurrent replies) go to Redis as one bulk add:
 * each bulk add costs a pipeline and a write whatever its size, and nobody waits for it.
 */
@Injectable()
export class PostFanoutQueue implements BeforeApplicationShutdown {
  private readonly logger = new Logger('PostFanoutQueue');
  private pending: string[] = [];
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly queues: QueueService) {}

  enqueue(postId: string): void {
    this.pending.push(postId);
    if (this.pending.length === 1) this.timer = setTimeout(() => void this.flush(), FANOUT_BATCH_MS);
  }

  /** What is still waiting goes now, while the queue's connection is open. */
  async beforeApplicationShutdown(): Promise<void> {
    await this.flush();
  }

  private flush(): Promise<void> {
    clearTimeout(this.timer);
    const postIds = this.pending;
    this.pending = [];
    if (!postIds.length) return Promise.resolve();
    return this.queues
      .addBulk(
        ForumJob.Fanout,
        postIds.map((postId) => ({ payload: { postId }, options: { jobId: fanoutJobId(postId) } })),
      )
      .catch((error: Error) =>
        this.logger.warn(`fan-out of ${postIds.length} post(s) left to the reconciler: ${error.message}`),
      );
  }
}
