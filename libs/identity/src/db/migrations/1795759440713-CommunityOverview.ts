import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The community overview: its aims and audience, co-chairs who agree to be listed as key contacts,
 * and the start of each member's current and previous visit (for "new since your last visit").
 */
export class CommunityOverview1795759440713 implements MigrationInterface {
  name = 'CommunityOverview1795759440713';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "communities" ADD "aims" text NOT NULL DEFAULT ''`);
    await queryRunner.query(`ALTER TABLE "communities" ADD "audience" text NOT NULL DEFAULT ''`);
    await queryRunner.query(`ALTER TABLE "memberships" ADD "listed_as_contact" boolean NOT NULL DEFAULT false`);
    await queryRunner.query(`ALTER TABLE "memberships" ADD "last_visited_at" TIMESTAMP WITH TIME ZONE`);
    await queryRunner.query(`ALTER TABLE "memberships" ADD "previous_visit_at" TIMESTAMP WITH TIME ZONE`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "memberships" DROP COLUMN "previous_visit_at"`);
    await queryRunner.query(`ALTER TABLE "memberships" DROP COLUMN "last_visited_at"`);
    await queryRunner.query(`ALTER TABLE "memberships" DROP COLUMN "listed_as_contact"`);
    await queryRunner.query(`ALTER TABLE "communities" DROP COLUMN "audience"`);
    await queryRunner.query(`ALTER TABLE "communities" DROP COLUMN "aims"`);
  }
}
