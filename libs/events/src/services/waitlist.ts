import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, AppConfig, Sql } from '@cophub/core';
import { EMPTY_NOTIFY_RESULT, NotificationService, NotifyResult } from '@cophub/notifications';
import { EntityManager } from 'typeorm';
import { CommunityEvent } from '../db/event.entity';
import { EventsRepository } from '../db/events.repository';
import { RsvpsRepository } from '../db/rsvps.repository';
import { promotedNotices } from './event-mail';

export interface PromotionResult {
  promoted: string[];
  /** Notifications (and their emails) written in the transaction; dispatch after commit. */
  notices: NotifyResult;
}

export const NO_PROMOTION: PromotionResult = { promoted: [], notices: EMPTY_NOTIFY_RESULT };

/** Fills free places from the head of the waitlist. */
@Injectable()
export class Waitlist {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly events: EventsRepository,
    private readonly rsvps: RsvpsRepository,
    private readonly notifications: NotificationService,
  ) {}

  /**
   * Fills free places from the head of the waitlist, in position order. Call in `tx` (whose manager is
   * `manager`) with the event row locked (its counters are read and written here); tells each promoted
   * member "you have a place".
   */
  async promote(tx: Sql, manager: EntityManager, event: CommunityEvent): Promise<PromotionResult> {
    const free = event.capacity === null ? event.waitlistCount : event.capacity - event.goingCount;
    if (free <= 0 || event.waitlistCount === 0) return NO_PROMOTION;
    const promoted = await this.rsvps.promote(tx, event.id, free);
    if (!promoted.length) return NO_PROMOTION;
    await this.events.countPromoted(tx, event.id, promoted.length);
    event.goingCount += promoted.length;
    event.waitlistCount -= promoted.length;
    return {
      promoted: promoted.map((p) => p.user_id),
      notices: await this.notifications.notify(manager, promotedNotices(event, promoted, this.config.publicUrl)),
    };
  }
}
