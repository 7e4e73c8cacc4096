import { Injectable } from '@nestjs/common';
import {
  AuthUser,
  Community,
  CommunityAccessService,
  CommunityContext,
  CommunityService,
  CommunityRole,
  hasRole,
  IdentityError,
} from '@cophub/identity';
import { CommonError, CommonErrorCode } from '@cophub/core';
import { CommunityEvent } from '../db/event.entity';
import { EventsRepository } from '../db/events.repository';
import { EventVisibility } from '../domain/enums';
import { EventsError, EventsErrorCode } from '../errors/events.error';

/** What the caller may do with one event. */
export interface EventAccess {
  event: CommunityEvent;
  /** Null for a visitor reading a public event. */
  context: CommunityContext | null;
  canManage: boolean;
}

/**
 * "May this user do this with this event?", in one place. Members-only events are for approved members
 * (others get the community check's 403); public events can be read by anyone. A signed-out visitor is
 * asked to sign in (401) before anything else is decided, so a missing event and a members-only one
 * look the same to them (nothing leaks) and an emailed link leads to sign-in rather than a dead end.
 */
@Injectable()
export class EventPolicy {
  constructor(
    private readonly events: EventsRepository,
    private readonly communities: CommunityService,
    private readonly access: CommunityAccessService,
  ) {}

  async load(eventId: string): Promise<CommunityEvent> {
    const event = await this.events.find(eventId);
    if (!event) throw new EventsError(EventsErrorCode.NotFound, 'Event not found');
    return event;
  }

  /** A community for its public calendar: anyone may look it up by slug. */
  async communityBySlug(slug: string): Promise<Community> {
    return this.communities.findBySlug(slug);
  }

  /** Read access: members always; anyone (signed in or not) for a public event. */
  async view(user: AuthUser | null, eventId: string): Promise<EventAccess> {
    if (!user) {
      const event = await this.events.find(eventId);
      if (event?.visibility === EventVisibility.Public) return { event, context: null, canManage: false };
      throw new CommonError(CommonErrorCode.Unauthenticated, 'Sign in to see this event');
    }
    const event = await this.load(eventId);
    try {
      const context = await this.access.byId(user, event.communityId, CommunityRole.Member);
      return { event, context, canManage: hasRole(context, CommunityRole.CoChair) };
    } catch (error) {
      if (!(error instanceof IdentityError)) throw error;
      if (event.visibility === EventVisibility.Public) return { event, context: null, canManage: false };
      // Not a member: the community check says why (pending, suspended, not a member).
      throw error;
    }
  }

  async member(user: AuthUser, eventId: string): Promise<EventAccess> {
    const event = await this.load(eventId);
    const context = await this.access.byId(user, event.communityId, CommunityRole.Member);
    return { event, context, canManage: hasRole(context, CommunityRole.CoChair) };
  }

  async manage(user: AuthUser, eventId: string): Promise<EventAccess> {
    const event = await this.load(eventId);
    const context = await this.access.byId(user, event.communityId, CommunityRole.CoChair);
    return { event, context, canManage: true };
  }
}
