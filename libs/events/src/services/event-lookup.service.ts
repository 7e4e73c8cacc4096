import { Injectable } from '@nestjs/common';
import { Queryable, Sql } from '@cophub/core';
import { EventsRepository } from '../db/events.repository';

/** What other modules may ask about an event without the events module's rules and registrations. */
@Injectable()
export class EventLookup {
  constructor(private readonly events: EventsRepository) {}

  /** Whether the event is one of the community's own, read in the caller's transaction `db`. */
  inCommunity(db: Queryable, eventId: string, communityId: string): Promise<boolean> {
    return this.events.existsInCommunity(Sql.over(db), eventId, communityId);
  }
}
