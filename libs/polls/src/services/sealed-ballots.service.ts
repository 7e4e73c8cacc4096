import { Inject, Injectable, Logger } from '@nestjs/common';
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes, randomInt, randomUUID } from 'node:crypto';
import { APP_CONFIG, AppConfig } from '@cophub/core';
import { EntityManager } from 'typeorm';
import { FREE_TEXT_MAX } from '../entities/enums';
import { RECORD_KEY_RANGE } from '../results/cell-key';
import { AnswerRow, QuestionSpec } from './answers';

export interface BallotProfile {
  profession: string;
  career_stage: string;
  region: string;
}

/** What a sealed ballot holds: the profile snapshot, the answers and the record key, all inside the ciphertext. */
export interface SealedBallotContent {
  profile: BallotProfile;
  rows: AnswerRow[];
  /** Random, 0 … RECORD_KEY_RANGE − 1: the ballot's share of every cell key it is counted in (`cell-key.ts`). */
  recordKey?: number;
}

const IV = 12;
const TAG = 16;

/**
 * Anonymous ballots are only ever stored sealed, in `poll_sealed_ballots`: AES-256-GCM under a
 * per-poll key derived (HKDF) from `POLL_BALLOT_KEY` (or, when that is unset, from `JWT_SECRET`),
 * which the database never holds; padded to one size per poll; a random id; nothing in clear but the
 * poll id. The profile snapshot and a random record key travel inside the ciphertext.
 *
 * While the poll is open a sealed row is written in its vote's transaction, so it shares that
 * transaction's `xmin` with the voter's participation row; it is opaque. At close, in the closing
 * transaction (after ballots in flight have committed), every sealed ballot of the poll is opened,
 * re-sealed with a fresh id and nonce, and inserted in random order in that one transaction, and the
 * old rows deleted: no id, `xmin`, `ctid`, order or size that survives links a stored ballot to a vote.
 */
@Injectable()
export class SealedBallots {
  private readonly logger = new Logger('SealedBallots');
  private readonly secrets: Buffer[];

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    // The dedicated key first; the derivation from JWT_SECRET is kept so ballots sealed before the
    // setting existed (or while it was unset) can still be opened.
    this.secrets = [config.auth.pollBallotKey, config.auth.jwtSecret]
      .filter((s): s is string => Boolean(s))
      .map((s) => Buffer.from(s, 'utf8'));
  }

  private key(pollId: string, secret = this.secrets[0]): Buffer {
    return sealingKey(secret, pollId);
  }

  /** One sealed size per poll: enough for the longest possible ballot of its questions. */
  static paddedSize(questions: QuestionSpec[]): number {
    const bound = questions.reduce(
      (sum, q) => sum + 160 + q.options.length * 200 + (q.kind === 'free_text' ? FREE_TEXT_MAX * 6 + 64 : 64),
      3 * 1024 + 256,
    );
    return Math.ceil(bound / 1024) * 1024;
  }

  seal(pollId: string, questions: QuestionSpec[], ballot: SealedBallotContent): Buffer {
    return sealWith(this.key(pollId), SealedBallots.paddedSize(questions), ballot);
  }

  open(pollId: string, sealed: Buffer): SealedBallotContent {
    let failure: unknown;
    for (const secret of this.secrets) {
      try {
        return openWith(this.key(pollId, secret), sealed);
      } catch (error) {
        failure = error;
      }
    }
    throw failure;
  }

  /** In the vote's transaction: the ballot is stored sealed, with a fresh record key. */
  async add(
    manager: EntityManager,
    pollId: string,
    questions: QuestionSpec[],
    profile: BallotProfile,
    rows: AnswerRow[],
  ): Promise<void> {
    const sealed = this.seal(pollId, questions, {
      profile: { profession: profile.profession, career_stage: profile.career_stage, region: profile.region },
      rows,
      recordKey: randomInt(RECORD_KEY_RANGE),
    });
    await manager.query(`INSERT INTO poll_sealed_ballots (id, poll_id, sealed) VALUES ($1, $2, $3)`, [
      randomUUID(),
      pollId,
      sealed,
    ]);
  }

  /**
   * At close, in the closing transaction: every sealed ballot opened, re-sealed with a fresh id and
   * nonce, inserted in random order, the old rows deleted. Returns the opened ballots (in memory only),
   * from which the one publication is computed.
   */
  async resealAll(manager: EntityManager, pollId: string, questions: QuestionSpec[]): Promise<SealedBallotContent[]> {
    await manager.query(`SELECT pg_advisory_xact_lock($1::bigint)`, [lockId(pollId)]);
    // TypeORM answers a DELETE … RETURNING on PostgreSQL with [rows, affected].
    const [taken]: [Array<{ sealed: Buffer }>, number] = await manager.query(
      `DELETE FROM poll_sealed_ballots WHERE poll_id = $1 RETURNING sealed`,
      [pollId],
    );
    if (!taken.length) return [];
    const ballots = taken.map((row) => this.open(pollId, row.sealed));
    for (const ballot of ballots) ballot.recordKey ??= randomInt(RECORD_KEY_RANGE);
    shuffle(ballots);
    const size = SealedBallots.paddedSize(questions);
    for (let start = 0; start < ballots.length; start += 500) {
      const params: unknown[] = [pollId];
      const values = ballots.slice(start, start + 500).map((ballot) => {
        params.push(randomUUID(), sealWith(this.key(pollId), size, ballot));
        return `($${params.length - 1}::uuid, $1::uuid, $${params.length}::bytea)`;
      });
      await manager.query(`INSERT INTO poll_sealed_ballots (id, poll_id, sealed) VALUES ${values.join(', ')}`, params);
    }
    this.logger.debug(`re-sealed ${ballots.length} ballots of poll ${pollId}`);
    return ballots;
  }

  /** Every sealed ballot of a poll, opened in memory (a closed poll whose publication is not stored yet). */
  async openAll(manager: EntityManager, pollId: string): Promise<SealedBallotContent[]> {
    const rows: Array<{ sealed: Buffer }> = await manager.query(
      `SELECT sealed FROM poll_sealed_ballots WHERE poll_id = $1`,
      [pollId],
    );
    return rows.map((row) => {
      const ballot = this.open(pollId, row.sealed);
      // A ballot sealed before record keys existed (and never re-sealed) takes a fixed one from its
      // ciphertext's last byte (a byte of the GCM tag: uniform, and the same on every read).
      ballot.recordKey ??= row.sealed.readUInt8(row.sealed.length - 1) % RECORD_KEY_RANGE;
      return ballot;
    });
  }
}

/** The per-poll sealing key: HKDF-SHA256 of the secret, salted by the poll id. */
export function sealingKey(secret: Buffer | string, pollId: string): Buffer {
  const raw = typeof secret === 'string' ? Buffer.from(secret, 'utf8') : secret;
  return Buffer.from(hkdfSync('sha256', raw, Buffer.from(pollId), 'cophub poll ballot seal', 32));
}

export function sealWith(key: Buffer, paddedSize: number, ballot: SealedBallotContent): Buffer {
  const json = Buffer.from(JSON.stringify(ballot), 'utf8');
  const size = Math.max(paddedSize, Math.ceil((json.length + 4) / 1024) * 1024);
  const plain = Buffer.alloc(size);
  plain.writeUInt32BE(json.length, 0);
  json.copy(plain, 4);
  const iv = randomBytes(IV);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  const body = Buffer.concat([cipher.update(plain), cipher.final()]);
  return Buffer.concat([iv, body, cipher.getAuthTag()]);
}

export function openWith(key: Buffer, sealed: Buffer): SealedBallotContent {
  const decipher = createDecipheriv('aes-256-gcm', key, sealed.subarray(0, IV));
  decipher.setAuthTag(sealed.subarray(sealed.length - TAG));
  const plain = Buffer.concat([decipher.update(sealed.subarray(IV, sealed.length - TAG)), decipher.final()]);
  return JSON.parse(plain.subarray(4, 4 + plain.readUInt32BE(0)).toString('utf8')) as SealedBallotContent;
}

/** Fisher–Yates with a cryptographic generator. */
export function shuffle<T>(items: T[]): T[] {
  for (let i = items.length - 1; i > 0; i -= 1) {
    const j = randomInt(i + 1);
    [items[i], items[j]] = [items[j], items[i]];
  }
  return items;
}

/** A stable 64-bit advisory lock id per poll. */
function lockId(pollId: string): string {
  return BigInt.asIntN(64, BigInt(`0x${pollId.replace(/-/g, '').slice(0, 16)}`)).toString();
}
