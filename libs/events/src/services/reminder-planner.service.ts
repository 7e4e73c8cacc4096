import { Injectable, Logger } from '@nestjs/common';
import { QueueService, Sql } from '@cophub/core';
import { EventJob } from '../jobs/events.jobs';
import { RemindersRepository } from '../db/reminders.repository';
import { CommunityEvent } from '../db/event.entity';
import { EventStatus } from '../domain/enums';
import { reminderDueAt } from '../domain/reminder-time';

/** What a re-plan changed, to apply to the queue after the transaction commits. */
export interface ReminderPlanChange {
  removed: string[];
  added: Array<{ id: string; dueAt: Date }>;
}

export const NO_PLAN_CHANGE: ReminderPlanChange = { removed: [], added: [] };

export function reminderJobId(slotId: string): string {
  return `event-reminder-${slotId}`;
}

/**
 * Plans an event's reminders as rows (PostgreSQL is the plan), then mirrors them as BullMQ delayed
 * jobs with deterministic ids. Re-planning supersedes the pending rows of the old schedule, so a job
 * left behind in Redis finds its row superseded and does nothing.
 */
@Injectable()
export class ReminderPlanner {
  private readonly logger = new Logger('ReminderPlanner');

  constructor(
    private readonly queues: QueueService,
    private readonly reminders: RemindersRepository,
  ) {}

  /** Inside the event's transaction, after its row was written with the new schedule version. */
  async replan(tx: Sql, event: CommunityEvent, now: Date): Promise<ReminderPlanChange> {
    const superseded = await this.reminders.supersedePending(tx, event.id, now);
    const added: ReminderPlanChange['added'] = [];
    if (event.status === EventStatus.Scheduled) {
      for (const offset of event.reminderOffsets) {
        const dueAt = reminderDueAt(event.startsAt, offset);
        // A reminder whose time has already passed when it is planned would only arrive late.
        if (dueAt.getTime() <= now.getTime()) continue;
        const slot = await this.reminders.plan(tx, {
          eventId: event.id,
          communityId: event.communityId,
          offset,
          scheduleVersion: event.scheduleVersion,
          dueAt,
        });
        if (slot) added.push({ id: slot.id, dueAt });
      }
    }
    return { removed: superseded.map((r) => r.id), added };
  }

  /** After commit. Failures are logged, not thrown: the reconciler rebuilds the queue from the rows. */
  async apply(change: ReminderPlanChange, now: Date): Promise<void> {
    try {
      for (const id of change.removed) await this.queues.remove(EventJob.Reminder, reminderJobId(id));
      await this.enqueue(change.added, now);
    } catch (error) {
      this.logger.warn(`could not update reminder jobs (the reconciler will): ${(error as Error).message}`);
    }
  }

  async enqueue(slots: Array<{ id: string; dueAt: Date }>, now: Date): Promise<void> {
    await this.queues.addBulk(
      EventJob.Reminder,
      slots.map((slot) => ({
        payload: { slotId: slot.id },
        options: { jobId: reminderJobId(slot.id), delayMs: slot.dueAt.getTime() - now.getTime() },
      })),
    );
  }
}
