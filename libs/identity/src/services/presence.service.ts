import { Injectable } from '@nestjs/common';
import { PresenceRepository } from '../db/presence.repository';
import type { CommunityContext } from './community-access.service';

/** A co-chair who agreed to be named on the community's overview. */
export interface KeyContact {
  userId: string;
  displayName: string;
  role: string;
  profession: string;
  organisation: string;
}

/** A visit lasts this long: reloading the overview within it does not reset "new since your last visit". */
export const VISIT_MS = 30 * 60_000;

/**
 * What identity tells a community's overview: who to contact (co-chairs who agreed to be listed) and when a member's
 * previous visit began ("new since your last visit"). Callers check who may ask (the API's route guards).
 */
@Injectable()
export class PresenceService {
  constructor(private readonly presence: PresenceRepository) {}

  /** Co-chairs who agreed to be listed, for everyone who can see the community (visitors too). */
  async keyContacts(communityId: string): Promise<KeyContact[]> {
    const rows = await this.presence.keyContacts(communityId);
    return rows.map((r) => ({
      userId: r.user_id,
      displayName: r.display_name,
      role: r.role,
      profession: r.profession,
      organisation: r.organisation,
    }));
  }

  /** The member (a co-chair) agrees, or stops agreeing, to be named as a key contact. */
  setListedAsContact(context: CommunityContext, listed: boolean): Promise<void> {
    return this.presence.setListedAsContact(context.community.id, context.userId, listed);
  }

  /**
   * Starts a new visit when the last one began more than VISIT_MS ago, and answers the start of the previous
   * visit: what is newer than that is "new since your last visit".
   */
  startVisit(context: CommunityContext, now: Date): Promise<Date | null> {
    return this.presence.startVisit(context.community.id, context.userId, now, VISIT_MS);
  }
}
