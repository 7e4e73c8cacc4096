import { Injectable } from '@nestjs/common';
import { Clock, SqlPort } from '@cophub/core';
import { CommunityEvent, EventsService, MyRsvp, RsvpService } from '@cophub/events';
import { ThreadService, ThreadView } from '@cophub/forum';
import { CommunityContext } from '@cophub/identity';
import { ResourceService } from '@cophub/resources';

/** A visit lasts this long: reloading the overview within it does not reset "new since your last visit". */
const VISIT_MS = 30 * 60_000;

export interface KeyContact {
  userId: string;
  displayName: string;
  role: string;
  profession: string;
  organisation: string;
}

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
    private readonly threads: ThreadService,
    private readonly events: EventsService,
    private readonly rsvps: RsvpService,
    private readonly resources: ResourceService,
  ) {}

  async forMember(context: CommunityContext): Promise<Overview> {
    const communityId = context.community.id;
    const now = this.clock.now();
    const since = await this.startVisit(context, now);
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

  /** Co-chairs who agreed to be listed, for everyone who can see the community (visitors too). */
  async keyContacts(communityId: string): Promise<KeyContact[]> {
    const rows = await this.sql.rows<{
      user_id: string;
      display_name: string;
      role: string;
      profession: string;
      organisation: string;
    }>(
      `SELECT m.user_id, u.display_name, m.role, u.profession, u.organisation
           FROM memberships m JOIN users u ON u.id = m.user_id
          WHERE m.community_id = $1 AND m.status = 'approved' AND m.role = 'co_chair' AND m.listed_as_contact
          ORDER BY u.display_name, m.user_id`,
      [communityId],
    );
    return rows.map((r) => ({
      userId: r.user_id,
      displayName: r.display_name,
      role: r.role,
      profession: r.profession,
      organisation: r.organisation,
    }));
  }

  async setListed(context: CommunityContext, listed: boolean): Promise<void> {
    await this.sql.exec(
      `UPDATE memberships SET listed_as_contact = $3 WHERE community_id = $1 AND user_id = $2`,
      [context.community.id, context.userId, listed],
    );
  }

  /**
   * Starts a new visit when the last one began more than VISIT_MS ago, and answers the start of the
   * previous visit: what is newer than that is "new since your last visit". One conditional update,
   * so two tabs opening at once agree.
   */
  private async startVisit(context: CommunityContext, now: Date): Promise<Date | null> {
    const rows = await this.sql.rows<{ previous_visit_at: Date | null }>(
      `UPDATE memberships
          SET previous_visit_at = CASE WHEN last_visited_at IS NULL OR last_visited_at < $3::timestamptz - ($4 || ' milliseconds')::interval
                                       THEN last_visited_at ELSE previous_visit_at END,
              last_visited_at = CASE WHEN last_visited_at IS NULL OR last_visited_at < $3::timestamptz - ($4 || ' milliseconds')::interval
                                     THEN $3 ELSE last_visited_at END
        WHERE community_id = $1 AND user_id = $2
        RETURNING previous_visit_at`,
      [context.community.id, context.userId, now, String(VISIT_MS)],
    );
    return rows[0]?.previous_visit_at ?? null;
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
