import { randomBytes } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, AppConfig, Clock, hashToken, markdownToLines, ukTimeRange } from '@cophub/core';
import { AttendanceRepository } from '../db/attendance.repository';
import { CommunityEvent } from '../db/event.entity';
import { EventsRepository } from '../db/events.repository';
import { EventStatus } from '../domain/enums';
import { EventsError, EventsErrorCode } from '../errors/events.error';
import { eventLocationText, eventUrl } from '../domain/event-links';
import { buildIcs, IcsEvent } from '../domain/ics';

/** A safe download name for an event's .ics: letters, digits, spaces as dashes. */
export function icsFileName(title: string): string {
  const safe = title
    .replace(/[^A-Za-z0-9 _-]+/g, '')
    .trim()
    .replace(/\s+/g, '-')
    .slice(0, 60);
  return `${safe || 'event'}.ics`;
}

/** Feeds show events from this long ago, so a recently cancelled or past event stays visible. */
const FEED_HISTORY_MS = 30 * 86_400_000;

@Injectable()
export class CalendarService {
  constructor(
    private readonly events: EventsRepository,
    private readonly attendance: AttendanceRepository,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly clock: Clock,
  ) {}

  private toIcsEvent(event: CommunityEvent, withJoinLink: boolean): IcsEvent {
    const url = eventUrl(this.config.publicUrl, event.id);
    const join = withJoinLink && event.joinUrl ? `\n\nJoin online: ${event.joinUrl}` : '';
    // The description starts with the time in UK words (with its zone), as the emails and the app write it.
    const when = `When: ${ukTimeRange(event.startsAt, event.endsAt)}`;
    return {
      uid: `${event.id}@cophub`,
      sequence: event.sequence,
      startsAt: event.startsAt,
      endsAt: event.endsAt,
      summary: event.title,
      description: `${when}\n\n${markdownToLines(event.description)}${join}\n\n${url}`.replace(/\n{3,}/g, '\n\n'),
      location: eventLocationText(event),
      url,
      cancelled: event.status === EventStatus.Cancelled,
      lastModified: event.updatedAt,
      alarms: event.reminderOffsets,
    };
  }

  /** One event as a file to import. The join link is included only for someone going. */
  eventFile(event: CommunityEvent, going: boolean): string {
    const cancelled = event.status === EventStatus.Cancelled;
    return buildIcs({
      name: event.title,
      method: cancelled ? 'CANCEL' : 'PUBLISH',
      events: [this.toIcsEvent(event, going)],
      now: this.clock.now(),
    });
  }

  /** A community's public events, for anyone to subscribe to. */
  async publicFeed(communityId: string, communityName: string): Promise<string> {
    const events = await this.events.publicSince(communityId, new Date(this.clock.now().getTime() - FEED_HISTORY_MS));
    return buildIcs({
      name: `${communityName} events`,
      events: events.map((e) => this.toIcsEvent(e, false)),
      now: this.clock.now(),
    });
  }

  /** Creates (or replaces, revoking the old URL) the member's private feed; the secret is shown once. */
  async rotateFeed(userId: string): Promise<string> {
    const token = randomBytes(24).toString('base64url');
    await this.attendance.setFeedToken(userId, hashToken(token));
    return this.feedUrl(token);
  }

  feedUrl(token: string): string {
    return `${this.config.publicUrl}/api/v1/calendar/feeds/${token}.ics`;
  }

  async revokeFeed(userId: string): Promise<void> {
    await this.attendance.deleteFeedToken(userId);
  }

  /** The events the feed's owner is going to (or waitlisted for), in the communities they still belong to. */
  async privateFeed(token: string): Promise<string> {
    const owner = await this.attendance.feedOwner(hashToken(token));
    if (!owner) throw new EventsError(EventsErrorCode.FeedNotFound, 'This calendar feed does not exist or was revoked');
    const events = await this.events.attendingSince(owner, new Date(this.clock.now().getTime() - FEED_HISTORY_MS));
    return buildIcs({
      name: 'My CoP Hub events',
      events: events.map(({ event, going }) => this.toIcsEvent(event, going)),
      now: this.clock.now(),
    });
  }
}
