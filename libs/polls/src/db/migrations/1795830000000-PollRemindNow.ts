import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * "Remind now": when a co-chair last sent a reminder by hand. It is claimed by a conditional UPDATE,
 * so a double click or a retried request sends one round, and the next round waits for the cooldown.
 */
export class PollRemindNow1795830000000 implements MigrationInterface {
  name = 'PollRemindNow1795830000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "polls" ADD "reminded_now_at" TIMESTAMP WITH TIME ZONE`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "polls" DROP COLUMN "reminded_now_at"`);
  }
}
