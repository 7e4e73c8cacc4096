import { MigrationInterface, QueryRunner } from 'typeorm';

export class AccountClosure1795425928291 implements MigrationInterface {
  name = 'AccountClosure1795425928291';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            ALTER TABLE "users"
            ADD "closed_at" TIMESTAMP WITH TIME ZONE
        `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            ALTER TABLE "users" DROP COLUMN "closed_at"
        `);
  }
}
