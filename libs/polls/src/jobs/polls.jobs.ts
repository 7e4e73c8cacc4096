import { declareJobs } from '@cophub/core';

declare module '@cophub/core' {
  interface JobPayloads {
    /** `version` is the poll's schedule version when the job was planned: a newer one makes it a no-op. */
    'poll.open': { pollId: string; version: number };
    'poll.close': { pollId: string; version: number };
    'poll.remind': { pollId: string; version: number };
  }
}

/** The polls module's queue and jobs. */
export const POLLS_QUEUE = 'polls';
export const PollJob = declareJobs(POLLS_QUEUE, { Open: 'poll.open', Close: 'poll.close', Remind: 'poll.remind' });
