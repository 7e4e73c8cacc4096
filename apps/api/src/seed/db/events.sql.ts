import { Sql } from '@cophub/core';

/**
 * The seed's statements on the events module's tables: events around today and in past years, places taken,
 * attendance of a past meeting and planned reminders (the events services would date them now and email).
 */

export async function eventCount(db: Sql, communityId: string): Promise<number> {
  const row = await db.one<{ n: number }>('SELECT count(*)::int AS n FROM events WHERE community_id = $1', [
    communityId,
  ]);
  return row.n;
}

export interface SeedEventRow {
  communityId: string;
  title: string;
  description: string;
  descriptionHtml: string;
  startsAt: Date;
  endsAt: Date;
  locationKind: string;
  joinUrl: string | null;
  venue: string | null;
  capacity: number | null;
  visibility: string;
  audienceStages: string[];
  cpdHours: number;
  checkInCode: string;
  createdBy: string;
  goingCount: number;
}

/** A new event; answers its id and the reminder offsets it got by default. */
export function insertEvent(db: Sql, e: SeedEventRow): Promise<{ id: string; reminder_offsets: number[] }> {
  return db.one<{ id: string; reminder_offsets: number[] }>(
    `INSERT INTO events (community_id, title, description, description_html, starts_at, ends_at, location_kind, join_url,
                         venue, capacity, visibility, audience_stages, cpd_hours, check_in_code, created_by, going_count)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16) RETURNING id, reminder_offsets`,
    [
      e.communityId,
      e.title,
      e.description,
      e.descriptionHtml,
      e.startsAt,
      e.endsAt,
      e.locationKind,
      e.joinUrl,
      e.venue,
      e.capacity,
      e.visibility,
      e.audienceStages,
      e.cpdHours,
      e.checkInCode,
      e.createdBy,
      e.goingCount,
    ],
  );
}

export async function insertGoing(db: Sql, eventId: string, communityId: string, userIds: string[]): Promise<void> {
  await db.exec(
    `INSERT INTO event_rsvps (event_id, community_id, user_id, status) SELECT $1, $2, unnest($3::uuid[]), 'going'`,
    [eventId, communityId, userIds],
  );
}

/** Attendance marked by a co-chair, with the attendee's profile as it is now (identity's published columns). */
export async function insertAttendance(db: Sql, eventId: string, userIds: string[], markedBy: string): Promise<void> {
  await db.exec(
    `INSERT INTO event_attendance (event_id, user_id, community_id, method, title, starts_at, ends_at, cpd_hours, profession, career_stage, marked_by)
     SELECT e.id, u.id, e.community_id, 'marked', e.title, e.starts_at, e.ends_at, e.cpd_hours, u.profession, u.career_stage, $3
       FROM events e JOIN users u ON u.id = ANY($2::uuid[]) WHERE e.id = $1`,
    [eventId, userIds, markedBy],
  );
}

/** A planned reminder; the worker's reconciler turns it into a delayed job when it starts. */
export async function insertReminderSlot(
  db: Sql,
  slot: { eventId: string; communityId: string; offsetMinutes: number; dueAt: Date },
): Promise<void> {
  await db.exec(
    `INSERT INTO event_reminder_slots (event_id, community_id, offset_minutes, schedule_version, due_at)
     VALUES ($1, $2, $3, 1, $4)`,
    [slot.eventId, slot.communityId, slot.offsetMinutes, slot.dueAt],
  );
}

/** A past online members' event, unless one with the same title and start exists; answers whether it was added. */
export async function insertPastEvent(
  db: Sql,
  e: Pick<
    SeedEventRow,
    'communityId' | 'title' | 'description' | 'descriptionHtml' | 'startsAt' | 'endsAt' | 'cpdHours'
  > & {
    checkInCode: string;
    createdBy: string;
  },
): Promise<boolean> {
  const rows = await db.rows(
    `INSERT INTO events (community_id, title, description, description_html, starts_at, ends_at, location_kind, join_url,
                         venue, capacity, visibility, audience_stages, cpd_hours, check_in_code, created_by, going_count)
     SELECT $1, $2, $3, $4, $5, $6, 'online', 'https://meet.example.nhs.uk/north-west-cop', NULL, NULL, 'members', '{}', $7, $8, $9, 0
      WHERE NOT EXISTS (SELECT 1 FROM events WHERE community_id = $1 AND title = $2 AND starts_at = $5)
     RETURNING id`,
    [
      e.communityId,
      e.title,
      e.description,
      e.descriptionHtml,
      e.startsAt,
      e.endsAt,
      e.cpdHours,
      e.checkInCode,
      e.createdBy,
    ],
  );
  return rows.length > 0;
}
