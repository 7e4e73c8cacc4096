import { Injectable } from '@nestjs/common';
import type { CommunityContext } from '@cophub/identity';
import { MemberPollsRepository } from '../db/member-polls.repository';

export interface PollToAnswer {
  id: string;
  title: string;
  closesAt: Date | null;
}

/** The polls waiting for a member's answer, for the community's overview: the caller's own electorate rows only. */
@Injectable()
export class PollsToAnswer {
  constructor(private readonly polls: MemberPollsRepository) {}

  async forMember(context: CommunityContext, limit = 5): Promise<PollToAnswer[]> {
    const rows = await this.polls.toAnswer(context.community.id, context.userId, limit);
    return rows.map((r) => ({ id: r.id, title: r.title, closesAt: r.closes_at }));
  }
}
