import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Clock, queryRows } from '@cophub/core';
import { DateTime } from 'luxon';
import { DataSource } from 'typeorm';
import { AttendanceMethod, CpdActivityKind, EVENT_TIME_ZONE } from '../domain/enums';
import { EventsError, EventsErrorCode } from '../errors/events.error';

/** Where an entry of the CPD record came from: a CoP event attended, or the member's own entry. */
export type CpdSource = 'event' | 'own';

/** One line of a member's CPD record, in the shape HCPC and BABCP audits ask for. */
export interface CpdEntry {
  /** The event's id for an attended event, the entry's own id otherwise. */
  id: string;
  source: CpdSource;
  /** `event` for a CoP event, otherwise what the member said it was. */
  kind: 'event' | CpdActivityKind;
  eventId: string | null;
  communityName: string | null;
  title: string;
  /** The UK calendar day (YYYY-MM-DD). */
  date: string;
  startsAt: Date | null;
  endsAt: Date | null;
  cpdHours: number;
  method: AttendanceMethod | null;
  learningOutcomes: string;
  reflection: string;
  evidenceUrl: string | null;
}

export interface CpdReflectionInput {
  learningOutcomes?: string;
  reflection?: string;
  evidenceUrl?: string | null;
}

export interface CpdActivityInput extends CpdReflectionInput {
  kind: CpdActivityKind;
  activity: string;
  date: string;
  hours: number;
}

interface CpdRow {
  id: string;
  source: CpdSource;
  kind: 'event' | CpdActivityKind;
  event_id: string | null;
  community_name: string | null;
  title: string;
  day: string;
  starts_at: Date | null;
  ends_at: Date | null;
  hours: string;
  method: AttendanceMethod | null;
  learning_outcomes: string;
  reflection: string;
  evidence_url: string | null;
}

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

function entryOf(r: CpdRow): CpdEntry {
  return {
    id: r.id,
    source: r.source,
    kind: r.kind,
    eventId: r.event_id,
    communityName: r.community_name,
    title: r.title,
    date: r.day,
    startsAt: r.starts_at ? new Date(r.starts_at) : null,
    endsAt: r.ends_at ? new Date(r.ends_at) : null,
    cpdHours: Number(r.hours),
    method: r.method,
    learningOutcomes: r.learning_outcomes,
    reflection: r.reflection,
    evidenceUrl: r.evidence_url,
  };
}

/** Longest texts a reflection may hold: generous for an audit write-up, bounded for the CSV and the page. */
export const CPD_LIMITS = { activity: 200, learningOutcomes: 5_000, reflection: 10_000, evidenceUrl: 2_000 };

/**
 * A member's CPD record: the CoP events they attended (from the snapshot taken then) and what they
 * added themselves, each with their reflection. Every query is keyed by the member's own id, so no
 * one else's entry can be read or changed through it: an id that is not theirs is simply not found.
 */
@Injectable()
export class CpdService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly clock: Clock,
  ) {}

  /** Newest first. */
  async record(userId: string): Promise<CpdEntry[]> {
    const rows = (await this.dataSource.query(`${RECORD_SQL} ORDER BY r.day DESC, r.starts_at DESC NULLS LAST, r.id`, [
      userId,
    ])) as CpdRow[];
    return rows.map(entryOf);
  }

  async activity(userId: string, id: string): Promise<CpdEntry> {
    const [row] = (await this.dataSource.query(`${RECORD_SQL} WHERE r.source = 'own' AND r.id = $2`, [
      userId,
      id,
    ])) as CpdRow[];
    if (!row) throw new EventsError(EventsErrorCode.CpdEntryNotFound, 'No such entry on your CPD record');
    return entryOf(row);
  }

  async addActivity(userId: string, input: CpdActivityInput): Promise<CpdEntry> {
    const checked = this.checkActivity(input);
    const reflection = this.checkReflection(input);
    const [row] = await queryRows<{ id: string }>(
      this.dataSource,
      `INSERT INTO cpd_activities (user_id, kind, activity, occurred_on, hours, learning_outcomes, reflection, evidence_url)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`,
      [
        userId,
        checked.kind,
        checked.activity,
        checked.date,
        checked.hours,
        reflection.learningOutcomes ?? '',
        reflection.reflection ?? '',
        reflection.evidenceUrl ?? null,
      ],
    );
    return this.activity(userId, row.id);
  }

  async updateActivity(userId: string, id: string, input: Partial<CpdActivityInput>): Promise<CpdEntry> {
    const current = await this.activity(userId, id);
    const checked = this.checkActivity({
      kind: input.kind ?? (current.kind as CpdActivityKind),
      activity: input.activity ?? current.title,
      date: input.date ?? current.date,
      hours: input.hours ?? current.cpdHours,
    });
    const reflection = this.checkReflection(input);
    const updated = await queryRows(
      this.dataSource,
      `UPDATE cpd_activities
          SET kind = $3, activity = $4, occurred_on = $5, hours = $6,
              learning_outcomes = coalesce($7, learning_outcomes), reflection = coalesce($8, reflection),
              evidence_url = CASE WHEN $9::boolean THEN $10 ELSE evidence_url END, updated_at = now()
        WHERE id = $1 AND user_id = $2 RETURNING id`,
      [
        id,
        userId,
        checked.kind,
        checked.activity,
        checked.date,
        checked.hours,
        reflection.learningOutcomes ?? null,
        reflection.reflection ?? null,
        reflection.evidenceUrl !== undefined,
        reflection.evidenceUrl ?? null,
      ],
    );
    if (!updated.length) throw new EventsError(EventsErrorCode.CpdEntryNotFound, 'No such entry on your CPD record');
    return this.activity(userId, id);
  }

  async removeActivity(userId: string, id: string): Promise<void> {
    const removed = await queryRows(this.dataSource, 'DELETE FROM cpd_activities WHERE id = $1 AND user_id = $2 RETURNING id', [
      id,
      userId,
    ]);
    if (!removed.length) throw new EventsError(EventsErrorCode.CpdEntryNotFound, 'No such entry on your CPD record');
  }

  /** The member's reflection on a CoP event they attended (only their own attendance row). */
  async reflectOnEvent(userId: string, eventId: string, input: CpdReflectionInput): Promise<CpdEntry> {
    const reflection = this.checkReflection(input);
    const updated = await queryRows(
      this.dataSource,
      `UPDATE event_attendance
          SET learning_outcomes = coalesce($3, learning_outcomes), reflection = coalesce($4, reflection),
              evidence_url = CASE WHEN $5::boolean THEN $6 ELSE evidence_url END, reflected_at = $7
        WHERE event_id = $1 AND user_id = $2 RETURNING event_id`,
      [
        eventId,
        userId,
        reflection.learningOutcomes ?? null,
        reflection.reflection ?? null,
        reflection.evidenceUrl !== undefined,
        reflection.evidenceUrl ?? null,
        this.clock.now(),
      ],
    );
    if (!updated.length) {
      throw new EventsError(EventsErrorCode.CpdEntryNotFound, 'That event is not on your CPD record');
    }
    const [row] = (await this.dataSource.query(`${RECORD_SQL} WHERE r.source = 'event' AND r.id = $2`, [
      userId,
      eventId,
    ])) as CpdRow[];
    return entryOf(row);
  }

  private checkActivity(input: CpdActivityInput): CpdActivityInput {
    const activity = input.activity.trim();
    if (!activity) throw new EventsError(EventsErrorCode.InvalidCpdEntry, 'Say what the activity was');
    if (activity.length > CPD_LIMITS.activity) {
      throw new EventsError(EventsErrorCode.InvalidCpdEntry, `The activity can be at most ${CPD_LIMITS.activity} characters`);
    }
    const day = DateTime.fromISO(input.date, { zone: EVENT_TIME_ZONE });
    if (!/^\d{4}-\d{2}-\d{2}$/.test(input.date) || !day.isValid) {
      throw new EventsError(EventsErrorCode.InvalidCpdEntry, 'The date must be a real day, written YYYY-MM-DD');
    }
    const today = DateTime.fromJSDate(this.clock.now(), { zone: EVENT_TIME_ZONE }).startOf('day');
    if (day > today) throw new EventsError(EventsErrorCode.InvalidCpdEntry, 'The date cannot be in the future');
    if (day.year < 1970) throw new EventsError(EventsErrorCode.InvalidCpdEntry, 'The date is too long ago');
    if (!(input.hours > 0 && input.hours <= 100) || Math.round(input.hours * 100) !== input.hours * 100) {
      throw new EventsError(
        EventsErrorCode.InvalidCpdEntry,
        'Hours must be more than 0 and at most 100, with at most two decimal places',
      );
    }
    return { kind: input.kind, activity, date: input.date, hours: input.hours };
  }

  private checkReflection(input: CpdReflectionInput): CpdReflectionInput {
    const learningOutcomes = input.learningOutcomes?.trim();
    const reflection = input.reflection?.trim();
    if (learningOutcomes && learningOutcomes.length > CPD_LIMITS.learningOutcomes) {
      throw new EventsError(
        EventsErrorCode.InvalidCpdEntry,
        `Learning outcomes can be at most ${CPD_LIMITS.learningOutcomes} characters`,
      );
    }
    if (reflection && reflection.length > CPD_LIMITS.reflection) {
      throw new EventsError(EventsErrorCode.InvalidCpdEntry, `A reflection can be at most ${CPD_LIMITS.reflection} characters`);
    }
    let evidenceUrl = input.evidenceUrl;
    if (typeof evidenceUrl === 'string') {
      evidenceUrl = evidenceUrl.trim() || null;
      if (evidenceUrl !== null) {
        let url: URL | null = null;
        try {
          url = new URL(evidenceUrl);
        } catch {
          url = null;
        }
        if (!url || !['http:', 'https:'].includes(url.protocol) || evidenceUrl.length > CPD_LIMITS.evidenceUrl) {
          throw new EventsError(
            EventsErrorCode.InvalidCpdEntry,
            'The evidence link must be a web address starting https:// or http://',
          );
        }
      }
    }
    return { learningOutcomes, reflection, evidenceUrl };
  }
}
