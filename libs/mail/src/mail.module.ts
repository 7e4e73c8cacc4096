import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { MailOutbox } from './db/mail-outbox.entity';
import { MailOutboxRepository } from './db/mail-outbox.repository';
import { MailSuppressionsRepository } from './db/mail-suppressions.repository';
import { MailAccountHooks } from './hooks/mail-account-hooks';
import { MailMetrics } from './hooks/mail-metrics';
import { MailOutboxService } from './services/mail-outbox.service';
import { MailPreferenceFilters } from './services/mail-preference-filters';
import { MailSuppressionService } from './services/mail-suppression.service';

/** Producer side: stage and dispatch mail, list the outbox. Imported by the API and feature modules. */
@Module({
  // The entities declare the schema; every statement is in MailOutboxRepository or MailSuppressionsRepository.
  imports: [TypeOrmModule.forFeature([MailOutbox])],
  providers: [
    MailOutboxRepository,
    MailSuppressionsRepository,
    MailOutboxService,
    MailPreferenceFilters,
    MailSuppressionService,
    MailAccountHooks,
    MailMetrics,
  ],
  exports: [MailOutboxRepository, MailOutboxService, MailPreferenceFilters, MailSuppressionService, MailMetrics],
})
export class MailModule {}
