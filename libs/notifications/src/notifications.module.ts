import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { IdentityModule } from '@cophub/identity';
import { MailModule } from '@cophub/mail';
import { Notification } from './entities/notification.entity';
import { NotificationPreference } from './entities/notification-preference.entity';
import { NotificationAccountHooks } from './services/notification-account-hooks';
import { NotificationService } from './services/notification.service';

@Module({
  imports: [TypeOrmModule.forFeature([Notification, NotificationPreference]), MailModule, IdentityModule],
  providers: [NotificationService, NotificationAccountHooks],
  exports: [NotificationService],
})
export class NotificationsModule {}
