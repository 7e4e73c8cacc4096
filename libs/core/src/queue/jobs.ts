/**
 * Every queue and job in the product. Jobs carry ids, never data: the handler re-reads the database
 * when it runs, and does nothing when what it was for has changed or is gone.
 */
export enum QueueName {
  Mail = 'mail',
  Events = 'events',
  Resources = 'resources',
  Polls = 'polls',
  Forum = 'forum',
}

export enum JobName {
  SendMail = 'mail.send',
  SendEventReminder = 'events.reminder',
  ExtractResourceText = 'resources.extract',
  OpenPoll = 'poll.open',
  ClosePoll = 'poll.close',
  RemindPoll = 'poll.remind',
  ForumFanout = 'forum.fanout',
}

export interface JobPayloads {
  [JobName.SendMail]: { outboxId: string };
  [JobName.SendEventReminder]: { slotId: string };
  [JobName.ExtractResourceText]: { versionId: string };
  /** `version` is the poll's schedule version when the job was planned: a newer one makes it a no-op. */
  [JobName.OpenPoll]: { pollId: string; version: number };
  [JobName.ClosePoll]: { pollId: string; version: number };
  [JobName.RemindPoll]: { pollId: string; version: number };
  /** Notify the watchers, mentioned and quoted members of a new post (its `forum_post_fanouts` row says it is due). */
  [JobName.ForumFanout]: { postId: string };
}

/** Which queue carries each job. A job missing here fails type-checking. */
export const JOB_QUEUE: Record<JobName, QueueName> = {
  [JobName.SendMail]: QueueName.Mail,
  [JobName.SendEventReminder]: QueueName.Events,
  [JobName.ExtractResourceText]: QueueName.Resources,
  [JobName.OpenPoll]: QueueName.Polls,
  [JobName.ClosePoll]: QueueName.Polls,
  [JobName.RemindPoll]: QueueName.Polls,
  [JobName.ForumFanout]: QueueName.Forum,
};

export type JobPayload<N extends JobName> = JobPayloads[N];
