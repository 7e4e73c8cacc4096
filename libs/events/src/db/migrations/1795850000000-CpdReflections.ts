import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The CPD record as HCPC and BABCP audits ask for it: a reflection on each entry (learning outcomes,
 * how it changes practice, an evidence link) on attended events, and CPD that was not a CoP event
 * (a course, reading, supervision…) added by the member. Both are the member's own: no community owns them.
 */
export class CpdReflections1795850000000 implements MigrationInterface {
  name = 'CpdReflections1795850000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "event_attendance" ADD "learning_outcomes" text NOT NULL DEFAULT ''`);
    await queryRunner.query(`ALTER TABLE "event_attendance" ADD "reflection" text NOT NULL DEFAULT ''`);
    await queryRunner.query(`ALTER TABLE "event_attendance" ADD "evidence_url" text`);
    await queryRunner.query(`ALTER TABLE "event_attendance" ADD "reflected_at" TIMESTAMP WITH TIME ZONE`);
    await queryRunner.query(
      `CREATE TABLE "cpd_activities" (
         "id" uuid NOT NULL DEFAULT gen_random_uuid(),
         "user_id" uuid NOT NULL,
         "kind" text NOT NULL,
         "activity" text NOT NULL,
         "occurred_on" date NOT NULL,
         "hours" numeric(5,2) NOT NULL,
         "learning_outcomes" text NOT NULL DEFAULT '',
         "reflection" text NOT NULL DEFAULT '',
         "evidence_url" text,
         "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
         "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
         CONSTRAINT "ck_cpd_activities_kind" CHECK (kind IN ('course', 'reading', 'supervision', 'other')),
         CONSTRAINT "ck_cpd_activities_hours" CHECK (hours > 0 AND hours <= 100),
         CONSTRAINT "pk_cpd_activities" PRIMARY KEY ("id"),
         CONSTRAINT "fk_cpd_activities_user_id" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE
       )`,
    );
    await queryRunner.query(`CREATE INDEX "ix_cpd_activities_user_id" ON "cpd_activities" ("user_id", "occurred_on")`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "cpd_activities"`);
    await queryRunner.query(`ALTER TABLE "event_attendance" DROP COLUMN "reflected_at"`);
    await queryRunner.query(`ALTER TABLE "event_attendance" DROP COLUMN "evidence_url"`);
    await queryRunner.query(`ALTER TABLE "event_attendance" DROP COLUMN "reflection"`);
    await queryRunner.query(`ALTER TABLE "event_attendance" DROP COLUMN "learning_outcomes"`);
  }
}
