import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { AuthUser, CommunityAccessService, CommunityContext, CommunityRole, hasRole } from '@cophub/identity';
import { DataSource } from 'typeorm';
import { Poll } from '../entities/poll.entity';
import { PollStatus } from '../entities/enums';
import { PollError, PollErrorCode } from '../errors/polls.error';

export interface PollAccess {
  poll: Poll;
  context: CommunityContext;
  /** Co-chairs (and platform admins) run polls: they see drafts and results at any time. */
  manages: boolean;
  /** In the electorate (open/closed), or matching the audience of a scheduled poll. */
  inAudience: boolean;
}

/**
 * "May this user see or run this poll?" in one place. Only the audience sees a poll; drafts are the
 * co-chairs' alone. Someone outside the community learns nothing (404 before membership is checked
 * would leak existence, so a non-member gets the community's 403 like every item route).
 */
@Injectable()
export class PollPolicy {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly access: CommunityAccessService,
  ) {}

  async load(user: AuthUser, pollId: string): Promise<PollAccess> {
    const poll = await this.dataSource.getRepository(Poll).findOneBy({ id: pollId });
    if (!poll) throw new PollError(PollErrorCode.NotFound, 'Poll not found');
    const context = await this.access.byId(user, poll.communityId, CommunityRole.Member);
    const manages = hasRole(context, CommunityRole.CoChair);
    const inAudience = await this.inAudience(user.id, poll);
    return { poll, context, manages, inAudience };
  }

  /** For seeing a poll (not a draft) and its questions. */
  async view(user: AuthUser, pollId: string): Promise<PollAccess> {
    const access = await this.load(user, pollId);
    if (access.manages) return access;
    if (access.poll.status === PollStatus.Draft) throw new PollError(PollErrorCode.NotFound, 'Poll not found');
    if (!access.inAudience) throw new PollError(PollErrorCode.NotInAudience, 'This poll is not open to you');
    return access;
  }

  async manage(user: AuthUser, pollId: string): Promise<PollAccess> {
    const access = await this.load(user, pollId);
    if (!access.manages) {
      throw new PollError(PollErrorCode.ManagerRequired, 'Only a co-chair of this community can do this');
    }
    return access;
  }

  /** Room authorizer and search use this: no exceptions, just yes or no. */
  async mayWatch(user: AuthUser, pollId: string): Promise<boolean> {
    try {
      await this.view(user, pollId);
      return true;
    } catch (error) {
      if (error instanceof PollError || (error as { status?: number }).status) return false;
      throw error;
    }
  }

  private async inAudience(userId: string, poll: Poll): Promise<boolean> {
    if (poll.status === PollStatus.Open || poll.status === PollStatus.Closed) {
      const rows = await this.dataSource.query(`SELECT 1 FROM poll_electorate WHERE poll_id = $1 AND user_id = $2`, [
        poll.id,
        userId,
      ]);
      return rows.length > 0;
    }
    const rows = await this.dataSource.query(
      `SELECT 1 FROM users u JOIN memberships m ON m.user_id = u.id AND m.community_id = $2 AND m.status = 'approved'
        WHERE u.id = $1 AND ${AUDIENCE_SQL('u', '$3', '$4', '$5')}`,
      [userId, poll.communityId, poll.audienceProfessions, poll.audienceCareerStages, poll.audienceRegions],
    );
    return rows.length > 0;
  }
}

/** SQL condition: user alias `u` matches the three audience filters (an empty filter lets everyone in). */
export function AUDIENCE_SQL(u: string, professions: string, stages: string, regions: string): string {
  return `(cardinality(${professions}::text[]) = 0 OR ${u}.profession = ANY(${professions}::text[]))
      AND (cardinality(${stages}::text[]) = 0 OR ${u}.career_stage = ANY(${stages}::text[]))
      AND (cardinality(${regions}::text[]) = 0 OR ${u}.region = ANY(${regions}::text[]))`;
}
