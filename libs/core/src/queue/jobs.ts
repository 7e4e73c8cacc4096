/**
 * Every queue and job in the product. Jobs carry ids, never data: the handler re-reads the database
 * when it runs, and does nothing when what it was for has changed or is gone.
 */
export enum QueueName {
  Mail = 'mail',
  Resources = 'resources',
}

export enum JobName {
  SendMail = 'mail.send',
  ExtractResourceText = 'resources.extract',
}

export interface JobPayloads {
  [JobName.SendMail]: { outboxId: string };
  [JobName.ExtractResourceText]: { versionId: string };
}

/** Which queue carries each job. A job missing here fails type-checking. */
export const JOB_QUEUE: Record<JobName, QueueName> = {
  [JobName.SendMail]: QueueName.Mail,
  [JobName.ExtractResourceText]: QueueName.Resources,
};

export type JobPayload<N extends JobName> = JobPayloads[N];
