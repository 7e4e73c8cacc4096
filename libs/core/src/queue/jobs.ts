/**
 * Every queue and job in the product. Jobs carry ids, never data: the handler re-reads the database
 * when it runs, and does nothing when what it was for has changed or is gone.
 */
export enum QueueName {
  Mail = 'mail',
  Events = 'events',
  Resources = 'resources',
}

export enum JobName {
  SendMail = 'mail.send',
  SendEventReminder = 'events.reminder',
  ExtractResourceText = 'resources.extract',
}

export interface JobPayloads {
  [JobName.SendMail]: { outboxId: string };
  [JobName.SendEventReminder]: { slotId: string };
  [JobName.ExtractResourceText]: { versionId: string };
}

/** Which queue carries each job. A job missing here fails type-checking. */
export const JOB_QUEUE: Record<JobName, QueueName> = {
  [JobName.SendMail]: QueueName.Mail,
  [JobName.SendEventReminder]: QueueName.Events,
  [JobName.ExtractResourceText]: QueueName.Resources,
};

export type JobPayload<N extends JobName> = JobPayloads[N];
