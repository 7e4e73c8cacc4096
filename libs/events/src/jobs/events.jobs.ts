import { declareJobs } from '@cophub/core';

declare module '@cophub/core' {
  interface JobPayloads {
    /** Deliver one planned reminder slot (superseded or too late: nothing is sent). */
    'events.reminder': { slotId: string };
  }
}

/** The events module's queue and jobs. */
export const EVENTS_QUEUE = 'events';
export const EventJob = declareJobs(EVENTS_QUEUE, { Reminder: 'events.reminder' });
