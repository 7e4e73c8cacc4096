import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { MailAccountHooks } from './services/mail-account-hooks';
import { MailOutbox } from './entities/mail-outbox.entity';
import { MailOutboxService } from './services/mail-outbox.service';
import { MailSuppressionService } from './services/mail-suppression.service';

/** Producer side: stage and dispatch mail, list the outbox. Imported by the API and feature modules. */
@Module({
  imports: [TypeOrmModule.forFeature([MailOutbox])],
  providers: [MailOutboxService, MailSuppressionService, MailAccountHooks],
  exports: [MailOutboxService, MailSuppressionService],
})
export class MailModule {}
