import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, AppConfig, Clock, Sql, SqlPort } from '@cophub/core';
import type { AuthUser } from '@cophub/identity';
import { MailOutboxService, MailPreferenceFilters, StagedMail } from '@cophub/mail';
import { EMPTY_NOTIFY_RESULT, NotificationKind, NotificationService, NotifyResult } from '@cophub/notifications';
import { RealtimePublisher } from '@cophub/realtime';
import { CalendarService, icsFileName } from './calendar.service';
import { CommunityEvent } from '../db/event.entity';
import { EventsRepository } from '../db/events.repository';
import { RsvpsRepository } from '../db/rsvps.repository';
import { EventStatus, RsvpStatus } from '../domain/enums';
import { EventsError, EventsErrorCode } from '../errors/events.error';
import { EventPolicy } from '../policies/event.policy';
import { eventMailFacts } from './event-mail';
import { lockEvent } from './events.service';
import { Waitlist } from './waitlist';

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
    private readonly sql: SqlPort,
    private readonly events: EventsRepository,
    private readonly rsvps: RsvpsRepository,
    private readonly policy: EventPolicy,
    private readonly waitlist: Waitlist,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly clock: Clock,
    private readonly mail: MailOutboxService,
    private readonly mailPreferences: MailPreferenceFilters,
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
    const user = await this.rsvps.recipient(userId);
    if (!user) return null;
    const optedOut = await this.mailPreferences.optedOut(this.sql, [{ userId, kind: NotificationKind.EventRsvp }]);
    const event = optedOut.size ? null : await this.events.find(eventId);
    if (!event) return null;
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

  /** A member answers an event of their community. */
  async respond(user: AuthUser, eventId: string, input: RsvpInput): Promise<MyRsvp> {
    await this.policy.member(user, eventId);
    return this.settle(user.id, eventId, input);
  }

  /** Gives back the member's place (or leaves the waitlist), as when their account closes. */
  async giveBack(userId: string, eventId: string): Promise<void> {
    await this.settle(userId, eventId, { status: RsvpStatus.NotGoing });
  }

  private async settle(userId: string, eventId: string, input: RsvpInput): Promise<MyRsvp> {
    const now = this.clock.now();
    const confirmation = input.status === RsvpStatus.Going ? await this.prepareConfirmation(userId, eventId) : null;
    const result = await this.sql.transaction(async (tx, manager) => {
      const event = await lockEvent(this.events, tx, eventId);
      if (event.status === EventStatus.Cancelled) {
        throw new EventsError(EventsErrorCode.Cancelled, 'This event has been cancelled');
      }
      if (now.getTime() >= event.startsAt.getTime()) {
        throw new EventsError(EventsErrorCode.Started, 'This event has already started');
      }
      const existing = await this.rsvps.find(tx, eventId, userId);
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
        answer: answer ?? (await this.mine(userId, eventId, tx)),
      });
      const notGoing = { status: RsvpStatus.NotGoing, reminders, waitlistPlace: null };

      if (input.status === RsvpStatus.Going) {
        if (existing && existing.status !== RsvpStatus.NotGoing) {
          await this.rsvps.update(tx, existing.id, { reminders });
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
        if (existing) await this.rsvps.update(tx, existing.id, row);
        else await this.rsvps.insert(tx, row);
        await this.events.countJoined(tx, eventId, hasPlace);
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
        await this.rsvps.insert(tx, {
          eventId,
          userId,
          communityId: event.communityId,
          status: RsvpStatus.NotGoing,
          reminders,
        });
        return settled(false, notGoing);
      }
      if (existing.status === RsvpStatus.NotGoing) {
        await this.rsvps.update(tx, existing.id, { reminders });
        return settled(false, notGoing);
      }
      await this.rsvps.update(tx, existing.id, { status: RsvpStatus.NotGoing, waitlistPosition: null, reminders });
      if (existing.status === RsvpStatus.Going) {
        await this.events.countPlaceGivenBack(tx, eventId);
        event.goingCount -= 1;
        notices = (await this.waitlist.promote(tx, manager, event)).notices;
      } else {
        await this.events.countLeftWaitlist(tx, eventId);
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

  /** The member's RSVP and waitlist place as `db` sees it (inside a transaction: as it will commit). */
  async mine(userId: string, eventId: string, db?: Sql): Promise<MyRsvp> {
    const row = await this.rsvps.mine(eventId, userId, db);
    return row
      ? { status: row.status, reminders: row.reminders, waitlistPlace: row.place === null ? null : Number(row.place) }
      : { status: null, reminders: true, waitlistPlace: null };
  }

  /** Co-chairs' view: who is going and the waitlist in order. */
  async attendees(
    communityId: string,
    eventId: string,
  ): Promise<Array<{ userId: string; displayName: string; status: RsvpStatus; waitlistPosition: number | null }>> {
    const rows = await this.rsvps.attendees(communityId, eventId);
    return rows.map((r) => ({
      userId: r.userId,
      displayName: r.displayName,
      status: r.status,
      waitlistPosition: r.waitlistPosition === null ? null : Number(r.waitlistPosition),
    }));
  }
}
