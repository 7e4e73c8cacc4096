import { Injectable } from '@nestjs/common';
import { Clock } from '@cophub/core';
import { CommunityEvent, EventsService, MyRsvp, RsvpService } from '@cophub/events';
import { ThreadService, ThreadView } from '@cophub/forum';
import { CommunityContext, KeyContact, PresenceService } from '@cophub/identity';
import { PollsToAnswer, PollToAnswer } from '@cophub/polls';
import { ResourceService } from '@cophub/resources';

export interface Overview {
  since: Date | null;
  keyContacts: KeyContact[];
  unreadThreads: ThreadView[];
  upcomingEvents: Array<{ event: CommunityEvent; myRsvp: MyRsvp }>;
  pollsToAnswer: PollToAnswer[];
  newResources: Array<{ id: string; title: string; createdAt: Date }>;
}

/**
 * The community's home for a member: who to contact and what is new since their last visit, one
 * request. It composes what each module answers: key contacts and the visit (identity), unread threads,
 * events with the member's RSVP, resources, and polls waiting for an answer (from the poll's electorate: the
 * member's own participation record, never their answers). It writes and reads no table itself.
 */
@Injectable()
export class OverviewService {
  constructor(
    private readonly clock: Clock,
    private readonly presence: PresenceService,
    private readonly polls: PollsToAnswer,
    private readonly threads: ThreadService,
    private readonly events: EventsService,
    private readonly rsvps: RsvpService,
    private readonly resources: ResourceService,
  ) {}

  async forMember(context: CommunityContext): Promise<Overview> {
    const communityId = context.community.id;
    const now = this.clock.now();
    const since = await this.presence.startVisit(context, now);
    const [keyContacts, threads, events, pollsToAnswer, resources] = await Promise.all([
      this.keyContacts(communityId),
      this.threads.list(context, {}, 50),
      this.events.list(communityId, { from: now }, 5),
      this.polls.forMember(context),
      this.resources.list(context, {}, 10),
    ]);
    const upcomingEvents = await Promise.all(
      events.items.map(async (event) => ({ event, myRsvp: await this.rsvps.mine(context.userId, event.id) })),
    );
    const newResources = resources.items
      .map((r) => r.resource)
      .filter((r) => !since || r.createdAt > since)
      .slice(0, 5)
      .map((r) => ({ id: r.id, title: r.title, createdAt: r.createdAt }));
    return {
      since,
      keyContacts,
      unreadThreads: (threads.page?.items ?? []).filter((t) => t.unreadCount > 0).slice(0, 5),
      upcomingEvents,
      pollsToAnswer,
      newResources,
    };
  }

  keyContacts(communityId: string): Promise<KeyContact[]> {
    return this.presence.keyContacts(communityId);
  }

  setListed(context: CommunityContext, listed: boolean): Promise<void> {
    return this.presence.setListedAsContact(context, listed);
  }
}
