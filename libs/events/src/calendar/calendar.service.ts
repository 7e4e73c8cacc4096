import { createHash, randomBytes } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { APP_CONFIG, AppConfig, Clock, markdownToLines, ukTimeRange } from '@cophub/core';
import { DataSource } from 'typeorm';
import { CalendarFeedToken } from '../entities/event-attendance.entity';
import { CommunityEvent } from '../entities/event.entity';
import { EventStatus, EventVisibility } from '../entities/enums';
import { EventsError, EventsErrorCode } from '../errors/events.error';
import { eventLocationText, eventUrl } from '../domain/event-links';
import { buildIcs, IcsEvent } from './ics';

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

function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

@Injectable()
export class CalendarService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
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
    const events = await this.dataSource
      .getRepository(CommunityEvent)
      .createQueryBuilder('e')
      .where('e.community_id = :communityId AND e.visibility = :public', {
        communityId,
        public: EventVisibility.Public,
      })
      .andWhere('e.ends_at > :since', { since: new Date(this.clock.now().getTime() - FEED_HISTORY_MS) })
      .orderBy('e.starts_at')
      .limit(1000)
      .getMany();
    return buildIcs({
      name: `${communityName} events`,
      events: events.map((e) => this.toIcsEvent(e, false)),
      now: this.clock.now(),
    });
  }

  /** Creates (or replaces, revoking the old URL) the member's private feed; the secret is shown once. */
  async rotateFeed(userId: string): Promise<string> {
    const token = randomBytes(24).toString('base64url');
    await this.dataSource.query(
      `INSERT INTO calendar_feed_tokens (user_id, token_hash) VALUES ($1, $2)
       ON CONFLICT (user_id) DO UPDATE SET token_hash = EXCLUDED.token_hash, created_at = now()`,
      [userId, hashToken(token)],
    );
    return this.feedUrl(token);
  }

  feedUrl(token: string): string {
    return `${this.config.publicUrl}/api/v1/calendar/feeds/${token}.ics`;
  }

  async revokeFeed(userId: string): Promise<void> {
    await this.dataSource.getRepository(CalendarFeedToken).delete({ userId });
  }

  /** The events the feed's owner is going to (or waitlisted for), in the communities they still belong to. */
  async privateFeed(token: string): Promise<string> {
    const owner = await this.dataSource
      .getRepository(CalendarFeedToken)
      .findOne({ where: { tokenHash: hashToken(token) } });
    if (!owner) throw new EventsError(EventsErrorCode.FeedNotFound, 'This calendar feed does not exist or was revoked');
    const events = await this.dataSource
      .getRepository(CommunityEvent)
      .createQueryBuilder('e')
      .innerJoin(
        'event_rsvps',
        'r',
        "r.event_id = e.id AND r.user_id = :userId AND r.status IN ('going', 'waitlisted')",
        {
          userId: owner.userId,
        },
      )
      .innerJoin(
        'memberships',
        'm',
        "m.community_id = e.community_id AND m.user_id = :userId AND m.status = 'approved'",
      )
      .addSelect('r.status', 'rsvp_status')
      .andWhere('e.ends_at > :since', { since: new Date(this.clock.now().getTime() - FEED_HISTORY_MS) })
      .orderBy('e.starts_at')
      .limit(1000)
      .getRawAndEntities();
    return buildIcs({
      name: 'My CoP Hub events',
      events: events.entities.map((e, i) => this.toIcsEvent(e, events.raw[i]?.rsvp_status === 'going')),
      now: this.clock.now(),
    });
  }
}
