import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Clock, queryRows } from '@cophub/core';
import { DataSource, EntityManager } from 'typeorm';
import { PollStatus, ResultsVisibility } from '../entities/enums';
import { PollError, PollErrorCode } from '../errors/polls.error';
import { AnswerInput, AnswerRow, QuestionSpec, validateAnswers } from './answers';
import { SealedBallots } from './sealed-ballots.service';
import { VoteRateLimiter } from './vote-rate-limiter.service';
import { LiveResultsService } from './live-results.service';
import { PollsService } from './polls.service';

interface PollRow {
  id: string;
  community_id: string;
  status: PollStatus;
  anonymous: boolean;
  allow_change: boolean;
  closes_at: Date | null;
  results_visibility: ResultsVisibility;
  threshold: number;
}

export interface SubmitResult {
  replaced: boolean;
}

/**
 * Casting a ballot. One response per member is settled by PostgreSQL: the member's electorate row is
 * flipped from `responded = false` to `true` by a conditional UPDATE in the same transaction as the
 * ballot insert, so of two concurrent submissions exactly one finds the row still unflipped; the other
 * waits for it, then sees `responded = true` and gets a 409 (or, on a named poll that allows changes,
 * replaces the ballot under that same row lock).
 */
@Injectable()
export class BallotService {
  /** Questions cannot change once a poll leaves draft, so they are cached per process. */
  private readonly questionCache = new Map<string, QuestionSpec[]>();

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly clock: Clock,
    private readonly polls: PollsService,
    private readonly live: LiveResultsService,
    private readonly sealed: SealedBallots,
    private readonly rateLimiter: VoteRateLimiter,
  ) {}

  async submit(userId: string, pollId: string, answers: AnswerInput[]): Promise<SubmitResult> {
    await this.rateLimiter.consume(userId);
    const [poll] = (await this.dataSource.query(
      `SELECT p.id, p.community_id, p.status, p.anonymous, p.allow_change, p.closes_at, p.results_visibility,
              c.breakdown_threshold AS threshold
         FROM polls p JOIN communities c ON c.id = p.community_id WHERE p.id = $1`,
      [pollId],
    )) as PollRow[];
    if (!poll || poll.status === PollStatus.Draft) throw new PollError(PollErrorCode.NotFound, 'Poll not found');
    let questions = this.questionCache.get(pollId);
    if (!questions) {
      questions = await this.polls.questions(pollId);
      this.questionCache.set(pollId, questions);
    }
    // Bad answers are refused before anything is written.
    const rows = validateAnswers(questions, answers);
    const result = await this.dataSource.transaction('READ COMMITTED', async (manager) => {
      // A share lock on the poll: closing (which updates the row) waits for ballots in flight, and a
      // ballot arriving after the close commits sees the poll closed.
      const [current] = (await manager.query(`SELECT status, closes_at FROM polls WHERE id = $1 FOR SHARE`, [
        pollId,
      ])) as PollRow[];
      const now = this.clock.now();
      if (current.status !== PollStatus.Open || (current.closes_at && current.closes_at <= now)) {
        throw new PollError(
          PollErrorCode.NotOpen,
          current.status === PollStatus.Scheduled ? 'This poll is not open yet' : 'This poll is closed',
        );
      }
      const flipped = await queryRows<{ profession: string; career_stage: string; region: string }>(
        manager,
        `UPDATE poll_electorate e SET responded = true, responded_at = CASE WHEN $3 THEN $4::timestamptz END
            WHERE e.poll_id = $1 AND e.user_id = $2 AND NOT e.responded
              AND EXISTS (SELECT 1 FROM memberships m WHERE m.community_id = e.community_id AND m.user_id = e.user_id
                             AND m.status = 'approved')
            RETURNING e.profession, e.career_stage, e.region`,
        [pollId, userId, !poll.anonymous, now],
      );
      if (flipped.length) {
        // Anonymous: the ballot is only ever stored sealed; nothing is counted before the close.
        if (poll.anonymous) {
          await this.sealed.add(manager, pollId, questions!, flipped[0], rows);
          return { replaced: false };
        }
        await this.insertBallot(manager, pollId, userId, flipped[0], rows);
        return { replaced: false };
      }
      // The row lock is taken without a join: a locking read joined to another table can miss a row that
      // a concurrent submission just updated, which answered racing second votes "not in audience".
      const [elector]: Array<{ responded: boolean; profession: string; career_stage: string; region: string }> =
        await manager.query(
          `SELECT e.responded, e.profession, e.career_stage, e.region FROM poll_electorate e
            WHERE e.poll_id = $1 AND e.user_id = $2 FOR UPDATE`,
          [pollId, userId],
        );
      const approved = elector
        ? await manager.query(
            `SELECT 1 FROM memberships WHERE community_id = $1 AND user_id = $2 AND status = 'approved'`,
            [poll.community_id, userId],
          )
        : [];
      if (!approved.length) throw new PollError(PollErrorCode.NotInAudience, 'This poll is not open to you');
      if (poll.anonymous || !poll.allow_change) {
        throw new PollError(PollErrorCode.AlreadyResponded, 'You have already responded to this poll');
      }
      // Named poll allowing changes: replace, under the electorate row lock taken above.
      await manager.query(`DELETE FROM poll_ballots WHERE poll_id = $1 AND user_id = $2`, [pollId, userId]);
      await manager.query(`UPDATE poll_electorate SET responded_at = $3 WHERE poll_id = $1 AND user_id = $2`, [
        pollId,
        userId,
        now,
      ]);
      await this.insertBallot(manager, pollId, userId, elector, rows);
      return { replaced: true };
    });
    // Live results: a named poll's counts move at once; an anonymous poll's room hears its turnout only.
    if (poll.results_visibility === ResultsVisibility.Live) this.live.touch(pollId);
    return { replaced: result.replaced };
  }

  private async insertBallot(
    manager: EntityManager,
    pollId: string,
    userId: string,
    profile: { profession: string; career_stage: string; region: string },
    rows: AnswerRow[],
  ): Promise<void> {
    // Named polls only. The id is gen_random_uuid() (random, v4); no timestamp or sequence is stored.
    const [ballot]: Array<{ id: string }> = await manager.query(
      `INSERT INTO poll_ballots (poll_id, user_id, profession, career_stage, region) VALUES ($1, $2, $3, $4, $5) RETURNING id`,
      [pollId, userId, profile.profession, profile.career_stage, profile.region],
    );
    const params: unknown[] = [profile.profession, profile.career_stage, profile.region];
    const values = rows.map((row) => {
      params.push(ballot.id, row.questionId, row.ordinal, pollId, row.optionId, row.rank, row.value, row.text);
      const b = params.length - 8;
      return `($${b + 1}, $${b + 2}, $${b + 3}, $${b + 4}, $${b + 5}, $${b + 6}, $${b + 7}, $${b + 8}, $1, $2, $3)`;
    });
    await manager.query(
      `INSERT INTO poll_answers (ballot_id, question_id, ordinal, poll_id, option_id, rank, value, text, profession, career_stage, region) VALUES ${values.join(', ')}`,
      params,
    );
    await bumpResultsVersion(manager, pollId);
  }
}

/** In the transaction that changes a named poll's stored ballots: the cached results of the old ballots are retired. */
export async function bumpResultsVersion(manager: EntityManager, pollId: string): Promise<void> {
  await manager.query(
    `INSERT INTO poll_results_versions (poll_id, version) VALUES ($1, 1)
     ON CONFLICT (poll_id) DO UPDATE SET version = poll_results_versions.version + 1`,
    [pollId],
  );
}
