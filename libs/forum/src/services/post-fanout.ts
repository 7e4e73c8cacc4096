import { Injectable, Logger } from '@nestjs/common';
import { JobName, QueueService } from '@cophub/core';

/** One job per post: re-enqueueing (the reconciler, a retried request) is then harmless. */
export function fanoutJobId(postId: string): string {
  return `forum-fanout-${postId}`;
}

/**
 * Hands new posts to the worker for notification fan-out, after the post's transaction committed
 * (its `forum_post_fanouts` row is the durable record). The reply does not wait for Redis: if the
 * job is lost, the worker's reconciler finds the row and enqueues it again.
 */
@Injectable()
export class PostFanoutQueue {
  private readonly logger = new Logger('PostFanoutQueue');

  constructor(private readonly queues: QueueService) {}

  enqueue(postId: string): void {
    this.queues
      .add(JobName.ForumFanout, { postId }, { jobId: fanoutJobId(postId) })
      .catch((error: Error) => this.logger.warn(`fan-out of post ${postId} left to the reconciler: ${error.message}`));
  }
}
