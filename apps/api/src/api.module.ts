import { DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER, APP_GUARD, APP_INTERCEPTOR } from '@nestjs/core';
import { AuditModule } from '@cophub/audit';
import {
  AppConfig,
  Clock,
  CoreModule,
  HttpExceptionFilter,
  IdempotencyInterceptor,
  RateLimitGuard,
  RequestDeadlineInterceptor,
} from '@cophub/core';
import { EventsModule } from '@cophub/events';
import { ForumModule } from '@cophub/forum';
import { AccessGuard, IdentityModule } from '@cophub/identity';
import { MailModule } from '@cophub/mail';
import { MailInModule } from '@cophub/mail-in';
import type { DNSResolver } from 'mailauth';
import { NotificationsModule } from '@cophub/notifications';
import { PagesModule } from '@cophub/pages';
import { PollsModule } from '@cophub/polls';
import { RealtimeModule } from '@cophub/realtime';
import { ResourcesModule } from '@cophub/resources';
import { SearchModule } from '@cophub/search';
import { AdminMailController, DevMailController } from './admin/admin-mail.controller';
import { AuthController } from './auth/auth.controller';
import { CommunityEventsController, EventController, PublicEventsController } from './events/events.controller';
import { CpdController } from './events/cpd.controller';
import { ProfilesController } from './profiles/profiles.controller';
import { MyEventsController } from './events/me-events.controller';
import { CommunitiesController } from './communities/communities.controller';
import { OverviewController } from './communities/overview.controller';
import { OverviewService } from './communities/overview.service';
import { ForumCategoriesController } from './forum/categories.controller';
import { ForumModerationController } from './forum/moderation.controller';
import { ForumPostsController } from './forum/posts.controller';
import { ForumSearchController } from './forum/search.controller';
import { ForumAnnouncementsController } from './forum/announcements.controller';
import { ForumThreadsController } from './forum/threads.controller';
import { HealthController } from './health/health.controller';
import { ReadinessProbe } from './health/readiness';
import { InboundWebhookController } from './mail-in/inbound-webhook.controller';
import { MailStatusController } from './mail-in/mail-status.controller';
import { SubmissionsController } from './mail-in/submissions.controller';
import { MeController } from './me/me.controller';
import { MeViews } from './me/me-views';
import { NotificationsController } from './notifications/notifications.controller';
import { UnsubscribeController } from './notifications/unsubscribe.controller';
import { PagesController } from './pages/pages.controller';
import { CommunityPollsController, PollsController } from './polls/polls.controller';
import { CommunityRooms } from './realtime/community-rooms';
import { RealtimeGateway } from './realtime/realtime.gateway';
import { ResourcesController } from './resources/resources.controller';
import { SearchController } from './search/search.controller';
import { AddressIntegersGuard } from './common/address-integers.guard';
import { validationPipe } from './common/validation';

export interface ApiModuleOptions {
  config: AppConfig;
  clock?: Clock;
  /** DNS for the inbound webhook's sender checks (tests pass a stub). */
  mailInResolver?: DNSResolver;
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
        EventsModule,
        ResourcesModule,
        ForumModule,
        PollsModule,
        PagesModule,
        MailInModule.forRoot({ resolver: options.mailInResolver }),
      ],
      controllers: [
        HealthController,
        AuthController,
        MeController,
        CommunitiesController,
        AdminMailController,
        DevMailController,
        NotificationsController,
        UnsubscribeController,
        CommunityEventsController,
        PublicEventsController,
        EventController,
        MyEventsController,
        CpdController,
        ProfilesController,
        ResourcesController,
        SearchController,
        ForumCategoriesController,
        ForumThreadsController,
        ForumPostsController,
        ForumModerationController,
        ForumSearchController,
        ForumAnnouncementsController,
        CommunityPollsController,
        PollsController,
        PagesController,
        OverviewController,
        SubmissionsController,
        InboundWebhookController,
        MailStatusController,
      ],
      providers: [
        // Order matters: out-of-range integers in the address or query first (400 whoever asks), then
        // authentication and community access, then rate limits per user.
        { provide: APP_GUARD, useFactory: () => new AddressIntegersGuard(validationPipe()) },
        { provide: APP_GUARD, useExisting: AccessGuard },
        { provide: APP_GUARD, useClass: RateLimitGuard },
        { provide: APP_FILTER, useClass: HttpExceptionFilter },
        // Outermost first: the idempotency claim is bookkeeping outside the request's deadline.
        { provide: APP_INTERCEPTOR, useClass: IdempotencyInterceptor },
        { provide: APP_INTERCEPTOR, useClass: RequestDeadlineInterceptor },
        RealtimeGateway,
        CommunityRooms,
        OverviewService,
        MeViews,
        ReadinessProbe,
      ],
    };
  }
}
