import { randomBytes } from 'node:crypto';
import { renderMarkdown, Sql } from '@cophub/core';
import { reminderDueAt } from '@cophub/events';
import {
  eventCount,
  insertAttendance,
  insertEvent,
  insertGoing,
  insertPastEvent,
  insertReminderSlot,
} from './db/events.sql';

interface SeedEvent {
  title: string;
  description: string;
  daysFromNow: number;
  /** UK wall-clock start hour (the seed keeps it simple: whole hours). */
  hours: number;
  locationKind: 'online' | 'in_person';
  venue?: string;
  capacity?: number;
  visibility: 'members' | 'public';
  cpdHours: number;
  audienceStages?: string[];
}

const EVENTS: SeedEvent[] = [
  {
    title: 'CoP quarterly meeting: career progression for PWPs and MHWPs',
    description:
      'Our quarterly meeting. Agenda:\n\n1. Workforce Council update from the co-chairs\n2. Career progression: what members told us\n3. Role clarity across services\n\nSlides and summary notes go in the resource library afterwards.',
    daysFromNow: -21,
    hours: 2,
    locationKind: 'online',
    capacity: 60,
    visibility: 'members',
    cpdHours: 2,
  },
  {
    title: 'Kickstarter session for trainee practitioners',
    description: 'An informal welcome for trainees: how the CoP works, peer support, and supervision tips.',
    daysFromNow: 9,
    hours: 1.5,
    locationKind: 'online',
    capacity: 30,
    visibility: 'members',
    cpdHours: 1.5,
    audienceStages: ['trainee'],
  },
  {
    title: 'North West practitioner networking day',
    description: 'A day of workshops and networking across PWPs, CYWPs, EMHPs and MHWPs. Lunch provided.',
    daysFromNow: 30,
    hours: 6,
    locationKind: 'in_person',
    venue: 'Manchester Central Library, St Peter’s Square, Manchester M2 5PD',
    capacity: 120,
    visibility: 'public',
    cpdHours: 5,
  },
  {
    title: 'CoP quarterly meeting: outcomes data for newer roles',
    description: 'How services measure outcomes for MHWPs and EMHPs, and what the Workforce Council needs from us.',
    daysFromNow: 70,
    hours: 2,
    locationKind: 'online',
    capacity: 60,
    visibility: 'members',
    cpdHours: 2,
  },
];

/** A few events around today (one past, with attendance), only when the community has none yet. */
export async function seedEvents(db: Sql, communityId: string, userIds: string[], coChairId: string) {
  if ((await eventCount(db, communityId)) > 0) return 0;
  const today = new Date();
  today.setUTCHours(9, 30, 0, 0);
  for (const [index, spec] of EVENTS.entries()) {
    const startsAt = new Date(today.getTime() + spec.daysFromNow * 86_400_000);
    const endsAt = new Date(startsAt.getTime() + spec.hours * 3_600_000);
    const going = userIds.slice(0, Math.min(userIds.length, 6 + index * 2));
    const event = await insertEvent(db, {
      communityId,
      title: spec.title,
      description: spec.description,
      descriptionHtml: renderMarkdown(spec.description),
      startsAt,
      endsAt,
      locationKind: spec.locationKind,
      joinUrl: spec.locationKind === 'online' ? 'https://meet.example.nhs.uk/north-west-cop' : null,
      venue: spec.venue ?? null,
      capacity: spec.capacity ?? null,
      visibility: spec.visibility,
      audienceStages: spec.audienceStages ?? [],
      cpdHours: spec.cpdHours,
      checkInCode: randomBytes(3).toString('hex').toUpperCase(),
      createdBy: coChairId,
      goingCount: going.length,
    });
    await insertGoing(db, event.id, communityId, going);
    if (spec.daysFromNow < 0) {
      await insertAttendance(db, event.id, going.slice(0, 4), coChairId);
      continue;
    }
    // The worker's reconciler turns these planned reminders into delayed jobs when it starts.
    for (const offset of event.reminder_offsets) {
      await insertReminderSlot(db, {
        eventId: event.id,
        communityId,
        offsetMinutes: offset,
        dueAt: reminderDueAt(startsAt, offset),
      });
    }
  }
  return EVENTS.length;
}

/** The CoP's history: dated events in 2024 and 2025, so the year views of past years are not empty. */
const PAST_EVENTS: Array<{ title: string; startsAt: string; hours: number; description: string; cpdHours: number }> = [
  {
    title: 'CoP launch and kickstarter event',
    startsAt: '2024-03-14T10:00:00Z',
    hours: 3,
    description: 'The launch of the North West CoP: aims, terms of reference and how members shape it.',
    cpdHours: 3,
  },
  {
    title: 'CoP quarterly meeting: supervision for newer roles',
    startsAt: '2024-06-20T13:00:00Z',
    hours: 2,
    description: 'Supervision models for PWPs, CYWPs, EMHPs and MHWPs, and what good looks like.',
    cpdHours: 2,
  },
  {
    title: 'CoP quarterly meeting: role clarity',
    startsAt: '2024-10-10T13:00:00Z',
    hours: 2,
    description: 'Role clarity across services, with examples from members.',
    cpdHours: 2,
  },
  {
    title: 'Kickstarter event 2025: welcome to new trainees',
    startsAt: '2025-02-12T10:00:00Z',
    hours: 2,
    description: 'Peer support, supervision tips and how to get involved in the CoP.',
    cpdHours: 2,
  },
  {
    title: 'CoP quarterly meeting: outcomes and evaluation',
    startsAt: '2025-05-15T13:00:00Z',
    hours: 2,
    description: 'How services measure outcomes for the newer roles.',
    cpdHours: 2,
  },
  {
    title: 'Regional practitioner conference 2025',
    startsAt: '2025-09-25T09:00:00Z',
    hours: 6,
    description: 'Workshops and networking across the region.',
    cpdHours: 5,
  },
];

/** Past years' events, added once each (matched by title and start), also to an already seeded database. */
export async function seedPastEvents(db: Sql, communityId: string, coChairId: string): Promise<number> {
  let added = 0;
  for (const spec of PAST_EVENTS) {
    const startsAt = new Date(spec.startsAt);
    const endsAt = new Date(startsAt.getTime() + spec.hours * 3_600_000);
    const inserted = await insertPastEvent(db, {
      communityId,
      title: spec.title,
      description: spec.description,
      descriptionHtml: renderMarkdown(spec.description),
      startsAt,
      endsAt,
      cpdHours: spec.cpdHours,
      checkInCode: randomBytes(3).toString('hex').toUpperCase(),
      createdBy: coChairId,
    });
    if (inserted) added += 1;
  }
  return added;
}
