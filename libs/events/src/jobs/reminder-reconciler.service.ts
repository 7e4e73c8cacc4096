import { Inject, Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { APP_CONFIG, AppConfig, Clock, PeriodicTask } from '@cophub/core';
import { RemindersRepository } from '../db/reminders.repository';
import { ReminderPlanner } from '../services/reminder-planner.service';
import { ReminderDeliveryService } from './reminder-delivery.service';

/**
 * PostgreSQL holds the reminder plan; Redis only holds wake-ups. On worker start and every
 * `REMINDER_SCAN_INTERVAL_MS` this (1) delivers every pending reminder that is due — the backstop
 * for delayed jobs lost with an emptied Redis or stalled after a connection loss — and (2) re-adds
 * the delayed job of every future pending reminder (deterministic ids make that harmless).
 */
@Injectable()
export class ReminderReconciler implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('ReminderReconciler');
  private readonly task: PeriodicTask;

  constructor(
    private readonly reminders: RemindersRepository,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly clock: Clock,
    private readonly planner: ReminderPlanner,
    private readonly delivery: ReminderDeliveryService,
  ) {
    this.task = new PeriodicTask(this.logger, 'reminder reconcile', () => this.reconcile());
  }

  onApplicationBootstrap(): void {
    this.task.start(this.config.events.reminderScanIntervalMs);
  }

  async onModuleDestroy(): Promise<void> {
    await this.task.stop();
  }

  runOnce(): Promise<number> {
    return this.task.runOnce();
  }

  private async reconcile(): Promise<number> {
    const now = this.clock.now();
    const due = await this.reminders.dueBy(now);
    for (const slot of due) await this.delivery.deliver(slot.id);
    const future = await this.reminders.pendingAfter(now);
    try {
      await this.planner.enqueue(future, now);
    } catch (error) {
      this.logger.warn(`could not re-add reminder jobs: ${(error as Error).message}`);
    }
    return due.length;
  }
}
