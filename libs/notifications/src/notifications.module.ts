import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { IdentityModule } from '@cophub/identity';
import { MailModule } from '@cophub/mail';
import { NotificationPreference } from './db/notification-preference.entity';
import { Notification } from './db/notification.entity';
import { NotificationsRepository } from './db/notifications.repository';
import { NotificationAccountHooks } from './hooks/notification-account-hooks';
import { NotificationMailPreferences } from './hooks/mail-preferences';
import { NotificationService } from './services/notification.service';

/** In-app notifications, each member's channel per kind, and their place in personal data. */
@Module({
  imports: [
    // The entities declare the schema; every statement is in NotificationsRepository.
    TypeOrmModule.forFeature([Notification, NotificationPreference]),
    MailModule,
    IdentityModule,
  ],
  providers: [NotificationsRepository, NotificationService, NotificationAccountHooks, NotificationMailPreferences],
  exports: [NotificationService],
})
export class NotificationsModule {}
