import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { AuditService } from '@cophub/audit';
import { Clock, queryRows } from '@cophub/core';
import { DataSource } from 'typeorm';
import { AttendanceMethod, EventStatus } from '../domain/enums';
import { CommunityEvent } from '../db/event.entity';
import { EventsError, EventsErrorCode } from '../errors/events.error';

/** Check-in opens this long before the start and closes this long after the end. */
const CHECK_IN_OPENS_MS = 30 * 60_000;
const CHECK_IN_CLOSES_MS = 2 * 3_600_000;

@Injectable()
export class AttendanceService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly clock: Clock,
    private readonly audit: AuditService,
  ) {}

  /**
   * A co-chair records who attended (or removes a mistaken record) once the event has started.
   * Only approved members of the event's community can be recorded; the whole list is refused otherwise.
   */
  async mark(actorId: string, event: CommunityEvent, userIds: string[], attended: boolean): Promise<number> {
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
    return this.dataSource.transaction(async (manager) => {
      let changed: number;
      if (attended) {
        const members: Array<{ id: string }> = await manager.query(
          `SELECT u.id FROM users u JOIN memberships m ON m.user_id = u.id
            WHERE m.community_id = $1 AND m.status = 'approved' AND u.id = ANY($2::uuid[])`,
          [event.communityId, ids],
        );
        if (members.length !== ids.length) {
          throw new EventsError(
            EventsErrorCode.NotMembers,
            'Attendance can only be recorded for members of this community',
          );
        }
        const inserted = await queryRows(
          manager,
          `INSERT INTO event_attendance
             (event_id, user_id, community_id, method, title, starts_at, ends_at, cpd_hours, profession, career_stage, marked_by)
           SELECT e.id, u.id, e.community_id, 'marked', e.title, e.starts_at, e.ends_at, e.cpd_hours, u.profession, u.career_stage, $3
             FROM events e CROSS JOIN users u
            WHERE e.id = $1 AND u.id = ANY($2::uuid[])
           ON CONFLICT (event_id, user_id) DO NOTHING
           RETURNING user_id`,
          [event.id, ids, actorId],
        );
        changed = inserted.length;
      } else {
        const removed = await queryRows(
          manager,
          'DELETE FROM event_attendance WHERE event_id = $1 AND user_id = ANY($2::uuid[]) RETURNING user_id',
          [event.id, ids],
        );
        changed = removed.length;
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
  async checkIn(userId: string, event: CommunityEvent, code: string): Promise<void> {
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
    await this.dataSource.query(
      `INSERT INTO event_attendance
         (event_id, user_id, community_id, method, title, starts_at, ends_at, cpd_hours, profession, career_stage)
       SELECT e.id, u.id, e.community_id, 'check_in', e.title, e.starts_at, e.ends_at, e.cpd_hours, u.profession, u.career_stage
         FROM events e, users u WHERE e.id = $1 AND u.id = $2
       ON CONFLICT (event_id, user_id) DO NOTHING`,
      [event.id, userId],
    );
  }

  async attendees(eventId: string): Promise<Array<{ userId: string; displayName: string; method: AttendanceMethod }>> {
    const rows: Array<{ user_id: string; display_name: string; method: AttendanceMethod }> =
      await this.dataSource.query(
        `SELECT a.user_id, u.display_name, a.method FROM event_attendance a JOIN users u ON u.id = a.user_id
        WHERE a.event_id = $1 ORDER BY u.display_name`,
        [eventId],
      );
    return rows.map((r) => ({ userId: r.user_id, displayName: r.display_name, method: r.method }));
  }
}
