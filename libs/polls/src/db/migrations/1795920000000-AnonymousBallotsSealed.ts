import { createCipheriv, hkdfSync, randomBytes, randomInt, randomUUID } from 'node:crypto';
import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Anonymous ballots are only ever stored sealed. `poll_pending_ballots` becomes `poll_sealed_ballots`
 * (where an anonymous ballot now stays for good); every clear anonymous ballot in `poll_ballots` /
 * `poll_answers` (open and closed polls) is sealed in place: per poll, opened rows are shuffled,
 * sealed with a fresh random id, nonce and record key, inserted, and the clear rows deleted, all in
 * this migration's one transaction, so no answer is lost and none is ever stored in a linkable form.
 * Closed anonymous polls get their one publication on first read (`poll_publications`).
 * `poll_electorate.unmixed` goes (participation carries only `responded`); `polls.template_of` records
 * the poll a new one was started from.
 *
 * The sealing here is the application's (`SealedBallots`): AES-256-GCM under HKDF-SHA256(secret,
 * salt = poll id, info 'cophub poll ballot seal'), the secret being POLL_BALLOT_KEY or else JWT_SECRET.
 */
export class AnonymousBallotsSealed1795920000000 implements MigrationInterface {
  name = 'AnonymousBallotsSealed1795920000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "poll_pending_ballots" RENAME TO "poll_sealed_ballots"`);
    await queryRunner.query(`ALTER TABLE "poll_sealed_ballots" ALTER COLUMN "id" DROP DEFAULT`);
    await queryRunner.query(
      `ALTER TABLE "poll_sealed_ballots" RENAME CONSTRAINT "pk_poll_pending_ballots" TO "pk_poll_sealed_ballots"`,
    );
    await queryRunner.query(
      `ALTER TABLE "poll_sealed_ballots" RENAME CONSTRAINT "fk_poll_pending_ballots_poll_id" TO "fk_poll_sealed_ballots_poll_id"`,
    );
    await queryRunner.query(`ALTER INDEX "ix_poll_pending_ballots_poll_id" RENAME TO "ix_poll_sealed_ballots_poll_id"`);
    await queryRunner.query(`DROP INDEX "ix_poll_electorate_poll_id_unmixed"`);
    await queryRunner.query(`ALTER TABLE "poll_electorate" DROP COLUMN "unmixed"`);
    await queryRunner.query(`
            CREATE TABLE "poll_publications" (
                "poll_id" uuid NOT NULL,
                "results" jsonb NOT NULL,
                CONSTRAINT "pk_poll_publications" PRIMARY KEY ("poll_id")
            )
        `);
    await queryRunner.query(`
            ALTER TABLE "poll_publications"
            ADD CONSTRAINT "fk_poll_publications_poll_id" FOREIGN KEY ("poll_id") REFERENCES "polls"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
    await queryRunner.query(`ALTER TABLE "polls" ADD "template_of" uuid`);
    await queryRunner.query(`
            ALTER TABLE "polls"
            ADD CONSTRAINT "fk_polls_template_of" FOREIGN KEY ("template_of") REFERENCES "polls"("id") ON DELETE SET NULL ON UPDATE NO ACTION
        `);
    // Anonymous participation rows carry no time.
    await queryRunner.query(
      `UPDATE poll_electorate e SET responded_at = NULL FROM polls p WHERE p.id = e.poll_id AND p.anonymous AND e.responded_at IS NOT NULL`,
    );

    const polls: Array<{ id: string }> = await queryRunner.query(
      `SELECT DISTINCT b.poll_id AS id FROM poll_ballots b JOIN polls p ON p.id = b.poll_id WHERE p.anonymous`,
    );
    if (!polls.length) return;
    const secret = process.env.POLL_BALLOT_KEY || process.env.JWT_SECRET;
    if (!secret) {
      throw new Error(
        'Sealing the stored anonymous ballots needs POLL_BALLOT_KEY or JWT_SECRET in the environment of this migration',
      );
    }
    for (const { id: pollId } of polls) {
      const questions: Array<{ kind: string; options: number }> = await queryRunner.query(
        `SELECT q.kind, (SELECT count(*)::int FROM poll_options o WHERE o.question_id = q.id) AS options
           FROM poll_questions q WHERE q.poll_id = $1`,
        [pollId],
      );
      const padded =
        Math.ceil(
          questions.reduce(
            (sum, q) => sum + 160 + q.options * 200 + (q.kind === 'free_text' ? 2000 * 6 + 64 : 64),
            3 * 1024 + 256,
          ) / 1024,
        ) * 1024;
      const ballots: Array<{ id: string; profession: string; career_stage: string; region: string }> =
        await queryRunner.query(`SELECT id, profession, career_stage, region FROM poll_ballots WHERE poll_id = $1`, [
          pollId,
        ]);
      const answers: Array<{
        ballot_id: string;
        question_id: string;
        ordinal: number;
        option_id: string | null;
        rank: number | null;
        value: number | null;
        text: string | null;
      }> = await queryRunner.query(
        `SELECT ballot_id, question_id, ordinal, option_id, rank, value, text FROM poll_answers WHERE poll_id = $1
          ORDER BY ballot_id, question_id, ordinal`,
        [pollId],
      );
      const rowsOf = new Map<string, unknown[]>();
      for (const a of answers) {
        const list = rowsOf.get(a.ballot_id) ?? [];
        list.push({
          questionId: a.question_id,
          ordinal: a.ordinal,
          optionId: a.option_id,
          rank: a.rank,
          value: a.value,
          text: a.text,
        });
        rowsOf.set(a.ballot_id, list);
      }
      const contents = ballots.map((b) => ({
        profile: { profession: b.profession, career_stage: b.career_stage, region: b.region },
        rows: rowsOf.get(b.id) ?? [],
        recordKey: randomInt(256),
      }));
      for (let i = contents.length - 1; i > 0; i -= 1) {
        const j = randomInt(i + 1);
        [contents[i], contents[j]] = [contents[j], contents[i]];
      }
      const key = Buffer.from(
        hkdfSync('sha256', Buffer.from(secret, 'utf8'), Buffer.from(pollId), 'cophub poll ballot seal', 32),
      );
      for (let start = 0; start < contents.length; start += 200) {
        const params: unknown[] = [pollId];
        const values = contents.slice(start, start + 200).map((content) => {
          params.push(randomUUID(), seal(key, padded, content));
          return `($${params.length - 1}::uuid, $1::uuid, $${params.length}::bytea)`;
        });
        await queryRunner.query(
          `INSERT INTO poll_sealed_ballots (id, poll_id, sealed) VALUES ${values.join(', ')}`,
          params,
        );
      }
      // The answers go with their ballots (ON DELETE CASCADE).
      await queryRunner.query(`DELETE FROM poll_ballots WHERE poll_id = $1`, [pollId]);
      await queryRunner.query(`DELETE FROM poll_publications WHERE poll_id = $1`, [pollId]);
    }
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    // Sealed ballots cannot be opened here (the key is the application's): they stay sealed.
    await queryRunner.query(`ALTER TABLE "polls" DROP CONSTRAINT "fk_polls_template_of"`);
    await queryRunner.query(`ALTER TABLE "polls" DROP COLUMN "template_of"`);
    await queryRunner.query(`DROP TABLE "poll_publications"`);
    await queryRunner.query(`ALTER TABLE "poll_electorate" ADD "unmixed" boolean NOT NULL DEFAULT false`);
    await queryRunner.query(
      `CREATE INDEX "ix_poll_electorate_poll_id_unmixed" ON "poll_electorate" ("poll_id") WHERE unmixed`,
    );
    await queryRunner.query(`ALTER INDEX "ix_poll_sealed_ballots_poll_id" RENAME TO "ix_poll_pending_ballots_poll_id"`);
    await queryRunner.query(
      `ALTER TABLE "poll_sealed_ballots" RENAME CONSTRAINT "fk_poll_sealed_ballots_poll_id" TO "fk_poll_pending_ballots_poll_id"`,
    );
    await queryRunner.query(
      `ALTER TABLE "poll_sealed_ballots" RENAME CONSTRAINT "pk_poll_sealed_ballots" TO "pk_poll_pending_ballots"`,
    );
    await queryRunner.query(`ALTER TABLE "poll_sealed_ballots" ALTER COLUMN "id" SET DEFAULT gen_random_uuid()`);
    await queryRunner.query(`ALTER TABLE "poll_sealed_ballots" RENAME TO "poll_pending_ballots"`);
  }
}

function seal(key: Buffer, padded: number, content: unknown): Buffer {
  const json = Buffer.from(JSON.stringify(content), 'utf8');
  const size = Math.max(padded, Math.ceil((json.length + 4) / 1024) * 1024);
  const plain = Buffer.alloc(size);
  plain.writeUInt32BE(json.length, 0);
  json.copy(plain, 4);
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  const body = Buffer.concat([cipher.update(plain), cipher.final()]);
  return Buffer.concat([iv, body, cipher.getAuthTag()]);
}
