import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes, randomInt, randomUUID } from 'node:crypto';
import { APP_CONFIG, AppConfig } from '@cophub/core';
import { DataSource, EntityManager } from 'typeorm';
import { FREE_TEXT_MAX } from '../entities/enums';
import { AnswerRow, QuestionSpec } from './answers';
import { LiveResultsService } from './live-results.service';

export interface BallotProfile {
  profession: string;
  career_stage: string;
  region: string;
}

interface SealedBallot {
  profile: BallotProfile;
  rows: AnswerRow[];
}

const IV = 12;
const TAG = 16;

/**
 * Anonymous ballots reach `poll_ballots` only in batches, so that nothing a database, Redis or log
 * reader can see orders a ballot or ties it to a moment more finely than its batch.
 *
 * A vote stores its ballot sealed in `poll_pending_ballots`: AES-256-GCM under a per-poll key derived
 * from the application secret (held in the API and worker environment, never in the database),
 * padded to one size per poll so the length says nothing either. Once 2k ballots are waiting (k = the
 * community's breakdown threshold), all but k of them, chosen at random, are opened, shuffled and written
 * to `poll_ballots` and `poll_answers` in ONE transaction with fresh random ids: every ballot of a
 * batch has the same `xmin`, and their physical order is the shuffled insertion order. k always stay
 * waiting, so the close, which mixes whatever is left, also mixes at least k (when the poll had that
 * many), and the results after the close differ from the last live figures by at least k ballots.
 * The same transaction rewrites the participation rows flagged `unmixed`, so their `xmin` is the
 * batch's too, not the vote's.
 */
@Injectable()
export class BallotMixer {
  private readonly logger = new Logger('BallotMixer');
  private readonly secret: Buffer;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) config: AppConfig,
    private readonly live: LiveResultsService,
  ) {
    this.secret = Buffer.from(config.auth.jwtSecret, 'utf8');
  }

  private key(pollId: string): Buffer {
    return Buffer.from(hkdfSync('sha256', this.secret, Buffer.from(pollId), 'cophub poll ballot seal', 32));
  }

  /** One sealed size per poll: enough for the longest possible ballot of its questions. */
  static paddedSize(questions: QuestionSpec[]): number {
    const bound = questions.reduce(
      (sum, q) => sum + 160 + q.options.length * 200 + (q.kind === 'free_text' ? FREE_TEXT_MAX * 6 + 64 : 64),
      3 * 1024 + 256,
    );
    return Math.ceil(bound / 1024) * 1024;
  }

  seal(pollId: string, questions: QuestionSpec[], ballot: SealedBallot): Buffer {
    const json = Buffer.from(JSON.stringify(ballot), 'utf8');
    const size = Math.max(BallotMixer.paddedSize(questions), Math.ceil((json.length + 4) / 1024) * 1024);
    const plain = Buffer.alloc(size);
    plain.writeUInt32BE(json.length, 0);
    json.copy(plain, 4);
    const iv = randomBytes(IV);
    const cipher = createCipheriv('aes-256-gcm', this.key(pollId), iv);
    const body = Buffer.concat([cipher.update(plain), cipher.final()]);
    return Buffer.concat([iv, body, cipher.getAuthTag()]);
  }

  open(pollId: string, sealed: Buffer): SealedBallot {
    const decipher = createDecipheriv('aes-256-gcm', this.key(pollId), sealed.subarray(0, IV));
    decipher.setAuthTag(sealed.subarray(sealed.length - TAG));
    const plain = Buffer.concat([decipher.update(sealed.subarray(IV, sealed.length - TAG)), decipher.final()]);
    return JSON.parse(plain.subarray(4, 4 + plain.readUInt32BE(0)).toString('utf8')) as SealedBallot;
  }

  /** In the vote's transaction: the ballot waits, sealed. Returns how many are waiting (as this transaction sees it). */
  async addPending(
    manager: EntityManager,
    pollId: string,
    questions: QuestionSpec[],
    profile: BallotProfile,
    rows: AnswerRow[],
  ): Promise<number> {
    const sealed = this.seal(pollId, questions, {
      profile: { profession: profile.profession, career_stage: profile.career_stage, region: profile.region },
      rows,
    });
    const [{ n }] = await manager.query(
      `WITH added AS (INSERT INTO poll_pending_ballots (poll_id, sealed) VALUES ($1, $2) RETURNING 1)
       SELECT (SELECT count(*) FROM poll_pending_ballots WHERE poll_id = $1)::int + (SELECT count(*) FROM added)::int AS n`,
      [pollId, sealed],
    );
    return n;
  }

  /** Whether a vote that saw `waiting` sealed ballots should try to mix a batch. */
  static due(waiting: number, threshold: number): boolean {
    return waiting >= 2 * Math.max(1, threshold);
  }

  /**
   * After a vote commits: mixes a batch when 2k are waiting. Only one mix per poll runs at a time
   * (advisory lock); a vote that finds the lock taken leaves it to the holder, which checks again
   * after its own batch, so no batch is left behind.
   */
  async mixIfDue(pollId: string, threshold: number): Promise<void> {
    for (let round = 0; round < 100; round += 1) {
      if (!(await this.mixRound(pollId, threshold))) return;
    }
  }

  /**
   * What a vote that saw a batch due does before it answers: one batch. Ballots that arrived while it
   * was mixing are mixed after the answer (the same loop as `mixIfDue`, in the background; the
   * reconciler picks up anything a crash leaves), so under a burst of votes no voter waits for batch
   * after batch of other people's ballots. That wait was what made clients time out at 100
   * connections: the vote that held the lock kept mixing while new ballots kept arriving.
   */
  async mixAfterVote(pollId: string, threshold: number): Promise<void> {
    if (!(await this.mixRound(pollId, threshold))) return;
    void this.mixIfDue(pollId, threshold).catch((error: Error) =>
      this.logger.warn(`mixing ballots of poll ${pollId} failed: ${error.message}`),
    );
  }

  /** One batch, if one is due and no other mix of the poll is running; the number of ballots mixed. */
  private async mixRound(pollId: string, threshold: number): Promise<number> {
    const k = Math.max(1, threshold);
    const mixed = await this.dataSource.transaction(async (manager) => {
      const [{ locked }] = await manager.query(`SELECT pg_try_advisory_xact_lock($1::bigint) AS locked`, [
        lockId(pollId),
      ]);
      if (!locked) return 0;
      const [{ n }] = await manager.query(`SELECT count(*)::int AS n FROM poll_pending_ballots WHERE poll_id = $1`, [
        pollId,
      ]);
      return BallotMixer.due(n, k) ? this.mix(manager, pollId, n - k) : 0;
    });
    if (mixed) this.live.touch(pollId);
    return mixed;
  }

  /** At close, in the closing transaction (after ballots in flight have committed): everything left. */
  async mixAll(manager: EntityManager, pollId: string): Promise<number> {
    await manager.query(`SELECT pg_advisory_xact_lock($1::bigint)`, [lockId(pollId)]);
    return this.mix(manager, pollId, null);
  }

  /** The reconciler's pass: any open anonymous poll with a batch due (e.g. after a crash between vote and mix). */
  async mixDuePolls(): Promise<void> {
    const due: Array<{ id: string; k: number }> = await this.dataSource.query(
      `SELECT p.id, c.breakdown_threshold AS k FROM polls p JOIN communities c ON c.id = p.community_id
        WHERE p.status = 'open' AND p.anonymous AND EXISTS (SELECT 1 FROM poll_pending_ballots b WHERE b.poll_id = p.id)`,
    );
    for (const poll of due) await this.mixIfDue(poll.id, poll.k);
  }

  private async mix(manager: EntityManager, pollId: string, count: number | null): Promise<number> {
    // TypeORM answers a DELETE … RETURNING on PostgreSQL with [rows, affected].
    const [taken]: [Array<{ sealed: Buffer }>, number] = await manager.query(
      count === null
        ? `DELETE FROM poll_pending_ballots WHERE poll_id = $1 RETURNING sealed`
        : `DELETE FROM poll_pending_ballots WHERE id IN (
             SELECT id FROM poll_pending_ballots WHERE poll_id = $1 ORDER BY random() LIMIT $2) RETURNING sealed`,
      count === null ? [pollId] : [pollId, count],
    );
    if (!taken.length) return 0;
    const ballots = taken.map((row) => this.open(pollId, row.sealed));
    // Fisher–Yates with a cryptographic generator: the insertion (and so physical) order is random.
    for (let i = ballots.length - 1; i > 0; i -= 1) {
      const j = randomInt(i + 1);
      [ballots[i], ballots[j]] = [ballots[j], ballots[i]];
    }
    const ids = ballots.map(() => randomUUID());
    for (let start = 0; start < ballots.length; start += 500) {
      const chunk = ballots.slice(start, start + 500);
      const params: unknown[] = [pollId];
      const values = chunk.map((ballot, i) => {
        params.push(ids[start + i], ballot.profile.profession, ballot.profile.career_stage, ballot.profile.region);
        const b = params.length - 4;
        return `($${b + 1}::uuid, $1::uuid, $${b + 2}, $${b + 3}, $${b + 4})`;
      });
      await manager.query(
        `INSERT INTO poll_ballots (id, poll_id, profession, career_stage, region) VALUES ${values.join(', ')}`,
        params,
      );
    }
    const answers = ballots.flatMap((ballot, i) => ballot.rows.map((row) => ({ ballotId: ids[i], ballot, row })));
    for (let start = 0; start < answers.length; start += 500) {
      const params: unknown[] = [pollId];
      const values = answers.slice(start, start + 500).map(({ ballotId, ballot, row }) => {
        params.push(
          ballotId,
          row.questionId,
          row.ordinal,
          row.optionId,
          row.rank,
          row.value,
          row.text,
          ballot.profile.profession,
          ballot.profile.career_stage,
          ballot.profile.region,
        );
        const b = params.length - 10;
        const p = (n: number) => `$${b + n}`;
        return `(${p(1)}::uuid, ${p(2)}::uuid, ${p(3)}::smallint, $1::uuid, ${p(4)}::uuid, ${p(5)}::smallint, ${p(6)}::smallint, ${p(7)}, ${p(8)}, ${p(9)}, ${p(10)})`;
      });
      await manager.query(
        `INSERT INTO poll_answers (ballot_id, question_id, ordinal, poll_id, option_id, rank, value, text, profession, career_stage, region)
         VALUES ${values.join(', ')}`,
        params,
      );
    }
    await manager.query(`UPDATE poll_electorate SET unmixed = false WHERE poll_id = $1 AND unmixed`, [pollId]);
    // Last, so the counter's row lock is held only until the commit: the results cached under the old
    // version are never read again.
    await bumpResultsVersion(manager, pollId);
    this.logger.debug(`mixed a batch of ${ballots.length} into poll ${pollId}`);
    return ballots.length;
  }
}

/** In the transaction that changes a poll's stored ballots: the cached results of the old ballots are retired. */
export async function bumpResultsVersion(manager: EntityManager, pollId: string): Promise<void> {
  await manager.query(
    `INSERT INTO poll_results_versions (poll_id, version) VALUES ($1, 1)
     ON CONFLICT (poll_id) DO UPDATE SET version = poll_results_versions.version + 1`,
    [pollId],
  );
}

/** A stable 64-bit advisory lock id per poll. */
function lockId(pollId: string): string {
  return BigInt.asIntN(64, BigInt(`0x${pollId.replace(/-/g, '').slice(0, 16)}`)).toString();
}
