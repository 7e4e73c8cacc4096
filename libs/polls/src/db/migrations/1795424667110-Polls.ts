import { MigrationInterface, QueryRunner } from 'typeorm';

export class Polls1795424667110 implements MigrationInterface {
  name = 'Polls1795424667110';

  public async up(queryRunner: QueryRunner): Promise<void> {
    // TypeORM compares generated-column expressions through this table; it is created here
    // because the migration data source has no entities to make TypeORM create it.
    await queryRunner.query(`
            CREATE TABLE IF NOT EXISTS "typeorm_metadata" (
                "type" character varying NOT NULL,
                "database" character varying,
                "schema" character varying,
                "table" character varying,
                "name" character varying,
                "value" text
            )
        `);
    await queryRunner.query(
      `
            INSERT INTO "typeorm_metadata"("database", "schema", "table", "type", "name", "value")
            VALUES (current_database(), $1, $2, $3, $4, $5)
        `,
      [
        'public',
        'polls',
        'GENERATED_COLUMN',
        'search_vector',
        "setweight(to_tsvector('english', title), 'A') || setweight(to_tsvector('english', context_source), 'B')",
      ],
    );
    await queryRunner.query(`
            CREATE TABLE "polls" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "community_id" uuid NOT NULL,
                "created_by" uuid,
                "title" text NOT NULL,
                "context_source" text NOT NULL DEFAULT '',
                "context_html" text NOT NULL DEFAULT '',
                "status" text NOT NULL DEFAULT 'draft',
                "anonymous" boolean NOT NULL DEFAULT true,
                "allow_change" boolean NOT NULL DEFAULT false,
                "results_visibility" text NOT NULL DEFAULT 'after_close',
                "audience_professions" text array NOT NULL DEFAULT '{}',
                "audience_career_stages" text array NOT NULL DEFAULT '{}',
                "audience_regions" text array NOT NULL DEFAULT '{}',
                "opens_at" TIMESTAMP WITH TIME ZONE,
                "closes_at" TIMESTAMP WITH TIME ZONE,
                "remind_at" TIMESTAMP WITH TIME ZONE,
                "opened_at" TIMESTAMP WITH TIME ZONE,
                "closed_at" TIMESTAMP WITH TIME ZONE,
                "reminded_at" TIMESTAMP WITH TIME ZONE,
                "electorate_size" integer NOT NULL DEFAULT '0',
                "version" integer NOT NULL DEFAULT '1',
                "search_vector" tsvector GENERATED ALWAYS AS (
                    setweight(to_tsvector('english', title), 'A') || setweight(to_tsvector('english', context_source), 'B')
                ) STORED,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "ck_polls_anonymous_no_changes" CHECK (
                    NOT (
                        anonymous
                        AND allow_change
                    )
                ),
                CONSTRAINT "ck_polls_closes_after_opens" CHECK (
                    closes_at IS NULL
                    OR opens_at IS NULL
                    OR closes_at > opens_at
                ),
                CONSTRAINT "ck_polls_results_visibility" CHECK (results_visibility IN ('live', 'after_close')),
                CONSTRAINT "ck_polls_status" CHECK (
                    status IN ('draft', 'scheduled', 'open', 'closed')
                ),
                CONSTRAINT "PK_b9bbb8fc7b142553c518ddffbb6" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "ix_polls_status_closes_at" ON "polls" ("status", "closes_at")
        `);
    await queryRunner.query(`
            CREATE INDEX "ix_polls_status_opens_at" ON "polls" ("status", "opens_at")
        `);
    await queryRunner.query(`
            CREATE INDEX "ix_polls_community_id_created_at" ON "polls" ("community_id", "created_at", "id")
        `);
    await queryRunner.query(`
            CREATE INDEX "ix_polls_search_vector" ON "polls" USING GIN ("search_vector")
        `);
    await queryRunner.query(`
            CREATE TABLE "poll_questions" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "poll_id" uuid NOT NULL,
                "community_id" uuid NOT NULL,
                "position" integer NOT NULL,
                "kind" text NOT NULL,
                "prompt" text NOT NULL,
                "required" boolean NOT NULL DEFAULT true,
                "min_choices" integer NOT NULL DEFAULT '0',
                "max_choices" integer,
                CONSTRAINT "ck_poll_questions_choices" CHECK (
                    min_choices >= 0
                    AND (
                        max_choices IS NULL
                        OR max_choices >= min_choices
                    )
                ),
                CONSTRAINT "ck_poll_questions_kind" CHECK (
                    kind IN (
                        'single_choice',
                        'multiple_choice',
                        'likert',
                        'ranked',
                        'score',
                        'free_text'
                    )
                ),
                CONSTRAINT "PK_b72aec95331746de13fb5b62eeb" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE UNIQUE INDEX "ux_poll_questions_poll_id_position" ON "poll_questions" ("poll_id", "position")
        `);
    await queryRunner.query(`
            CREATE TABLE "poll_options" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "question_id" uuid NOT NULL,
                "poll_id" uuid NOT NULL,
                "position" integer NOT NULL,
                "label" text NOT NULL,
                CONSTRAINT "PK_f52aac4865d291e3658dedf9083" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "ix_poll_options_poll_id" ON "poll_options" ("poll_id")
        `);
    await queryRunner.query(`
            CREATE UNIQUE INDEX "ux_poll_options_question_id_position" ON "poll_options" ("question_id", "position")
        `);
    await queryRunner.query(`
            CREATE TABLE "poll_electorate" (
                "poll_id" uuid NOT NULL,
                "user_id" uuid NOT NULL,
                "community_id" uuid NOT NULL,
                "profession" text NOT NULL,
                "career_stage" text NOT NULL,
                "region" text NOT NULL,
                "responded" boolean NOT NULL DEFAULT false,
                "responded_at" TIMESTAMP WITH TIME ZONE,
                CONSTRAINT "PK_ee601809ab067c3ac05c64b914a" PRIMARY KEY ("poll_id", "user_id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "ix_poll_electorate_poll_id_responded" ON "poll_electorate" ("poll_id", "responded")
        `);
    await queryRunner.query(`
            CREATE INDEX "ix_poll_electorate_user_id" ON "poll_electorate" ("user_id")
        `);
    await queryRunner.query(`
            CREATE TABLE "poll_ballots" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "poll_id" uuid NOT NULL,
                "user_id" uuid,
                "profession" text NOT NULL,
                "career_stage" text NOT NULL,
                "region" text NOT NULL,
                CONSTRAINT "PK_c116cc444d34284e898ea4ae69a" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE UNIQUE INDEX "ux_poll_ballots_poll_id_user_id" ON "poll_ballots" ("poll_id", "user_id")
            WHERE user_id IS NOT NULL
        `);
    await queryRunner.query(`
            CREATE INDEX "ix_poll_ballots_poll_id" ON "poll_ballots" ("poll_id")
        `);
    await queryRunner.query(`
            CREATE TABLE "poll_answers" (
                "ballot_id" uuid NOT NULL,
                "question_id" uuid NOT NULL,
                "ordinal" smallint NOT NULL,
                "poll_id" uuid NOT NULL,
                "option_id" uuid,
                "rank" smallint,
                "value" smallint,
                "text" text,
                "profession" text NOT NULL,
                "career_stage" text NOT NULL,
                "region" text NOT NULL,
                CONSTRAINT "ck_poll_answers_rank" CHECK (
                    rank IS NULL
                    OR rank >= 1
                ),
                CONSTRAINT "PK_51e6857f2fd253b7bfdd26bfc5a" PRIMARY KEY ("ballot_id", "question_id", "ordinal")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "ix_poll_answers_poll_id_question_id" ON "poll_answers" ("poll_id", "question_id")
        `);
    await queryRunner.query(`
            ALTER TABLE "polls"
            ADD CONSTRAINT "fk_polls_community_id" FOREIGN KEY ("community_id") REFERENCES "communities"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "poll_questions"
            ADD CONSTRAINT "fk_poll_questions_poll_id" FOREIGN KEY ("poll_id") REFERENCES "polls"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "poll_options"
            ADD CONSTRAINT "fk_poll_options_question_id" FOREIGN KEY ("question_id") REFERENCES "poll_questions"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "poll_electorate"
            ADD CONSTRAINT "fk_poll_electorate_poll_id" FOREIGN KEY ("poll_id") REFERENCES "polls"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "poll_electorate"
            ADD CONSTRAINT "fk_poll_electorate_user_id" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "poll_ballots"
            ADD CONSTRAINT "fk_poll_ballots_poll_id" FOREIGN KEY ("poll_id") REFERENCES "polls"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "poll_ballots"
            ADD CONSTRAINT "fk_poll_ballots_user_id" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE
            SET NULL ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "poll_answers"
            ADD CONSTRAINT "fk_poll_answers_ballot_id" FOREIGN KEY ("ballot_id") REFERENCES "poll_ballots"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "poll_answers"
            ADD CONSTRAINT "fk_poll_answers_question_id" FOREIGN KEY ("question_id") REFERENCES "poll_questions"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "poll_answers"
            ADD CONSTRAINT "fk_poll_answers_option_id" FOREIGN KEY ("option_id") REFERENCES "poll_options"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            ALTER TABLE "poll_answers" DROP CONSTRAINT "fk_poll_answers_option_id"
        `);
    await queryRunner.query(`
            ALTER TABLE "poll_answers" DROP CONSTRAINT "fk_poll_answers_question_id"
        `);
    await queryRunner.query(`
            ALTER TABLE "poll_answers" DROP CONSTRAINT "fk_poll_answers_ballot_id"
        `);
    await queryRunner.query(`
            ALTER TABLE "poll_ballots" DROP CONSTRAINT "fk_poll_ballots_user_id"
        `);
    await queryRunner.query(`
            ALTER TABLE "poll_ballots" DROP CONSTRAINT "fk_poll_ballots_poll_id"
        `);
    await queryRunner.query(`
            ALTER TABLE "poll_electorate" DROP CONSTRAINT "fk_poll_electorate_user_id"
        `);
    await queryRunner.query(`
            ALTER TABLE "poll_electorate" DROP CONSTRAINT "fk_poll_electorate_poll_id"
        `);
    await queryRunner.query(`
            ALTER TABLE "poll_options" DROP CONSTRAINT "fk_poll_options_question_id"
        `);
    await queryRunner.query(`
            ALTER TABLE "poll_questions" DROP CONSTRAINT "fk_poll_questions_poll_id"
        `);
    await queryRunner.query(`
            ALTER TABLE "polls" DROP CONSTRAINT "fk_polls_community_id"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."ix_poll_answers_poll_id_question_id"
        `);
    await queryRunner.query(`
            DROP TABLE "poll_answers"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."ix_poll_ballots_poll_id"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."ux_poll_ballots_poll_id_user_id"
        `);
    await queryRunner.query(`
            DROP TABLE "poll_ballots"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."ix_poll_electorate_user_id"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."ix_poll_electorate_poll_id_responded"
        `);
    await queryRunner.query(`
            DROP TABLE "poll_electorate"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."ux_poll_options_question_id_position"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."ix_poll_options_poll_id"
        `);
    await queryRunner.query(`
            DROP TABLE "poll_options"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."ux_poll_questions_poll_id_position"
        `);
    await queryRunner.query(`
            DROP TABLE "poll_questions"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."ix_polls_search_vector"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."ix_polls_community_id_created_at"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."ix_polls_status_opens_at"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."ix_polls_status_closes_at"
        `);
    await queryRunner.query(`
            DROP TABLE "polls"
        `);
    await queryRunner.query(`
            DELETE FROM "typeorm_metadata" WHERE "type" = 'GENERATED_COLUMN' AND "table" = 'polls'
        `);
  }
}
