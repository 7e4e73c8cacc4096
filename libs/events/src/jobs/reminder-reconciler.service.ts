import { Inject, Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { APP_CONFIG, AppConfig, Clock } from '@cophub/core';
import { DataSource } from 'typeorm';
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
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<number> | null = null;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly clock: Clock,
    private readonly planner: ReminderPlanner,
    private readonly delivery: ReminderDeliveryService,
  ) {}

  onApplicationBootstrap(): void {
    void this.runOnce();
    this.timer = setInterval(() => void this.runOnce(), this.config.events.reminderScanIntervalMs);
    this.timer.unref();
  }

  async onModuleDestroy(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.running?.catch(() => undefined);
  }

  runOnce(): Promise<number> {
    this.running ??= this.reconcile()
      .catch((error: Error) => {
        this.logger.warn(`reminder reconcile failed: ${error.message}`);
        return 0;
      })
      .finally(() => {
        this.running = null;
      });
    return this.running;
  }

  private async reconcile(): Promise<number> {
    const now = this.clock.now();
    const due: Array<{ id: string }> = await this.dataSource.query(
      `SELECT id FROM event_reminder_slots WHERE status = 'pending' AND due_at <= $1 ORDER BY due_at LIMIT 500`,
      [now],
    );
    for (const slot of due) await this.delivery.deliver(slot.id);
    const future: Array<{ id: string; due_at: Date }> = await this.dataSource.query(
      `SELECT id, due_at FROM event_reminder_slots WHERE status = 'pending' AND due_at > $1`,
      [now],
    );
    try {
      await this.planner.enqueue(
        future.map((f) => ({ id: f.id, dueAt: new Date(f.due_at) })),
        now,
      );
    } catch (error) {
      this.logger.warn(`could not re-add reminder jobs: ${(error as Error).message}`);
    }
    return due.length;
  }
}
