import { ukTimeRange } from '@cophub/core';
import type { CommunityEvent } from '../db/event.entity';
import { EVENT_TIME_ZONE } from '../domain/enums';
import { londonIso } from '../domain/reminder-time';
import type { MyRsvp } from '../services/rsvp.service';
import { EventView } from './event.dto';

export interface ViewerStanding {
  canManage: boolean;
  myRsvp?: MyRsvp | null;
}

/** The join link and check-in code are the two secrets of an event: only for those going and co-chairs. */
export function toEventView(event: CommunityEvent, viewer: ViewerStanding): EventView {
  const going = viewer.myRsvp?.status === 'going';
  return {
    id: event.id,
    communityId: event.communityId,
    title: event.title,
    description: event.description,
    descriptionHtml: event.descriptionHtml,
    startsAt: event.startsAt.toISOString(),
    endsAt: event.endsAt.toISOString(),
    startsAtLocal: londonIso(event.startsAt),
    endsAtLocal: londonIso(event.endsAt),
    timeZone: EVENT_TIME_ZONE,
    whenText: ukTimeRange(event.startsAt, event.endsAt),
    locationKind: event.locationKind,
    joinUrl: viewer.canManage || going ? event.joinUrl : null,
    venue: event.venue,
    capacity: event.capacity,
    rsvpDeadline: event.rsvpDeadline?.toISOString() ?? null,
    visibility: event.visibility,
    audienceProfessions: event.audienceProfessions,
    audienceStages: event.audienceStages,
    cpdHours: event.cpdHours,
    reminderOffsets: event.reminderOffsets,
    status: event.status,
    sequence: event.sequence,
    goingCount: event.goingCount,
    waitlistCount: event.waitlistCount,
    ...(viewer.canManage ? { checkInCode: event.checkInCode } : {}),
    ...(viewer.myRsvp !== undefined ? { myRsvp: viewer.myRsvp ?? undefined } : {}),
    updatedAt: event.updatedAt.toISOString(),
  };
}

export function parseInstant(value: string | null | undefined): Date | null | undefined {
  if (value === undefined) return undefined;
  if (value === null) return null;
  return new Date(value);
}
