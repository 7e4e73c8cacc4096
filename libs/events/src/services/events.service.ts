import { randomInt } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { DateTime } from 'luxon';
import { AuditService } from '@cophub/audit';
import { APP_CONFIG, AppConfig, Clock, decodeCursor, Page, renderMarkdown, Sql, SqlPort, toPage } from '@cophub/core';
import type { AuthUser, CommunityContext } from '@cophub/identity';
import { EMPTY_NOTIFY_RESULT, NotificationService, NotifyResult } from '@cophub/notifications';
import { RealtimePublisher } from '@cophub/realtime';
import { CommunityEvent } from '../db/event.entity';
import { EventsRepository } from '../db/events.repository';
import { RsvpsRepository } from '../db/rsvps.repository';
import {
  DEFAULT_REMINDER_OFFSETS,
  EVENT_TIME_ZONE,
  EventLocationKind,
  EventStatus,
  EventVisibility,
} from '../domain/enums';
import { EventsError, EventsErrorCode } from '../errors/events.error';
import { EventPolicy } from '../policies/event.policy';
import { cancelledNotices, changedNotices, eventChanges } from './event-mail';
import { NO_PLAN_CHANGE, ReminderPlanChange, ReminderPlanner } from './reminder-planner.service';
import { NO_PROMOTION, PromotionResult, Waitlist } from './waitlist';

export interface EventInput {
  title: string;
  description: string;
  startsAt: Date;
  endsAt: Date;
  locationKind: EventLocationKind;
  joinUrl: string | null;
  venue: string | null;
  capacity: number | null;
  rsvpDeadline: Date | null;
  visibility: EventVisibility;
  audienceProfessions: string[];
  audienceStages: string[];
  cpdHours: number;
  reminderOffsets: number[];
}

export type EventPatch = Partial<EventInput>;

/** Unambiguous characters only: codes are read off a slide and typed on a phone. */
const CODE_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';

function newCheckInCode(): string {
  return Array.from({ length: 6 }, () => CODE_ALPHABET[randomInt(CODE_ALPHABET.length)]).join('');
}

function sameInstant(a: Date | null, b: Date | null): boolean {
  return (a?.getTime() ?? null) === (b?.getTime() ?? null);
}

@Injectable()
export class EventsService {
  constructor(
    private readonly sql: SqlPort,
    private readonly repo: EventsRepository,
    private readonly rsvps: RsvpsRepository,
    private readonly policy: EventPolicy,
    private readonly waitlist: Waitlist,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly clock: Clock,
    private readonly planner: ReminderPlanner,
    private readonly notifications: NotificationService,
    private readonly audit: AuditService,
    private readonly realtime: RealtimePublisher,
  ) {}

  private validate(
    event: Pick<EventInput, 'startsAt' | 'endsAt' | 'rsvpDeadline' | 'locationKind' | 'venue' | 'joinUrl'>,
  ) {
    if (event.endsAt.getTime() <= event.startsAt.getTime()) {
      throw new EventsError(EventsErrorCode.InvalidTimes, 'The end must be after the start');
    }
    if (event.endsAt.getTime() - event.startsAt.getTime() > 14 * 86_400_000) {
      throw new EventsError(EventsErrorCode.InvalidTimes, 'An event can last at most 14 days');
    }
    if (event.rsvpDeadline && event.rsvpDeadline.getTime() > event.startsAt.getTime()) {
      throw new EventsError(EventsErrorCode.InvalidTimes, 'The RSVP deadline must be no later than the start');
    }
    if (event.locationKind === EventLocationKind.InPerson && !event.venue?.trim()) {
      throw new EventsError(EventsErrorCode.InvalidLocation, 'An in-person event needs a venue');
    }
  }

  async create(community: CommunityContext, input: EventInput): Promise<CommunityEvent> {
    this.validate(input);
    const now = this.clock.now();
    const { event, plan } = await this.sql.transaction(async (tx, manager) => {
      const created = await this.repo.insert(tx, {
        ...input,
        reminderOffsets: normaliseOffsets(input.reminderOffsets ?? DEFAULT_REMINDER_OFFSETS),
        communityId: community.community.id,
        descriptionHtml: renderMarkdown(input.description),
        checkInCode: newCheckInCode(),
        createdBy: community.userId,
      });
      const plan = await this.planner.replan(tx, created, now);
      await this.audit.record(manager, {
        communityId: community.community.id,
        actorId: community.userId,
        action: 'event.created',
        targetType: 'event',
        targetId: created.id,
        data: { title: created.title, startsAt: created.startsAt.toISOString() },
      });
      return { event: created, plan };
    });
    await this.planner.apply(plan, now);
    this.realtime.publish('community', event.communityId, 'event.created', { id: event.id });
    return event;
  }

  /**
   * Applies a co-chair's edit under the event's row lock. A new start or new reminder offsets bump the
   * schedule version and re-plan reminders; a change of time or place (old → new) is notified to everyone
   * going or waitlisted; a higher capacity promotes from the waitlist; a capacity below those going is
   * refused. Only the event's co-chairs (and admins) may.
   */
  async update(user: AuthUser, eventId: string, patch: EventPatch): Promise<CommunityEvent> {
    await this.policy.manage(user, eventId);
    const actorId = user.id;
    const now = this.clock.now();
    let plan: ReminderPlanChange = NO_PLAN_CHANGE;
    let notices: NotifyResult = EMPTY_NOTIFY_RESULT;
    let promotion: PromotionResult = NO_PROMOTION;
    const event = await this.sql.transaction(async (tx, manager) => {
      const event = await lockEvent(this.repo, tx, eventId);
      if (event.status === EventStatus.Cancelled) {
        throw new EventsError(EventsErrorCode.Cancelled, 'A cancelled event cannot be changed');
      }
      const before = { ...event };
      const next = { ...event, ...definedOnly(patch) } as CommunityEvent;
      if (patch.reminderOffsets) next.reminderOffsets = normaliseOffsets(patch.reminderOffsets);
      if (patch.locationKind === EventLocationKind.Online && patch.venue === undefined) next.venue = null;
      this.validate(next);
      if (next.capacity !== null && next.capacity < event.goingCount) {
        throw new EventsError(
          EventsErrorCode.CapacityBelowAttendees,
          `Capacity cannot be below the ${event.goingCount} people already going`,
        );
      }
      const offsetsChanged = before.reminderOffsets.join(',') !== next.reminderOffsets.join(',');
      if (patch.description !== undefined) next.descriptionHtml = renderMarkdown(next.description);
      next.sequence = before.sequence + 1;
      if (!sameInstant(before.startsAt, next.startsAt) || offsetsChanged) next.scheduleVersion += 1;
      const saved = await this.repo.save(tx, next);
      if (saved.scheduleVersion !== before.scheduleVersion) plan = await this.planner.replan(tx, saved, now);
      const changes = eventChanges(before, saved);
      if (changes.length) {
        const recipients = await this.rsvps.recipients(tx, saved.communityId, saved.id);
        notices = await this.notifications.notify(
          manager,
          changedNotices(saved, recipients, changes, this.config.publicUrl),
        );
      }
      promotion = await this.waitlist.promote(tx, manager, saved);
      await this.audit.record(manager, {
        communityId: saved.communityId,
        actorId,
        action: 'event.updated',
        targetType: 'event',
        targetId: saved.id,
        data: { fields: Object.keys(definedOnly(patch)), sequence: saved.sequence },
      });
      return this.repo.reload(tx, saved.id);
    });
    await this.planner.apply(plan, now);
    await this.notifications.dispatch(notices);
    await this.notifications.dispatch(promotion.notices);
    this.realtime.publish('event', event.id, 'event.updated', { id: event.id, sequence: event.sequence });
    return event;
  }

  /**
   * Cancels: reminders stop, everyone going or waitlisted is told once (with the co-chair's message,
   * if any, and a link to the calendar). Cancelling twice is a no-op. Only the event's co-chairs (and admins) may.
   */
  async cancel(user: AuthUser, eventId: string, message: string | null = null): Promise<CommunityEvent> {
    await this.policy.manage(user, eventId);
    const actorId = user.id;
    const now = this.clock.now();
    let plan: ReminderPlanChange = NO_PLAN_CHANGE;
    let notices: NotifyResult = EMPTY_NOTIFY_RESULT;
    const event = await this.sql.transaction(async (tx, manager) => {
      const event = await lockEvent(this.repo, tx, eventId);
      if (event.status === EventStatus.Cancelled) return event;
      event.status = EventStatus.Cancelled;
      event.cancelledAt = now;
      event.sequence += 1;
      event.scheduleVersion += 1;
      const saved = await this.repo.save(tx, event);
      plan = await this.planner.replan(tx, saved, now);
      const recipients = await this.rsvps.recipients(tx, saved.communityId, saved.id);
      const community = await this.repo.community(tx, saved.communityId);
      notices = await this.notifications.notify(
        manager,
        cancelledNotices(saved, recipients, community, message?.trim() || null, this.config.publicUrl),
      );
      await this.audit.record(manager, {
        communityId: saved.communityId,
        actorId,
        action: 'event.cancelled',
        targetType: 'event',
        targetId: saved.id,
        data: { notified: recipients.length, ...(message?.trim() ? { message: message.trim() } : {}) },
      });
      return saved;
    });
    await this.planner.apply(plan, now);
    await this.notifications.dispatch(notices);
    this.realtime.publish('event', event.id, 'event.updated', { id: event.id, sequence: event.sequence });
    return event;
  }

  /** A community's events in start order, from `from` (default: now) onwards, keyset-paginated. */
  async list(
    communityId: string,
    options: { from?: Date; to?: Date; publicOnly?: boolean; includeCancelled?: boolean },
    limit: number,
    cursor?: string,
  ): Promise<Page<CommunityEvent>> {
    let after: { startsAt: string; id: string } | null = null;
    if (cursor) {
      const [startsAt, id] = decodeCursor(cursor, ['date', 'uuid']);
      after = { startsAt: String(startsAt), id: String(id) };
    }
    const rows = await this.repo.list(
      communityId,
      { ...options, from: options.from ?? this.clock.now(), after },
      limit + 1,
    );
    return toPage(rows, limit, (e) => [e.startsAt.toISOString(), e.id]);
  }

  /**
   * The calendar for a year (or one month of it), grouped by Europe/London month, cancelled events
   * included so people can see what was called off.
   */
  async calendar(
    communityId: string,
    year: number,
    month: number | null,
    publicOnly: boolean,
  ): Promise<Array<{ month: number; events: CommunityEvent[] }>> {
    const start = DateTime.fromObject({ year, month: month ?? 1, day: 1 }, { zone: EVENT_TIME_ZONE });
    const end = month ? start.plus({ months: 1 }) : start.plus({ years: 1 });
    const events = await this.repo.startingBetween(communityId, start.toJSDate(), end.toJSDate(), publicOnly);
    const months = new Map<number, CommunityEvent[]>();
    for (let m = month ?? 1; m <= (month ?? 12); m += 1) months.set(m, []);
    for (const event of events) {
      months.get(DateTime.fromJSDate(event.startsAt, { zone: EVENT_TIME_ZONE }).month)?.push(event);
    }
    return [...months.entries()].map(([m, list]) => ({ month: m, events: list }));
  }
}

/** The event locked for update in `tx`; a missing event is a 404. */
export async function lockEvent(repo: EventsRepository, tx: Sql, eventId: string): Promise<CommunityEvent> {
  const event = await repo.lock(tx, eventId);
  if (!event) throw new EventsError(EventsErrorCode.NotFound, 'Event not found');
  return event;
}

export function normaliseOffsets(offsets: number[]): number[] {
  return [...new Set(offsets)].sort((a, b) => b - a);
}

function definedOnly<T extends object>(patch: T): Partial<T> {
  return Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined)) as Partial<T>;
}
