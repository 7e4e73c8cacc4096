import { DynamicModule, Module } from '@nestjs/common';
import { AppConfig, Clock, CoreModule, QueueName } from '@cophub/core';
import { MailJobsModule } from '@cophub/mail';
import { PollsJobsModule } from '@cophub/polls';
import { RealtimeModule } from '@cophub/realtime';
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
          clock: options.clock,
          worker: { [QueueName.Mail]: options.config.mail.concurrency, [QueueName.Polls]: 2 },
          poolSize: Math.max(10, options.config.mail.concurrency + 5),
        }),
        RealtimeModule,
        MailJobsModule,
        // Polls register a search provider; the registry is tiny and global.
        SearchModule,
        PollsJobsModule,
      ],
    };
  }
}
