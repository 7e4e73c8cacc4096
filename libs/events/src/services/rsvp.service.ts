import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { APP_CONFIG, AppConfig, Clock } from '@cophub/core';
import { MailOutboxService } from '@cophub/mail';
import { RealtimePublisher } from '@cophub/realtime';
import { DataSource } from 'typeorm';
import { EventRsvp } from '../entities/event-rsvp.entity';
import { EventStatus, RsvpStatus } from '../entities/enums';
import { EventsError, EventsErrorCode } from '../errors/events.error';
import { lockEvent } from './events.service';
import { promoteFromWaitlist } from './waitlist';

export interface RsvpInput {
  status: RsvpStatus.Going | RsvpStatus.NotGoing;
  /** Leave unset to keep the member's current choice (reminders are on by default). */
  reminders?: boolean;
}

export interface MyRsvp {
  status: RsvpStatus | null;
  /** 1-based place in the waitlist, when waitlisted. */
  waitlistPlace: number | null;
  reminders: boolean;
}

/**
 * RSVPs are settled under the event's row lock: the counters on the event row are read and changed
 * only while it is held, and a check constraint (`going_count <= capacity`) backs it up. So however
 * many members answer at once, the capacity holds and the waitlist keeps arrival order.
 */
@Injectable()
export class RsvpService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly clock: Clock,
    private readonly mail: MailOutboxService,
    private readonly realtime: RealtimePublisher,
  ) {}

  async respond(userId: string, eventId: string, input: RsvpInput): Promise<MyRsvp> {
    const now = this.clock.now();
    const result = await this.dataSource.transaction(async (manager) => {
      const event = await lockEvent(manager, eventId);
      if (event.status === EventStatus.Cancelled) {
        throw new EventsError(EventsErrorCode.Cancelled, 'This event has been cancelled');
      }
      if (now.getTime() >= event.startsAt.getTime()) {
        throw new EventsError(EventsErrorCode.Started, 'This event has already started');
      }
      const repo = manager.getRepository(EventRsvp);
      const existing = await repo.findOne({ where: { eventId, userId } });
      const reminders = input.reminders ?? existing?.reminders ?? true;
      let mailIds: string[] = [];

      if (input.status === RsvpStatus.Going) {
        if (existing && existing.status !== RsvpStatus.NotGoing) {
          await repo.update({ id: existing.id }, { reminders });
          return { mailIds, changed: false };
        }
        if (event.rsvpDeadline && now.getTime() > event.rsvpDeadline.getTime()) {
          throw new EventsError(EventsErrorCode.RsvpClosed, 'RSVPs for this event have closed');
        }
        const hasPlace = event.capacity === null || event.goingCount < event.capacity;
        const row = {
          eventId,
          userId,
          communityId: event.communityId,
          status: hasPlace ? RsvpStatus.Going : RsvpStatus.Waitlisted,
          waitlistPosition: hasPlace ? null : event.waitlistNext,
          reminders,
        };
        if (existing) await repo.update({ id: existing.id }, row);
        else await repo.insert(row);
        await manager.query(
          hasPlace
            ? 'UPDATE events SET going_count = going_count + 1 WHERE id = $1'
            : 'UPDATE events SET waitlist_count = waitlist_count + 1, waitlist_next = waitlist_next + 1 WHERE id = $1',
          [eventId],
        );
        return { mailIds, changed: true };
      }

      // Not going: give back a place (promoting the head of the waitlist) or leave the waitlist.
      if (!existing) {
        await repo.insert({ eventId, userId, communityId: event.communityId, status: RsvpStatus.NotGoing, reminders });
        return { mailIds, changed: false };
      }
      if (existing.status === RsvpStatus.NotGoing) {
        await repo.update({ id: existing.id }, { reminders });
        return { mailIds, changed: false };
      }
      await repo.update({ id: existing.id }, { status: RsvpStatus.NotGoing, waitlistPosition: null, reminders });
      if (existing.status === RsvpStatus.Going) {
        await manager.query('UPDATE events SET going_count = going_count - 1 WHERE id = $1', [eventId]);
        event.goingCount -= 1;
        mailIds = (await promoteFromWaitlist(manager, event, this.config.publicUrl, this.mail)).mailIds;
      } else {
        await manager.query('UPDATE events SET waitlist_count = waitlist_count - 1 WHERE id = $1', [eventId]);
      }
      return { mailIds, changed: true };
    });
    await this.mail.dispatch(result.mailIds);
    if (result.changed) this.realtime.publish('event', eventId, 'event.rsvps', { id: eventId });
    return this.mine(userId, eventId);
  }

  async mine(userId: string, eventId: string): Promise<MyRsvp> {
    const rows: Array<{ status: RsvpStatus; reminders: boolean; place: string | null }> = await this.dataSource.query(
      `SELECT r.status, r.reminders,
              CASE WHEN r.status = 'waitlisted' THEN (
                SELECT count(*) FROM event_rsvps w
                 WHERE w.event_id = r.event_id AND w.status = 'waitlisted' AND w.waitlist_position <= r.waitlist_position
              ) END AS place
         FROM event_rsvps r WHERE r.event_id = $1 AND r.user_id = $2`,
      [eventId, userId],
    );
    const row = rows[0];
    return row
      ? { status: row.status, reminders: row.reminders, waitlistPlace: row.place === null ? null : Number(row.place) }
      : { status: null, reminders: true, waitlistPlace: null };
  }

  /** Co-chairs' view: who is going and the waitlist in order. */
  async attendees(
    eventId: string,
  ): Promise<Array<{ userId: string; displayName: string; status: RsvpStatus; waitlistPosition: number | null }>> {
    const rows: Array<{ user_id: string; display_name: string; status: RsvpStatus; waitlist_position: string | null }> =
      await this.dataSource.query(
        `SELECT r.user_id, u.display_name, r.status, r.waitlist_position
           FROM event_rsvps r JOIN users u ON u.id = r.user_id
          WHERE r.event_id = $1 AND r.status IN ('going', 'waitlisted')
          ORDER BY r.status, r.waitlist_position NULLS FIRST, u.display_name`,
        [eventId],
      );
    return rows.map((r) => ({
      userId: r.user_id,
      displayName: r.display_name,
      status: r.status,
      waitlistPosition: r.waitlist_position === null ? null : Number(r.waitlist_position),
    }));
  }
}
