import { Injectable } from '@nestjs/common';
import { Columns, Row, Sql, SqlPort } from '@cophub/core';
import { AttendanceMethod } from '../domain/enums';
import { CalendarFeedToken } from './event-attendance.entity';

export interface AttendeeRow {
  userId: Row<'event_attendance'>['user_id'];
  displayName: Row<'users'>['display_name'];
  method: AttendanceMethod;
}

/** Every statement on `event_attendance` and `calendar_feed_tokens`. */
@Injectable()
export class AttendanceRepository {
  constructor(private readonly sql: SqlPort) {}

  /** Which of `userIds` are approved members of the community (identity's published columns). */
  async approvedMembers(tx: Sql, communityId: string, userIds: string[]): Promise<string[]> {
    const rows = await tx.rows<Columns<'users', 'id'>>(
      `SELECT u.id FROM users u JOIN memberships m ON m.user_id = u.id
            WHERE m.community_id = $1 AND m.status = 'approved' AND u.id = ANY($2::uuid[])`,
      [communityId, userIds],
    );
    return rows.map((r) => r.id);
  }

  /** Records the members as attended (marked by a co-chair), snapshotting the event; answers how many were new. */
  async mark(tx: Sql, communityId: string, eventId: string, userIds: string[], markedBy: string): Promise<number> {
    const rows = await tx.rows(
      `INSERT INTO event_attendance
             (event_id, user_id, community_id, method, title, starts_at, ends_at, cpd_hours, profession, career_stage, marked_by)
           SELECT e.id, u.id, e.community_id, 'marked', e.title, e.starts_at, e.ends_at, e.cpd_hours, u.profession, u.career_stage, $3
             FROM events e CROSS JOIN users u
            WHERE e.id = $1 AND e.community_id = $4 AND u.id = ANY($2::uuid[])
           ON CONFLICT (event_id, user_id) DO NOTHING
           RETURNING user_id`,
      [eventId, userIds, markedBy, communityId],
    );
    return rows.length;
  }

  /** Removes mistaken attendance records; answers how many there were. */
  async unmark(tx: Sql, communityId: string, eventId: string, userIds: string[]): Promise<number> {
    const rows = await tx.rows(
      'DELETE FROM event_attendance WHERE event_id = $1 AND community_id = $3 AND user_id = ANY($2::uuid[]) RETURNING user_id',
      [eventId, userIds, communityId],
    );
    return rows.length;
  }

  /** The member checked in themselves (once; a second check-in changes nothing). */
  async checkIn(communityId: string, eventId: string, userId: string): Promise<void> {
    await this.sql.exec(
      `INSERT INTO event_attendance
         (event_id, user_id, community_id, method, title, starts_at, ends_at, cpd_hours, profession, career_stage)
       SELECT e.id, u.id, e.community_id, 'check_in', e.title, e.starts_at, e.ends_at, e.cpd_hours, u.profession, u.career_stage
         FROM events e, users u WHERE e.id = $1 AND e.community_id = $3 AND u.id = $2
       ON CONFLICT (event_id, user_id) DO NOTHING`,
      [eventId, userId, communityId],
    );
  }

  attendees(communityId: string, eventId: string): Promise<AttendeeRow[]> {
    return this.sql.rows<AttendeeRow>(
      `SELECT a.user_id AS "userId", u.display_name AS "displayName", a.method FROM event_attendance a JOIN users u ON u.id = a.user_id
        WHERE a.event_id = $1 AND a.community_id = $2 ORDER BY u.display_name`,
      [eventId, communityId],
    );
  }

  /** A person's attendance with their reflections, for their personal data export. */
  attendedBy(userId: string): Promise<Record<string, unknown>[]> {
    return this.sql.rows(
      `SELECT title, starts_at AS "startsAt", cpd_hours::float AS "cpdHours", method,
                      learning_outcomes AS "learningOutcomes", reflection, evidence_url AS "evidenceUrl"
                 FROM event_attendance WHERE user_id = $1 ORDER BY starts_at`,
      [userId],
    );
  }

  /** Erases what a person wrote on their attendance (the record of attending stays for the figures). */
  async eraseReflectionsOf(userId: string): Promise<void> {
    await this.sql.exec(
      `UPDATE event_attendance SET reflection = '', learning_outcomes = '', evidence_url = NULL, reflected_at = NULL WHERE user_id = $1`,
      [userId],
    );
  }

  /** Creates or replaces the member's private feed secret (by its hash). */
  async setFeedToken(userId: string, tokenHash: string): Promise<void> {
    await this.sql.exec(
      `INSERT INTO calendar_feed_tokens (user_id, token_hash) VALUES ($1, $2)
       ON CONFLICT (user_id) DO UPDATE SET token_hash = EXCLUDED.token_hash, created_at = now()`,
      [userId, tokenHash],
    );
  }

  async deleteFeedToken(userId: string): Promise<void> {
    await this.sql.manager.getRepository(CalendarFeedToken).delete({ userId });
  }

  /** Whose feed a secret opens, or null. */
  async feedOwner(tokenHash: string): Promise<string | null> {
    const owner = await this.sql.manager.getRepository(CalendarFeedToken).findOne({ where: { tokenHash } });
    return owner?.userId ?? null;
  }

  feedTokenOf(userId: string): Promise<Record<string, unknown>[]> {
    return this.sql.rows('SELECT created_at AS "createdAt" FROM calendar_feed_tokens WHERE user_id = $1', [userId]);
  }
}
