import { Module } from '@nestjs/common';
import { MailModule } from '@cophub/mail';
import { NotificationsRepository } from './db/notifications.repository';
import { DigestService } from './jobs/digest.service';
import { NotificationsModule } from './notifications.module';

/**
 * Consumer side: the daily digest. Imported only by the worker, with the producer module: its registrations
 * (members' channels for mail, personal data) hold in the worker too.
 */
@Module({
  imports: [MailModule, NotificationsModule],
  providers: [NotificationsRepository, DigestService],
  exports: [DigestService],
})
export class NotificationsJobsModule {}
