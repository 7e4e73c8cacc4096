import { Injectable } from '@nestjs/common';
import { Clock, SqlPort } from '@cophub/core';
import { CommunityEvent, EventsService, MyRsvp, RsvpService } from '@cophub/events';
import { ThreadService, ThreadView } from '@cophub/forum';
import { CommunityContext, KeyContact, PresenceService } from '@cophub/identity';
import { ResourceService } from '@cophub/resources';

export interface Overview {
  since: Date | null;
  keyContacts: KeyContact[];
  unreadThreads: ThreadView[];
  upcomingEvents: Array<{ event: CommunityEvent; myRsvp: MyRsvp }>;
  pollsToAnswer: Array<{ id: string; title: string; closesAt: Date | null }>;
  newResources: Array<{ id: string; title: string; createdAt: Date }>;
}

/**
 * The community's home for a member: who to contact and what is new since their last visit, one
 * request. It composes what each module already answers (unread threads, events with the member's
 * RSVP, resources); polls waiting for an answer come from the poll's electorate (the member's own
 * participation record, never their answers).
 */
@Injectable()
export class OverviewService {
  constructor(
    private readonly sql: SqlPort,
    private readonly clock: Clock,
    private readonly presence: PresenceService,
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
      this.pollsToAnswer(communityId, context.userId),
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

  private async pollsToAnswer(communityId: string, userId: string) {
    const rows = await this.sql.rows<{ id: string; title: string; closes_at: Date | null }>(
      `SELECT p.id, p.title, p.closes_at
         FROM polls p JOIN poll_electorate e ON e.poll_id = p.id AND e.user_id = $2
        WHERE p.community_id = $1 AND p.status = 'open' AND NOT e.responded
        ORDER BY p.closes_at NULLS LAST, p.id
        LIMIT 5`,
      [communityId, userId],
    );
    return rows.map((r) => ({ id: r.id, title: r.title, closesAt: r.closes_at }));
  }
}
