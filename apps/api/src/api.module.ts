import { DynamicModule, Module, RequestMethod, Type, UseInterceptors } from '@nestjs/common';
import { METHOD_METADATA } from '@nestjs/common/constants';
import { APP_FILTER, APP_GUARD } from '@nestjs/core';
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
import { ReplyConfirmationController } from './mail-in/reply-confirmation.controller';
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

const CONTROLLERS: Type[] = [
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
  ReplyConfirmationController,
];

const withInterceptors = new WeakSet<Type>();

/**
 * Every route runs inside its request deadline (`RequestDeadlineInterceptor`); POST routes also take
 * an `Idempotency-Key`, outermost, since the idempotency claim is bookkeeping outside the request's
 * deadline. Applied per route rather than as global interceptors, so that the other routes (GETs
 * above all, most of the traffic) pass through one interceptor, not two: in Nest every interceptor
 * layer costs an rxjs pipeline and an async-context binding per request. Idempotent (the test suites
 * build many applications in one process).
 */
function withRouteInterceptors(controllers: Type[]): Type[] {
  for (const controller of controllers) {
    if (withInterceptors.has(controller)) continue;
    withInterceptors.add(controller);
    const prototype = controller.prototype as Record<string, unknown>;
    for (const name of Object.getOwnPropertyNames(prototype)) {
      const descriptor = Object.getOwnPropertyDescriptor(prototype, name);
      if (!descriptor || typeof descriptor.value !== 'function') continue;
      const method = Reflect.getMetadata(METHOD_METADATA, descriptor.value) as RequestMethod | undefined;
      if (method === undefined) continue;
      UseInterceptors(
        ...(method === RequestMethod.POST
          ? [IdempotencyInterceptor, RequestDeadlineInterceptor]
          : [RequestDeadlineInterceptor]),
      )(prototype, name, descriptor);
    }
  }
  return controllers;
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
      controllers: withRouteInterceptors(CONTROLLERS),
      providers: [
        // Order matters: out-of-range integers in the address or query first (400 whoever asks), then
        // authentication and community access, then rate limits per user.
        { provide: APP_GUARD, useFactory: () => new AddressIntegersGuard(validationPipe()) },
        { provide: APP_GUARD, useExisting: AccessGuard },
        { provide: APP_GUARD, useClass: RateLimitGuard },
        { provide: APP_FILTER, useClass: HttpExceptionFilter },
        RealtimeGateway,
        CommunityRooms,
        OverviewService,
        MeViews,
        ReadinessProbe,
      ],
    };
  }
}
