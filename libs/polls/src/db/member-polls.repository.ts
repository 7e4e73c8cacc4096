import { Injectable } from '@nestjs/common';
import { SqlPort } from '@cophub/core';

/** An open poll waiting for the member's answer. */
export interface PollToAnswerRow {
  id: string;
  title: string;
  closes_at: Date | null;
}

/** The statements about one member's polls, read from their electorate rows (their participation, never their answers). */
@Injectable()
export class MemberPollsRepository {
  constructor(private readonly sql: SqlPort) {}

  /** Open polls of the community whose electorate holds the member and who has not responded, closing soonest first. */
  toAnswer(communityId: string, userId: string, limit: number): Promise<PollToAnswerRow[]> {
    return this.sql.rows<PollToAnswerRow>(
      `SELECT p.id, p.title, p.closes_at
         FROM polls p JOIN poll_electorate e ON e.poll_id = p.id AND e.user_id = $2
        WHERE p.community_id = $1 AND p.status = 'open' AND NOT e.responded
        ORDER BY p.closes_at NULLS LAST, p.id
        LIMIT $3`,
      [communityId, userId, limit],
    );
  }
}
