import { DynamicModule, Module } from '@nestjs/common';
import { AppConfig, Clock, CoreModule, IdempotencyExpiry, RetentionRunner } from '@cophub/core';
import { EventsJobsModule } from '@cophub/events';
import { ForumJobsModule } from '@cophub/forum';
import { MailJobsModule } from '@cophub/mail';
import { NotificationsJobsModule } from '@cophub/notifications';
import { PollsJobsModule } from '@cophub/polls';
import { RealtimeModule } from '@cophub/realtime';
import { ResourcesJobsModule } from '@cophub/resources';
import { ALL_JOBS, EVENTS_QUEUE, FORUM_QUEUE, MAIL_QUEUE, POLLS_QUEUE, RESOURCES_QUEUE } from '@cophub/schema';
import { SearchModule } from '@cophub/search';

export interface WorkerModuleOptions {
  config: AppConfig;
  clock?: Clock;
}

/** The worker imports the *jobs* modules only; it serves no HTTP. */
@Module({})
export class WorkerModule {
  static forRoot(options: WorkerModuleOptions): DynamicModule {
    return {
      module: WorkerModule,
      imports: [
        CoreModule.forRoot({
          config: options.config,
          name: 'cophub-worker',
          metricsServer: true,
          clock: options.clock,
          // Text extraction holds a whole file in memory per job (pdf.js needs it): keep it low.
          worker: {
            jobs: ALL_JOBS,
            concurrency: {
              [MAIL_QUEUE]: options.config.mail.concurrency,
              [EVENTS_QUEUE]: 2,
              [RESOURCES_QUEUE]: 2,
              [POLLS_QUEUE]: 2,
              // Fan-out is a few short statements per post; replies arrive in bursts.
              [FORUM_QUEUE]: 5,
            },
          },
          poolSize: Math.max(10, options.config.mail.concurrency + 5),
        }),
        RealtimeModule,
        MailJobsModule,
        EventsJobsModule,
        NotificationsJobsModule,
        ForumJobsModule,
        ResourcesJobsModule,
        // Polls register a search provider; the registry is tiny and global.
        SearchModule,
        PollsJobsModule,
      ],
      providers: [IdempotencyExpiry, RetentionRunner],
    };
  }
}
