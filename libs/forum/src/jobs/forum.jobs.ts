import { declareJobs } from '@cophub/core';

declare module '@cophub/core' {
  interface JobPayloads {
    /** Notify the watchers, mentioned and quoted members of a new post (its `forum_post_fanouts` row says it is due). */
    'forum.fanout': { postId: string };
  }
}

/** The forum's queue and jobs. */
export const FORUM_QUEUE = 'forum';
export const ForumJob = declareJobs(FORUM_QUEUE, { Fanout: 'forum.fanout' });
