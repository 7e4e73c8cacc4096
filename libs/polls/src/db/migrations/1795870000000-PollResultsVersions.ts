import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A counter per poll that moves in the transaction that changes its stored ballots (a mixed batch, a
 * named ballot stored or replaced), so a cached results publication can be keyed by it.
 */
export class PollResultsVersions1795870000000 implements MigrationInterface {
  name = 'PollResultsVersions1795870000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            CREATE TABLE "poll_results_versions" (
                "poll_id" uuid NOT NULL,
                "version" bigint NOT NULL DEFAULT '0',
                CONSTRAINT "pk_poll_results_versions" PRIMARY KEY ("poll_id")
            )
        `);
    await queryRunner.query(`
            ALTER TABLE "poll_results_versions"
            ADD CONSTRAINT "fk_poll_results_versions_poll_id" FOREIGN KEY ("poll_id") REFERENCES "polls"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "poll_results_versions"`);
  }
}
