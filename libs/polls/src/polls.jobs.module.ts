import { Module } from '@nestjs/common';
import { PollJobs } from './jobs/poll-jobs.service';
import { PollsModule } from './polls.module';

/** Consumer side of polls (open/close/remind jobs and the reconciler). Imported only by the worker. */
@Module({ imports: [PollsModule], providers: [PollJobs], exports: [PollJobs] })
export class PollsJobsModule {}
