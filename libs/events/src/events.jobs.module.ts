import { Module } from '@nestjs/common';
import { MailModule } from '@cophub/mail';
import { EventsRepository } from './db/events.repository';
import { RemindersRepository } from './db/reminders.repository';
import { ReminderDeliveryService } from './jobs/reminder-delivery.service';
import { ReminderReconciler } from './jobs/reminder-reconciler.service';
import { ReminderPlanner } from './services/reminder-planner.service';

/** Consumer side: reminder delivery and the reconciler. Imported only by the worker. */
@Module({
  imports: [MailModule],
  providers: [EventsRepository, RemindersRepository, ReminderPlanner, ReminderDeliveryService, ReminderReconciler],
  exports: [ReminderDeliveryService, ReminderReconciler],
})
export class EventsJobsModule {}
