import { Injectable } from '@nestjs/common';
import { AuditService } from '@cophub/audit';
import { Clock, SqlPort } from '@cophub/core';
import type { AuthUser } from '@cophub/identity';
import { AttendanceRepository } from '../db/attendance.repository';
import { AttendanceMethod, EventStatus } from '../domain/enums';
import { EventsError, EventsErrorCode } from '../errors/events.error';
import { EventPolicy } from '../policies/event.policy';
import { RsvpService } from './rsvp.service';

/** Check-in opens this long before the start and closes this long after the end. */
const CHECK_IN_OPENS_MS = 30 * 60_000;
const CHECK_IN_CLOSES_MS = 2 * 3_600_000;

@Injectable()
export class AttendanceService {
  constructor(
    private readonly sql: SqlPort,
    private readonly repo: AttendanceRepository,
    private readonly policy: EventPolicy,
    private readonly rsvps: RsvpService,
    private readonly clock: Clock,
    private readonly audit: AuditService,
  ) {}

  /**
   * A co-chair records who attended (or removes a mistaken record) once the event has started.
   * Only approved members of the event's community can be recorded; the whole list is refused otherwise.
   * Only the event's co-chairs (and admins) may.
   */
  async mark(user: AuthUser, eventId: string, userIds: string[], attended: boolean): Promise<number> {
    const { event } = await this.policy.manage(user, eventId);
    const actorId = user.id;
    if (event.status === EventStatus.Cancelled) {
      throw new EventsError(EventsErrorCode.Cancelled, 'A cancelled event has no attendance');
    }
    if (this.clock.now().getTime() < event.startsAt.getTime()) {
      throw new EventsError(
        EventsErrorCode.AttendanceTooEarly,
        'Attendance can be recorded once the event has started',
      );
    }
    const ids = [...new Set(userIds)];
    return this.sql.transaction(async (tx, manager) => {
      let changed: number;
      if (attended) {
        const members = await this.repo.approvedMembers(tx, event.communityId, ids);
        if (members.length !== ids.length) {
          throw new EventsError(
            EventsErrorCode.NotMembers,
            'Attendance can only be recorded for members of this community',
          );
        }
        changed = await this.repo.mark(tx, event.communityId, event.id, ids, actorId);
      } else {
        changed = await this.repo.unmark(tx, event.communityId, event.id, ids);
      }
      await this.audit.record(manager, {
        communityId: event.communityId,
        actorId,
        action: attended ? 'event.attendance_marked' : 'event.attendance_removed',
        targetType: 'event',
        targetId: event.id,
        data: { userIds: ids, changed },
      });
      return changed;
    });
  }

  /** A member checks in with the code shown at the event, from 30 minutes before until 2 hours after. */
  async checkIn(user: AuthUser, eventId: string, code: string): Promise<void> {
    const { event } = await this.policy.member(user, eventId);
    const now = this.clock.now().getTime();
    if (event.status === EventStatus.Cancelled) {
      throw new EventsError(EventsErrorCode.Cancelled, 'This event has been cancelled');
    }
    if (now < event.startsAt.getTime() - CHECK_IN_OPENS_MS || now > event.endsAt.getTime() + CHECK_IN_CLOSES_MS) {
      throw new EventsError(
        EventsErrorCode.CheckInClosed,
        'Check-in opens 30 minutes before the start and closes 2 hours after the end',
      );
    }
    if (code.trim().toUpperCase() !== event.checkInCode) {
      throw new EventsError(EventsErrorCode.InvalidCheckInCode, 'That check-in code is not right for this event');
    }
    await this.repo.checkIn(event.communityId, event.id, user.id);
  }

  /** Who is going, the waitlist in order and who attended: for the event's co-chairs (and admins). */
  async attendees(
    user: AuthUser,
    eventId: string,
  ): Promise<{
    going: Awaited<ReturnType<RsvpService['attendees']>>;
    waitlist: Awaited<ReturnType<RsvpService['attendees']>>;
    attended: Array<{ userId: string; displayName: string; method: AttendanceMethod }>;
  }> {
    const { event } = await this.policy.manage(user, eventId);
    const [rsvps, attended] = await Promise.all([
      this.rsvps.attendees(event.communityId, event.id),
      this.repo.attendees(event.communityId, event.id),
    ]);
    return {
      going: rsvps.filter((r) => r.status === 'going'),
      waitlist: rsvps.filter((r) => r.status === 'waitlisted'),
      attended,
    };
  }
}
