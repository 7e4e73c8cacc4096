import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Anonymous ballots wait sealed (encrypted with a key the database never sees) in
 * `poll_pending_ballots` until a batch is mixed into `poll_ballots` in random order; `unmixed` marks
 * participation rows written since the last batch, so the batch rewrites them too.
 */
export class PollBallotMixing1795756001501 implements MigrationInterface {
  name = 'PollBallotMixing1795756001501';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            CREATE TABLE "poll_pending_ballots" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "poll_id" uuid NOT NULL,
                "sealed" bytea NOT NULL,
                CONSTRAINT "pk_poll_pending_ballots" PRIMARY KEY ("id")
            )
        `);
    // Ciphertext does not compress; storing it as is keeps every sealed ballot the same size on disk.
    await queryRunner.query(`ALTER TABLE "poll_pending_ballots" ALTER COLUMN "sealed" SET STORAGE EXTERNAL`);
    await queryRunner.query(`CREATE INDEX "ix_poll_pending_ballots_poll_id" ON "poll_pending_ballots" ("poll_id")`);
    await queryRunner.query(`
            ALTER TABLE "poll_pending_ballots"
            ADD CONSTRAINT "fk_poll_pending_ballots_poll_id" FOREIGN KEY ("poll_id") REFERENCES "polls"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
    await queryRunner.query(`ALTER TABLE "poll_electorate" ADD "unmixed" boolean NOT NULL DEFAULT false`);
    // Each batch rewrites only the rows flagged since the last one; a partial index finds them.
    await queryRunner.query(
      `CREATE INDEX "ix_poll_electorate_poll_id_unmixed" ON "poll_electorate" ("poll_id") WHERE unmixed`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "ix_poll_electorate_poll_id_unmixed"`);
    await queryRunner.query(`ALTER TABLE "poll_electorate" DROP COLUMN "unmixed"`);
    await queryRunner.query(`DROP TABLE "poll_pending_ballots"`);
  }
}
