import { Injectable } from '@nestjs/common';
import { Columns, Sql, SqlPort } from '@cophub/core';
import { ReminderSlotStatus } from '../domain/enums';
import type { Recipient } from './rsvps.repository';

/** A planned reminder. */
export type SlotRow = Columns<
  'event_reminder_slots',
  'id' | 'event_id' | 'offset_minutes' | 'schedule_version' | 'due_at'
> & {
  status: ReminderSlotStatus;
};

/** Every statement on `event_reminder_slots` and `event_reminder_deliveries`. */
@Injectable()
export class RemindersRepository {
  constructor(private readonly sql: SqlPort) {}

  /** Marks the event's pending reminders superseded; answers their ids. */
  supersedePending(tx: Sql, eventId: string, now: Date): Promise<Array<{ id: string }>> {
    return tx.rows<{ id: string }>(
      `UPDATE event_reminder_slots SET status = $2, processed_at = $3
        WHERE event_id = $1 AND status = 'pending' RETURNING id`,
      [eventId, ReminderSlotStatus.Superseded, now],
    );
  }

  /** Plans one reminder of the event's schedule version; null when that one is already planned. */
  plan(
    tx: Sql,
    slot: { eventId: string; communityId: string; offset: number; scheduleVersion: number; dueAt: Date },
  ): Promise<{ id: string } | null> {
    return tx.maybeOne<{ id: string }>(
      `INSERT INTO event_reminder_slots (event_id, community_id, offset_minutes, schedule_version, due_at)
           VALUES ($1, $2, $3, $4, $5)
           ON CONFLICT (event_id, offset_minutes, schedule_version) DO NOTHING RETURNING id`,
      [slot.eventId, slot.communityId, slot.offset, slot.scheduleVersion, slot.dueAt],
    );
  }

  /** Pending reminders already due, oldest first (at most 500). */
  dueBy(now: Date): Promise<Array<{ id: string }>> {
    return this.sql.rows<{ id: string }>(
      `SELECT id FROM event_reminder_slots WHERE status = 'pending' AND due_at <= $1 ORDER BY due_at LIMIT 500`,
      [now],
    );
  }

  /** Pending reminders still to come. */
  async pendingAfter(now: Date): Promise<Array<{ id: string; dueAt: Date }>> {
    const rows = await this.sql.rows<{ id: string; dueAt: Date }>(
      `SELECT id, due_at AS "dueAt" FROM event_reminder_slots WHERE status = 'pending' AND due_at > $1`,
      [now],
    );
    return rows.map((r) => ({ id: r.id, dueAt: new Date(r.dueAt) }));
  }

  /** The slot locked in `tx`; null when another worker holds it (SKIP LOCKED) or it does not exist. */
  lockSlot(tx: Sql, slotId: string): Promise<SlotRow | null> {
    return tx.maybeOne<SlotRow>('SELECT * FROM event_reminder_slots WHERE id = $1 FOR UPDATE SKIP LOCKED', [slotId]);
  }

  async finishSlot(tx: Sql, slotId: string, status: ReminderSlotStatus, now: Date, recipients: number): Promise<void> {
    await tx.exec('UPDATE event_reminder_slots SET status = $2, processed_at = $3, recipients = $4 WHERE id = $1', [
      slotId,
      status,
      now,
      recipients,
    ]);
  }

  /** The members going to the event who want its reminders (they did not turn them off for this event). */
  async wantingReminders(tx: Sql, eventId: string): Promise<string[]> {
    const rows = await tx.rows<{ user_id: string }>(
      `SELECT r.user_id FROM event_rsvps r WHERE r.event_id = $1 AND r.status = 'going' AND r.reminders`,
      [eventId],
    );
    return rows.map((r) => r.user_id);
  }

  /** Claims a delivery row of the slot for each of `userIds`; answers the members claimed now, so a re-run claims nobody twice. */
  claimRecipients(tx: Sql, slotId: string, userIds: string[]): Promise<Recipient[]> {
    return tx.rows<Recipient>(
      `WITH claimed AS (
           INSERT INTO event_reminder_deliveries (slot_id, user_id)
           SELECT $1, unnest($2::uuid[])
           ON CONFLICT DO NOTHING
           RETURNING user_id
         )
         SELECT u.id AS user_id, u.email, u.display_name FROM claimed JOIN users u ON u.id = claimed.user_id`,
      [slotId, userIds],
    );
  }

  /** When reminders were sent to a person, for their personal data export. */
  sentTo(userId: string): Promise<Record<string, unknown>[]> {
    return this.sql.rows(
      'SELECT created_at AS "sentAt" FROM event_reminder_deliveries WHERE user_id = $1 ORDER BY created_at',
      [userId],
    );
  }

  async deleteDeliveriesOf(userId: string): Promise<void> {
    await this.sql.exec('DELETE FROM event_reminder_deliveries WHERE user_id = $1', [userId]);
  }
}
