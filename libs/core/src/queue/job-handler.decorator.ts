import { SetMetadata } from '@nestjs/common';
import type { JobName } from './jobs';

export const JOB_HANDLER = Symbol('JOB_HANDLER');

/** Marks a provider method as the handler of one job. The worker refuses to start without exactly one each. */
export const JobHandler = (name: JobName) => SetMetadata(JOB_HANDLER, name);
