import { Module } from '@nestjs/common';
import { MailModule } from '@cophub/mail';
import { NotificationsRepository } from './db/notifications.repository';
import { DigestService } from './jobs/digest.service';

/** Consumer side: the daily digest. Imported only by the worker. */
@Module({
  imports: [MailModule],
  providers: [NotificationsRepository, DigestService],
  exports: [DigestService],
})
export class NotificationsJobsModule {}
