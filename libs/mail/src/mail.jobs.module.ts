import { Module } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '@cophub/core';
import { LocalOutboxDriver } from './drivers/local-outbox.driver';
import { MAIL_DRIVER, MailDriver } from './drivers/mail-driver';
import { SmtpDriver } from './drivers/smtp.driver';
import { MailDeliveryService } from './jobs/mail-delivery.service';
import { MailReconciler } from './jobs/mail-reconciler.service';
import { MailModule } from './mail.module';

/** Consumer side: delivery and reconciliation. Imported only by the worker. */
@Module({
  imports: [MailModule],
  providers: [
    {
      provide: MAIL_DRIVER,
      inject: [APP_CONFIG],
      // One SMTP connection per concurrent job: each SMTP transaction is several round trips, so
      // throughput follows the number of open connections, not CPU (10 connections: ~190/s; 50: ~500/s).
      useFactory: (config: AppConfig): MailDriver =>
        config.mail.smtpUrl ? new SmtpDriver(config.mail.smtpUrl, config.mail.concurrency) : new LocalOutboxDriver(),
    },
    MailDeliveryService,
    MailReconciler,
  ],
  exports: [MailReconciler],
})
export class MailJobsModule {}
