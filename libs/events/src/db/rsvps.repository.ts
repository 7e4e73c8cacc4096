import { Injectable } from '@nestjs/common';
import { Columns, Row, Sql, SqlPort } from '@cophub/core';
import { RsvpStatus } from '../domain/enums';
import { EventRsvp } from './event-rsvp.entity';

/**
 * Someone an event email goes to. The statements on the reply path answer in these column names (they are
 * hand-tuned and benchmarked, so their text stays as it is).
 */
export type Recipient = Columns<'users', 'email' | 'display_name'> & { user_id: Row<'users'>['id'] };

/** A member's answer as the reply path reads it. */
export type RsvpRow = Columns<'event_rsvps', 'id' | 'reminders'> & { status: RsvpStatus };

export type MyRsvpRow = Columns<'event_rsvps', 'reminders'> & {
  status: RsvpStatus;
  /** The place on the waitlist (a count, as node-postgres answers bigint). */
  place: string | null;
};

export interface RsvpAttendeeRow {
  userId: Row<'event_rsvps'>['user_id'];
  displayName: Row<'users'>['display_name'];
  status: RsvpStatus;
  waitlistPosition: Row<'event_rsvps'>['waitlist_position'];
}

/** Every statement on `event_rsvps`; each takes the event it is about. */
@Injectable()
export class RsvpsRepository {
  constructor(private readonly sql: SqlPort) {}

  /** The member's answer to the event, if they gave one. */
  find(tx: Sql, eventId: string, userId: string): Promise<EventRsvp | null> {
    return tx.manager.getRepository(EventRsvp).findOne({ where: { eventId, userId } });
  }

  async insert(tx: Sql, row: Partial<EventRsvp>): Promise<void> {
    await tx.manager.getRepository(EventRsvp).insert(row);
  }

  async update(tx: Sql, rsvpId: string, changes: Partial<EventRsvp>): Promise<void> {
    await tx.manager.getRepository(EventRsvp).update({ id: rsvpId }, changes);
  }

  /** The member's answer and waitlist place as `db` sees it (inside a transaction: as it will commit). */
  mine(eventId: string, userId: string, db: Sql = this.sql): Promise<MyRsvpRow | null> {
    return db.maybeOne<MyRsvpRow>(
      `SELECT r.status, r.reminders,
            CASE WHEN r.status = 'waitlisted' THEN (
              SELECT count(*) FROM event_rsvps w
               WHERE w.event_id = r.event_id AND w.status = 'waitlisted' AND w.waitlist_position <= r.waitlist_position
            ) END AS place
       FROM event_rsvps r WHERE r.event_id = $1 AND r.user_id = $2`,
      [eventId, userId],
    );
  }

  /** Who is going, then the waitlist in order. */
  attendees(communityId: string, eventId: string): Promise<RsvpAttendeeRow[]> {
    return this.sql.rows<RsvpAttendeeRow>(
      `SELECT r.user_id AS "userId", u.display_name AS "displayName", r.status, r.waitlist_position AS "waitlistPosition"
           FROM event_rsvps r JOIN users u ON u.id = r.user_id
          WHERE r.event_id = $1 AND r.community_id = $2 AND r.status IN ('going', 'waitlisted')
          ORDER BY r.status, r.waitlist_position NULLS FIRST, u.display_name`,
      [eventId, communityId],
    );
  }

  /** Everyone with a place or on the waitlist: they are told about changes and cancellation. */
  recipients(tx: Sql, communityId: string, eventId: string): Promise<Recipient[]> {
    return tx.rows<Recipient>(
      `SELECT u.id AS user_id, u.email, u.display_name
       FROM event_rsvps r JOIN users u ON u.id = r.user_id
      WHERE r.event_id = $1 AND r.community_id = $2 AND r.status IN ('going', 'waitlisted')
      ORDER BY r.created_at`,
      [eventId, communityId],
    );
  }

  /** The member to email (identity's published columns). */
  recipient(userId: string): Promise<Recipient | null> {
    return this.sql.maybeOne<Recipient>(
      'SELECT u.id AS user_id, u.email, u.display_name FROM users u WHERE u.id = $1',
      [userId],
    );
  }

  /** Moves up to `free` members from the head of the waitlist to a place; answers who moved. */
  promote(tx: Sql, eventId: string, free: number): Promise<Recipient[]> {
    return tx.rows<Recipient>(
      `WITH head AS (
       SELECT id FROM event_rsvps
        WHERE event_id = $1 AND status = 'waitlisted'
        ORDER BY waitlist_position
        LIMIT $2
     ), moved AS (
       UPDATE event_rsvps r SET status = 'going', waitlist_position = NULL, updated_at = now()
         FROM head WHERE r.id = head.id
       RETURNING r.user_id
     )
     SELECT u.id AS user_id, u.email, u.display_name FROM moved JOIN users u ON u.id = moved.user_id`,
      [eventId, free],
    );
  }

  /** The events still to come where the member has a place or waits for one. */
  async upcomingOf(userId: string, now: Date): Promise<string[]> {
    const rows = await this.sql.rows<{ eventId: string }>(
      `SELECT r.event_id AS "eventId" FROM event_rsvps r JOIN events e ON e.id = r.event_id
            WHERE r.user_id = $1 AND r.status IN ('going', 'waitlisted') AND e.status = 'scheduled' AND e.starts_at > $2`,
      [userId, now],
    );
    return rows.map((r) => r.eventId);
  }

  /** A person's answers, for their personal data export. */
  answersOf(userId: string): Promise<Record<string, unknown>[]> {
    return this.sql.rows(
      `SELECT e.title, e.starts_at AS "startsAt", r.status, r.reminders, r.created_at AS "answeredAt"
                 FROM event_rsvps r JOIN events e ON e.id = r.event_id WHERE r.user_id = $1 ORDER BY e.starts_at`,
      [userId],
    );
  }
}
