import { declareJobs } from '@cophub/core';

declare module '@cophub/core' {
  interface JobPayloads {
    /** Extract the text of one uploaded version for search. */
    'resources.extract': { versionId: string };
  }
}

/** The resources module's queue and jobs. */
export const RESOURCES_QUEUE = 'resources';
export const ResourceJob = declareJobs(RESOURCES_QUEUE, { ExtractText: 'resources.extract' });
