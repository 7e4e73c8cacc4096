import { DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER, APP_GUARD } from '@nestjs/core';
import { AuditModule } from '@cophub/audit';
import { AppConfig, Clock, CoreModule, HttpExceptionFilter, RateLimitGuard } from '@cophub/core';
import { AccessGuard, IdentityModule } from '@cophub/identity';
import { MailModule } from '@cophub/mail';
import { NotificationsModule } from '@cophub/notifications';
import { PollsModule } from '@cophub/polls';
import { RealtimeModule } from '@cophub/realtime';
import { SearchModule } from '@cophub/search';
import { AdminMailController, DevMailController } from './admin/admin-mail.controller';
import { AuthController } from './auth/auth.controller';
import { CommunitiesController } from './communities/communities.controller';
import { HealthController } from './health/health.controller';
import { MeController } from './me/me.controller';
import { NotificationsController } from './notifications/notifications.controller';
import { CommunityPollsController, PollsController } from './polls/polls.controller';
import { CommunityRooms } from './realtime/community-rooms';
import { RealtimeGateway } from './realtime/realtime.gateway';

export interface ApiModuleOptions {
  config: AppConfig;
  clock?: Clock;
}

@Module({})
export class ApiModule {
  static forRoot(options: ApiModuleOptions): DynamicModule {
    return {
      module: ApiModule,
      imports: [
        CoreModule.forRoot({ config: options.config, name: 'cophub-api', clock: options.clock }),
        AuditModule,
        MailModule,
        IdentityModule,
        RealtimeModule,
        NotificationsModule,
        SearchModule,
        PollsModule,
      ],
      controllers: [
        HealthController,
        AuthController,
        MeController,
        CommunitiesController,
        AdminMailController,
        DevMailController,
        NotificationsController,
        CommunityPollsController,
        PollsController,
      ],
      providers: [
        // Order matters: authentication and community access first, then rate limits per user.
        { provide: APP_GUARD, useExisting: AccessGuard },
        { provide: APP_GUARD, useClass: RateLimitGuard },
        { provide: APP_FILTER, useClass: HttpExceptionFilter },
        RealtimeGateway,
        CommunityRooms,
      ],
    };
  }
}
