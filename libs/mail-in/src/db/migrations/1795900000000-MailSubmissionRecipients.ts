import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The To and Cc of an emailed submission as its sender wrote them, so co-chairs can see where the
 * message was addressed (mail not addressed to the community's address is held as such). Rows
 * stored before have empty lists.
 */
export class MailSubmissionRecipients1795900000000 implements MigrationInterface {
  name = 'MailSubmissionRecipients1795900000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      ALTER TABLE "mail_submissions"
        ADD COLUMN "header_to" text[] NOT NULL DEFAULT '{}',
        ADD COLUMN "header_cc" text[] NOT NULL DEFAULT '{}'`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "mail_submissions" DROP COLUMN "header_cc", DROP COLUMN "header_to"`);
  }
}
