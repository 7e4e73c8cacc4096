import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { APP_CONFIG, AppConfig, Clock } from '@cophub/core';
import { MailOutboxService, StagedMail } from '@cophub/mail';
import { EMPTY_NOTIFY_RESULT, NotificationKind, NotificationService, NotifyResult } from '@cophub/notifications';
import { RealtimePublisher } from '@cophub/realtime';
import { DataSource, EntityManager } from 'typeorm';
import { CalendarService, icsFileName } from './calendar.service';
import { EventRsvp } from '../db/event-rsvp.entity';
import { CommunityEvent } from '../db/event.entity';
import { EventStatus, RsvpStatus } from '../domain/enums';
import { EventsError, EventsErrorCode } from '../errors/events.error';
import { eventMailFacts, Recipient } from './event-mail';
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
    private readonly notifications: NotificationService,
    private readonly calendars: CalendarService,
    private readonly realtime: RealtimePublisher,
  ) {}

  /** Recently built confirmation .ics files: a popular event gets many replies at once, all alike. */
  private readonly files = new Map<string, string>();

  /** The event's .ics as of its current version (SEQUENCE and last change), built once per version. */
  private calendarFile(event: CommunityEvent, going: boolean): string {
    const key = `${event.id}:${event.sequence}:${event.updatedAt.getTime()}:${going}`;
    let file = this.files.get(key);
    if (file === undefined) {
      file = this.calendars.eventFile(event, going);
      if (this.files.size >= 200) this.files.delete(this.files.keys().next().value!);
      this.files.set(key, file);
    }
    return file;
  }

  /**
   * "You are going" (or "you are on the waiting list") with the event's .ics attached, so the member
   * has it in their calendar from the moment they reply; unless they turned RSVP emails off. Prepared
   * before the event's row lock is taken — that lock serialises every reply to the event, so only the
   * outbox insert happens while it is held. The event's details are read unlocked: the lock guards
   * places and the waitlist, not the title or time.
   */
  private async prepareConfirmation(
    userId: string,
    eventId: string,
  ): Promise<((status: RsvpStatus.Going | RsvpStatus.Waitlisted, place: number | null) => StagedMail) | null> {
    const [user]: Recipient[] = await this.dataSource.query(
      `SELECT u.id AS user_id, u.email, u.display_name FROM users u
        WHERE u.id = $1 AND NOT EXISTS (
          SELECT 1 FROM notification_preferences p WHERE p.user_id = u.id AND p.kind = $2 AND p.channel <> 'email')`,
      [userId, NotificationKind.EventRsvp],
    );
    const event = user ? await this.dataSource.getRepository(CommunityEvent).findOneBy({ id: eventId }) : null;
    if (!user || !event) return null;
    const facts = eventMailFacts(event, this.config.publicUrl);
    const files = {
      [RsvpStatus.Going]: this.calendarFile(event, true),
      [RsvpStatus.Waitlisted]: this.calendarFile(event, false),
    };
    return (status, waitlistPlace) => ({
      to: user.email,
      template: 'events.rsvp-confirmed',
      params: {
        displayName: user.display_name,
        ...facts,
        status,
        waitlistPlace,
        joinUrl: status === RsvpStatus.Going ? event.joinUrl : null,
        ics: files[status],
        icsFileName: icsFileName(event.title),
      },
      unsubscribe: { userId, scope: NotificationKind.EventRsvp, channelChecked: true },
    });
  }

  async respond(userId: string, eventId: string, input: RsvpInput): Promise<MyRsvp> {
    const now = this.clock.now();
    const confirmation = input.status === RsvpStatus.Going ? await this.prepareConfirmation(userId, eventId) : null;
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
      const mailIds: string[] = [];
      let notices: NotifyResult = EMPTY_NOTIFY_RESULT;
      // The answer comes from this transaction, before COMMIT: a read after the commit could fail (a
      // lost connection) and report a reply that was saved as an error, inviting a second one. It is
      // known from the locked row's counters except for a member already waitlisted, whose place is read.
      const settled = async (changed: boolean, answer?: MyRsvp) => ({
        mailIds,
        notices,
        changed,
        answer: answer ?? (await myRsvp(manager, userId, eventId)),
      });
      const notGoing = { status: RsvpStatus.NotGoing, reminders, waitlistPlace: null };

      if (input.status === RsvpStatus.Going) {
        if (existing && existing.status !== RsvpStatus.NotGoing) {
          await repo.update({ id: existing.id }, { reminders });
          return existing.status === RsvpStatus.Going
            ? settled(false, { status: RsvpStatus.Going, reminders, waitlistPlace: null })
            : settled(false);
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
        if (confirmation) {
          const mail = hasPlace
            ? confirmation(RsvpStatus.Going, null)
            : confirmation(RsvpStatus.Waitlisted, event.waitlistCount + 1);
          mailIds.push(...(await this.mail.stage(manager, mail)));
        }
        // Waitlist positions only grow, so a newcomer's place is behind everyone waiting now.
        return settled(true, {
          status: row.status,
          reminders,
          waitlistPlace: hasPlace ? null : event.waitlistCount + 1,
        });
      }

      // Not going: give back a place (promoting the head of the waitlist) or leave the waitlist.
      if (!existing) {
        await repo.insert({ eventId, userId, communityId: event.communityId, status: RsvpStatus.NotGoing, reminders });
        return settled(false, notGoing);
      }
      if (existing.status === RsvpStatus.NotGoing) {
        await repo.update({ id: existing.id }, { reminders });
        return settled(false, notGoing);
      }
      await repo.update({ id: existing.id }, { status: RsvpStatus.NotGoing, waitlistPosition: null, reminders });
      if (existing.status === RsvpStatus.Going) {
        await manager.query('UPDATE events SET going_count = going_count - 1 WHERE id = $1', [eventId]);
        event.goingCount -= 1;
        notices = (await promoteFromWaitlist(manager, event, this.config.publicUrl, this.notifications)).notices;
      } else {
        await manager.query('UPDATE events SET waitlist_count = waitlist_count - 1 WHERE id = $1', [eventId]);
      }
      return settled(true, notGoing);
    });
    // After the commit, best-effort only (each logs and swallows its own failure): the outbox rows are
    // already committed and the reconciler queues any that miss Redis now.
    await this.mail.dispatch(result.mailIds);
    await this.notifications.dispatch(result.notices);
    if (result.changed) this.realtime.publish('event', eventId, 'event.rsvps', { id: eventId });
    return result.answer;
  }

  async mine(userId: string, eventId: string): Promise<MyRsvp> {
    return myRsvp(this.dataSource.manager, userId, eventId);
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

/** The member's RSVP and waitlist place as `manager` sees it (inside a transaction: as it will commit). */
async function myRsvp(manager: EntityManager, userId: string, eventId: string): Promise<MyRsvp> {
  const rows: Array<{ status: RsvpStatus; reminders: boolean; place: string | null }> = await manager.query(
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
