import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { APP_CONFIG, AppConfig, Clock, JobHandler, JobName, JobPayload, ukTimeRange } from '@cophub/core';
import { MailOutboxService, StagedMail } from '@cophub/mail';
import { NotificationKind } from '@cophub/notifications';
import { addToCalendarLinks } from '../calendar/add-to-calendar';
import { DataSource } from 'typeorm';
import { CommunityEvent } from '../entities/event.entity';
import { EventStatus, ReminderSlotStatus } from '../entities/enums';
import { eventLocationText, eventUrl } from '../domain/event-links';
import { offsetText, reminderSendableUntil } from '../services/reminder-time';

export type ReminderOutcome = 'sent' | 'missed' | 'superseded' | 'not_due' | 'already_done' | 'busy';

interface SlotRow {
  id: string;
  event_id: string;
  offset_minutes: number;
  schedule_version: number;
  due_at: Date;
  status: ReminderSlotStatus;
}

/**
 * Sends one planned reminder to everyone going, exactly once in effect. The job carries only the
 * slot id; this re-reads the slot and the event under a row lock and does nothing when the plan was
 * superseded (the event moved or was cancelled) or the reminder is too late to be useful. Each
 * recipient gets a delivery row (unique per slot and member) in the same transaction as their outbox
 * row, so a re-run after a crash stages nobody twice; the outbox then sends each row once.
 */
@Injectable()
export class ReminderDeliveryService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly clock: Clock,
    private readonly mail: MailOutboxService,
  ) {}

  @JobHandler(JobName.SendEventReminder)
  async handle(payload: JobPayload<JobName.SendEventReminder>): Promise<ReminderOutcome> {
    return this.deliver(payload.slotId);
  }

  async deliver(slotId: string): Promise<ReminderOutcome> {
    const now = this.clock.now();
    const { outcome, mailIds } = await this.dataSource.transaction(async (manager) => {
      // SKIP LOCKED: another worker (or the reconciler) is already on this slot.
      const slots: SlotRow[] = await manager.query(
        'SELECT * FROM event_reminder_slots WHERE id = $1 FOR UPDATE SKIP LOCKED',
        [slotId],
      );
      const slot = slots[0];
      if (!slot) return { outcome: 'busy' as const, mailIds: [] };
      if (slot.status !== ReminderSlotStatus.Pending) return { outcome: 'already_done' as const, mailIds: [] };
      const event = await manager.findOneBy(CommunityEvent, { id: slot.event_id });
      const finish = async (status: ReminderSlotStatus, recipients = 0) =>
        manager.query('UPDATE event_reminder_slots SET status = $2, processed_at = $3, recipients = $4 WHERE id = $1', [
          slot.id,
          status,
          now,
          recipients,
        ]);
      if (!event || event.status === EventStatus.Cancelled || event.scheduleVersion !== slot.schedule_version) {
        await finish(ReminderSlotStatus.Superseded);
        return { outcome: 'superseded' as const, mailIds: [] };
      }
      // Woken early (a clock difference between processes): leave it for the job or the reconciler.
      if (now.getTime() < new Date(slot.due_at).getTime() - 1000) return { outcome: 'not_due' as const, mailIds: [] };
      if (now.getTime() > reminderSendableUntil(new Date(slot.due_at), slot.offset_minutes, event.startsAt).getTime()) {
        await finish(ReminderSlotStatus.Missed);
        return { outcome: 'missed' as const, mailIds: [] };
      }
      // Claim a delivery row per recipient; members who opted out (for this event, or reminders
      // altogether in their notification settings) are skipped.
      const recipients: Array<{ user_id: string; email: string; display_name: string }> = await manager.query(
        `WITH claimed AS (
           INSERT INTO event_reminder_deliveries (slot_id, user_id)
           SELECT $1, r.user_id FROM event_rsvps r
            WHERE r.event_id = $2 AND r.status = 'going' AND r.reminders
              AND NOT EXISTS (
                SELECT 1 FROM notification_preferences p
                 WHERE p.user_id = r.user_id AND p.kind = 'event_reminder' AND p.channel IN ('off', 'in_app'))
           ON CONFLICT DO NOTHING
           RETURNING user_id
         )
         SELECT u.id AS user_id, u.email, u.display_name FROM claimed JOIN users u ON u.id = claimed.user_id`,
        [slot.id, event.id],
      );
      const mails: StagedMail[] = recipients.map((r) => ({
        to: r.email,
        template: 'events.reminder',
        params: {
          displayName: r.display_name,
          title: event.title,
          when: ukTimeRange(event.startsAt, event.endsAt),
          inText: offsetText(slot.offset_minutes),
          location: eventLocationText(event),
          url: eventUrl(this.config.publicUrl, event.id),
          joinUrl: event.joinUrl,
          calendarLinks: addToCalendarLinks(event, this.config.publicUrl),
        },
        dedupeKey: `event-reminder:${slot.id}:${r.user_id}`,
        // The claim above already left out members who turned event reminder emails off.
        unsubscribe: { userId: r.user_id, scope: NotificationKind.EventReminder, channelChecked: true },
      }));
      const mailIds = await this.mail.stage(manager, mails);
      await finish(ReminderSlotStatus.Sent, recipients.length);
      return { outcome: 'sent' as const, mailIds };
    });
    await this.mail.dispatch(mailIds);
    return outcome;
  }
}
