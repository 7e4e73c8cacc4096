import { declareJobs } from '@cophub/core';

declare module '@cophub/core' {
  interface JobPayloads {
    /** Send one outbox row (claimed first, so two jobs cannot both send it). */
    'mail.send': { outboxId: string };
  }
}

/** Mail's queue and jobs. */
export const MAIL_QUEUE = 'mail';
export const MailJob = declareJobs(MAIL_QUEUE, { Send: 'mail.send' });
