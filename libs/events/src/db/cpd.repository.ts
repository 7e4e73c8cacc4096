import { Injectable } from '@nestjs/common';
import { Columns, Row, SqlPort } from '@cophub/core';
import type { CpdActivityInput, CpdReflectionInput, CpdSource } from '../domain/cpd-entry';
import { AttendanceMethod, CpdActivityKind, EVENT_TIME_ZONE } from '../domain/enums';

/** One line of the CPD record as the record statement answers it. */
export type CpdRow = Columns<'event_attendance', 'learning_outcomes' | 'reflection' | 'evidence_url' | 'title'> & {
  id: string;
  source: CpdSource;
  kind: 'event' | CpdActivityKind;
  /** Null for an activity recorded by hand. */
  event_id: Row<'event_attendance'>['event_id'] | null;
  community_name: Row<'communities'>['name'] | null;
  /** The day in the UK, as YYYY-MM-DD. */
  day: string;
  starts_at: Row<'event_attendance'>['starts_at'] | null;
  ends_at: Row<'event_attendance'>['ends_at'] | null;
  hours: Row<'event_attendance'>['cpd_hours'];
  method: AttendanceMethod | null;
};

const RECORD_SQL = `
  SELECT * FROM (
    SELECT a.event_id AS id, 'event' AS source, 'event' AS kind, a.event_id, c.name AS community_name, a.title,
           to_char((a.starts_at AT TIME ZONE '${EVENT_TIME_ZONE}')::date, 'YYYY-MM-DD') AS day, a.starts_at, a.ends_at,
           a.cpd_hours AS hours, a.method, a.learning_outcomes, a.reflection, a.evidence_url
      FROM event_attendance a JOIN communities c ON c.id = a.community_id
     WHERE a.user_id = $1
    UNION ALL
    SELECT x.id, 'own', x.kind, NULL, NULL, x.activity, to_char(x.occurred_on, 'YYYY-MM-DD'), NULL, NULL,
           x.hours, NULL, x.learning_outcomes, x.reflection, x.evidence_url
      FROM cpd_activities x
     WHERE x.user_id = $1
  ) r`;

/** An own activity's fields (its reflection is written beside them). */
export type CpdActivityFields = Pick<CpdActivityInput, 'kind' | 'activity' | 'date' | 'hours'>;

/**
 * Every statement on `cpd_activities`, and the member's side of `event_attendance` (their reflections). Every
 * statement is keyed by the member's own id, so no one else's entry can be read or changed through it.
 */
@Injectable()
export class CpdRepository {
  constructor(private readonly sql: SqlPort) {}

  /** The whole record, newest first. */
  record(userId: string): Promise<CpdRow[]> {
    return this.sql.rows<CpdRow>(`${RECORD_SQL} ORDER BY r.day DESC, r.starts_at DESC NULLS LAST, r.id`, [userId]);
  }

  /** One entry: an own activity or an attended event (by the event's id). */
  entry(userId: string, source: CpdSource, id: string): Promise<CpdRow | null> {
    return this.sql.maybeOne<CpdRow>(
      source === 'own'
        ? `${RECORD_SQL} WHERE r.source = 'own' AND r.id = $2`
        : `${RECORD_SQL} WHERE r.source = 'event' AND r.id = $2`,
      [userId, id],
    );
  }

  async insertActivity(userId: string, a: CpdActivityFields, r: CpdReflectionInput): Promise<string> {
    const row = await this.sql.one<{ id: string }>(
      `INSERT INTO cpd_activities (user_id, kind, activity, occurred_on, hours, learning_outcomes, reflection, evidence_url)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`,
      [
        userId,
        a.kind,
        a.activity,
        a.date,
        a.hours,
        r.learningOutcomes ?? '',
        r.reflection ?? '',
        r.evidenceUrl ?? null,
      ],
    );
    return row.id;
  }

  /** Answers whether the member has such an activity (and it was changed). */
  async updateActivity(userId: string, id: string, a: CpdActivityFields, r: CpdReflectionInput): Promise<boolean> {
    const updated = await this.sql.rows(
      `UPDATE cpd_activities
          SET kind = $3, activity = $4, occurred_on = $5, hours = $6,
              learning_outcomes = coalesce($7, learning_outcomes), reflection = coalesce($8, reflection),
              evidence_url = CASE WHEN $9::boolean THEN $10 ELSE evidence_url END, updated_at = now()
        WHERE id = $1 AND user_id = $2 RETURNING id`,
      [
        id,
        userId,
        a.kind,
        a.activity,
        a.date,
        a.hours,
        r.learningOutcomes ?? null,
        r.reflection ?? null,
        r.evidenceUrl !== undefined,
        r.evidenceUrl ?? null,
      ],
    );
    return updated.length > 0;
  }

  async deleteActivity(userId: string, id: string): Promise<boolean> {
    const removed = await this.sql.rows('DELETE FROM cpd_activities WHERE id = $1 AND user_id = $2 RETURNING id', [
      id,
      userId,
    ]);
    return removed.length > 0;
  }

  /** Writes the member's reflection on an event they attended; false when they have no such attendance. */
  async reflectOnEvent(userId: string, eventId: string, r: CpdReflectionInput, at: Date): Promise<boolean> {
    const updated = await this.sql.rows(
      `UPDATE event_attendance
          SET learning_outcomes = coalesce($3, learning_outcomes), reflection = coalesce($4, reflection),
              evidence_url = CASE WHEN $5::boolean THEN $6 ELSE evidence_url END, reflected_at = $7
        WHERE event_id = $1 AND user_id = $2 RETURNING event_id`,
      [
        eventId,
        userId,
        r.learningOutcomes ?? null,
        r.reflection ?? null,
        r.evidenceUrl !== undefined,
        r.evidenceUrl ?? null,
        at,
      ],
    );
    return updated.length > 0;
  }

  /** A person's own CPD activities, for their personal data export. */
  activitiesOf(userId: string): Promise<Record<string, unknown>[]> {
    return this.sql.rows(
      `SELECT kind, activity, to_char(occurred_on, 'YYYY-MM-DD') AS date, hours::float AS hours,
                      learning_outcomes AS "learningOutcomes", reflection, evidence_url AS "evidenceUrl"
                 FROM cpd_activities WHERE user_id = $1 ORDER BY occurred_on`,
      [userId],
    );
  }

  async deleteActivitiesOf(userId: string): Promise<void> {
    await this.sql.exec('DELETE FROM cpd_activities WHERE user_id = $1', [userId]);
  }
}
