import { Injectable } from '@nestjs/common';
import { Clock } from '@cophub/core';
import { DateTime } from 'luxon';
import { CpdRepository, CpdRow } from '../db/cpd.repository';
import { CPD_LIMITS, CpdActivityInput, CpdEntry, CpdReflectionInput } from '../domain/cpd-entry';
import { CpdActivityKind, EVENT_TIME_ZONE } from '../domain/enums';
import { EventsError, EventsErrorCode } from '../errors/events.error';

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

/**
 * A member's CPD record: the CoP events they attended (from the snapshot taken then) and what they
 * added themselves, each with their reflection. Every query is keyed by the member's own id, so no
 * one else's entry can be read or changed through it: an id that is not theirs is simply not found.
 */
@Injectable()
export class CpdService {
  constructor(
    private readonly cpd: CpdRepository,
    private readonly clock: Clock,
  ) {}

  /** Newest first. */
  async record(userId: string): Promise<CpdEntry[]> {
    return (await this.cpd.record(userId)).map(entryOf);
  }

  async activity(userId: string, id: string): Promise<CpdEntry> {
    const row = await this.cpd.entry(userId, 'own', id);
    if (!row) throw new EventsError(EventsErrorCode.CpdEntryNotFound, 'No such entry on your CPD record');
    return entryOf(row);
  }

  async addActivity(userId: string, input: CpdActivityInput): Promise<CpdEntry> {
    const checked = this.checkActivity(input);
    const reflection = this.checkReflection(input);
    return this.activity(userId, await this.cpd.insertActivity(userId, checked, reflection));
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
    if (!(await this.cpd.updateActivity(userId, id, checked, reflection))) {
      throw new EventsError(EventsErrorCode.CpdEntryNotFound, 'No such entry on your CPD record');
    }
    return this.activity(userId, id);
  }

  async removeActivity(userId: string, id: string): Promise<void> {
    if (!(await this.cpd.deleteActivity(userId, id))) {
      throw new EventsError(EventsErrorCode.CpdEntryNotFound, 'No such entry on your CPD record');
    }
  }

  /** The member's reflection on a CoP event they attended (only their own attendance row). */
  async reflectOnEvent(userId: string, eventId: string, input: CpdReflectionInput): Promise<CpdEntry> {
    const reflection = this.checkReflection(input);
    if (!(await this.cpd.reflectOnEvent(userId, eventId, reflection, this.clock.now()))) {
      throw new EventsError(EventsErrorCode.CpdEntryNotFound, 'That event is not on your CPD record');
    }
    return entryOf((await this.cpd.entry(userId, 'event', eventId))!);
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
