import { Injectable } from '@nestjs/common';
import { Page } from '@cophub/core';
import type { AuthUser } from '@cophub/identity';
import { CommunityEvent } from '../db/event.entity';
import { EventPolicy } from '../policies/event.policy';
import { CalendarService, icsFileName } from './calendar.service';
import { EventsService } from './events.service';
import { MyRsvp, RsvpService } from './rsvp.service';

/** What one caller may read of events: each read checks who may read first. */
@Injectable()
export class EventReadingService {
  constructor(
    private readonly policy: EventPolicy,
    private readonly events: EventsService,
    private readonly rsvps: RsvpService,
    private readonly calendars: CalendarService,
  ) {}

  /** One event for the caller: members of its community (with their RSVP), anyone for a public event. */
  async read(
    user: AuthUser | null,
    eventId: string,
  ): Promise<{ event: CommunityEvent; canManage: boolean; myRsvp: MyRsvp | undefined }> {
    const access = await this.policy.view(user, eventId);
    const myRsvp = access.context && user ? await this.rsvps.mine(user.id, eventId) : undefined;
    return { event: access.event, canManage: access.canManage, myRsvp };
  }

  /** The event as an .ics file; with the join link only for someone going (or a co-chair). */
  async calendarFile(user: AuthUser | null, eventId: string): Promise<{ fileName: string; file: string }> {
    const access = await this.policy.view(user, eventId);
    const going = access.context && user ? (await this.rsvps.mine(user.id, eventId)).status === 'going' : false;
    return {
      fileName: icsFileName(access.event.title),
      file: this.calendars.eventFile(access.event, going || access.canManage),
    };
  }

  /** A community's public events, for anyone. */
  async publicList(
    slug: string,
    options: { from?: Date; to?: Date },
    limit: number,
    cursor?: string,
  ): Promise<Page<CommunityEvent>> {
    const community = await this.policy.communityBySlug(slug);
    return this.events.list(community.id, { ...options, publicOnly: true }, limit, cursor);
  }

  /** A community's public calendar for a year or one month, for anyone. */
  async publicCalendar(
    slug: string,
    year: number,
    month: number | null,
  ): Promise<Array<{ month: number; events: CommunityEvent[] }>> {
    const community = await this.policy.communityBySlug(slug);
    return this.events.calendar(community.id, year, month, true);
  }

  /** A community's public events as a feed to subscribe to. */
  async publicFeed(slug: string): Promise<string> {
    const community = await this.policy.communityBySlug(slug);
    return this.calendars.publicFeed(community.id, community.name);
  }
}
