import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, AppConfig, Clock, JobHandler, JobPayload, SqlPort, ukTimeRange } from '@cophub/core';
import { EventJob } from './events.jobs';
import { MailOutboxService, MailPreferenceFilters, recipientKindKey, StagedMail } from '@cophub/mail';
import { NotificationKind } from '@cophub/notifications';
import { addToCalendarLinks } from '../domain/add-to-calendar';
import { EventsRepository } from '../db/events.repository';
import { RemindersRepository } from '../db/reminders.repository';
import { EventStatus, ReminderSlotStatus } from '../domain/enums';
import { eventLocationText, eventUrl } from '../domain/event-links';
import { offsetText, reminderSendableUntil } from '../domain/reminder-time';

export type ReminderOutcome = 'sent' | 'missed' | 'superseded' | 'not_due' | 'already_done' | 'busy';

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
    private readonly sql: SqlPort,
    private readonly events: EventsRepository,
    private readonly reminders: RemindersRepository,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly clock: Clock,
    private readonly mail: MailOutboxService,
    private readonly preferences: MailPreferenceFilters,
  ) {}

  @JobHandler(EventJob.Reminder)
  async handle(payload: JobPayload<typeof EventJob.Reminder>): Promise<ReminderOutcome> {
    return this.deliver(payload.slotId);
  }

  async deliver(slotId: string): Promise<ReminderOutcome> {
    const now = this.clock.now();
    const { outcome, mailIds } = await this.sql.transaction(async (tx, manager) => {
      // SKIP LOCKED: another worker (or the reconciler) is already on this slot.
      const slot = await this.reminders.lockSlot(tx, slotId);
      if (!slot) return { outcome: 'busy' as const, mailIds: [] };
      if (slot.status !== ReminderSlotStatus.Pending) return { outcome: 'already_done' as const, mailIds: [] };
      const event = await this.events.find(slot.event_id, tx);
      const finish = (status: ReminderSlotStatus, recipients = 0) =>
        this.reminders.finishSlot(tx, slot.id, status, now, recipients);
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
      // Claim a delivery row per recipient; members who opted out (for this event, or reminder emails
      // altogether in their notification settings: a reminder still goes to those who chose a digest) are skipped.
      const going = await this.reminders.wantingReminders(tx, event.id);
      const kind = NotificationKind.EventReminder;
      const optedOut = await this.preferences.optedOut(
        tx,
        going.map((userId) => ({ userId, kind })),
        { timely: true },
      );
      const recipients = await this.reminders.claimRecipients(
        tx,
        slot.id,
        going.filter((userId) => !optedOut.has(recipientKindKey({ userId, kind }))),
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
