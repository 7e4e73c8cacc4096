import { Injectable, Logger } from '@nestjs/common';
import { JobName, QueueService } from '@cophub/core';

/** One job per post: re-enqueueing (the reconciler, a retried request) is then harmless. */
export function fanoutJobId(postId: string): string {
  return `forum-fanout-${postId}`;
}

/**
 * Hands new posts to the worker for notification fan-out, after the post's transaction committed
 * (its `forum_post_fanouts` row is the durable record). The reply does not wait for Redis: if the
 * job is lost, the worker's reconciler finds the row and enqueues it again. Posts written in the same
 * turn of the event loop (a busy forum's concurrent replies) go to Redis as one bulk add.
 */
@Injectable()
export class PostFanoutQueue {
  private readonly logger = new Logger('PostFanoutQueue');
  private pending: string[] = [];

  constructor(private readonly queues: QueueService) {}

  enqueue(postId: string): void {
    this.pending.push(postId);
    if (this.pending.length === 1) setImmediate(() => this.flush());
  }

  private flush(): void {
    const postIds = this.pending;
    this.pending = [];
    this.queues
      .addBulk(
        JobName.ForumFanout,
        postIds.map((postId) => ({ payload: { postId }, options: { jobId: fanoutJobId(postId) } })),
      )
      .catch((error: Error) =>
        this.logger.warn(`fan-out of ${postIds.length} post(s) left to the reconciler: ${error.message}`),
      );
  }
}
