import { DynamicModule, Module } from '@nestjs/common';
import type { DNSResolver } from 'mailauth';
import { AppConfig, Clock, CoreModule } from '@cophub/core';
import { MailInModule } from '@cophub/mail-in';
import { RealtimeModule } from '@cophub/realtime';
import { SmtpListener } from './smtp-listener';

export interface MailInAppModuleOptions {
  config: AppConfig;
  clock?: Clock;
  resolver?: DNSResolver;
}

/** The inbound mail process: SMTP in, the shared processing, and the raw-message retention pass. */
@Module({})
export class MailInAppModule {
  static forRoot(options: MailInAppModuleOptions): DynamicModule {
    return {
      module: MailInAppModule,
      imports: [
        CoreModule.forRoot({
          config: options.config,
          name: 'cophub-mail-in',
          metricsServer: true,
          clock: options.clock,
          poolSize: Math.max(10, Math.min(options.config.mailIn.maxClients, 30)),
        }),
        // Replies posted by email reach open thread pages like any other post.
        RealtimeModule,
        MailInModule.forRoot({ resolver: options.resolver, retention: true }),
      ],
      providers: [SmtpListener],
    };
  }
}
