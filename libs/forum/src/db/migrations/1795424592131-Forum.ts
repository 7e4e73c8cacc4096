import { MigrationInterface, QueryRunner } from 'typeorm';

export class Forum1795424592131 implements MigrationInterface {
  name = 'Forum1795424592131';

  public async up(queryRunner: QueryRunner): Promise<void> {
    // TypeORM records generated-column expressions here (the migration runner has no entities, so it
    // does not create the table itself). Same shape as TypeORM's own.
    await queryRunner.query(`
            CREATE TABLE IF NOT EXISTS "typeorm_metadata" (
                "type" varchar NOT NULL,
                "database" varchar NULL,
                "schema" varchar NULL,
                "table" varchar NULL,
                "name" varchar NULL,
                "value" text NULL
            )
        `);
    await queryRunner.query(`
            CREATE TABLE "forum_categories" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "community_id" uuid NOT NULL,
                "name" text NOT NULL,
                "description" text NOT NULL DEFAULT '',
                "position" integer NOT NULL DEFAULT '0',
                "post_policy" text NOT NULL DEFAULT 'members',
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "ck_forum_categories_post_policy" CHECK (post_policy IN ('members', 'co_chairs')),
                CONSTRAINT "PK_502afa07fc57ce4b302dc00217e" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "ix_forum_categories_community_id_position" ON "forum_categories" ("community_id", "position", "id")
        `);
    await queryRunner.query(`
            CREATE UNIQUE INDEX "ux_forum_categories_community_id_name" ON "forum_categories" ("community_id", "name")
        `);
    await queryRunner.query(
      `
            INSERT INTO "typeorm_metadata"(
                    "database",
                    "schema",
                    "table",
                    "type",
                    "name",
                    "value"
                )
            VALUES (current_database(), $1, $2, $3, $4, $5)
        `,
      ['public', 'forum_threads', 'GENERATED_COLUMN', 'search', "setweight(to_tsvector('english', title), 'A')"],
    );
    await queryRunner.query(`
            CREATE TABLE "forum_threads" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "community_id" uuid NOT NULL,
                "category_id" uuid NOT NULL,
                "author_id" uuid,
                "title" text NOT NULL,
                "pinned" boolean NOT NULL DEFAULT false,
                "locked" boolean NOT NULL DEFAULT false,
                "post_count" integer NOT NULL DEFAULT '0',
                "last_post_at" TIMESTAMP WITH TIME ZONE NOT NULL,
                "deleted_at" TIMESTAMP WITH TIME ZONE,
                "search" tsvector GENERATED ALWAYS AS (setweight(to_tsvector('english', title), 'A')) STORED NOT NULL,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "ck_forum_threads_post_count" CHECK (post_count >= 0),
                CONSTRAINT "PK_38ce39ab347624dee46e0d11e95" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "ix_forum_threads_category_latest" ON "forum_threads" ("category_id", "pinned", "last_post_at", "id")
            WHERE deleted_at IS NULL
        `);
    await queryRunner.query(`
            CREATE INDEX "ix_forum_threads_community_latest" ON "forum_threads" ("community_id", "pinned", "last_post_at", "id")
            WHERE deleted_at IS NULL
        `);
    await queryRunner.query(
      `
            INSERT INTO "typeorm_metadata"(
                    "database",
                    "schema",
                    "table",
                    "type",
                    "name",
                    "value"
                )
            VALUES (current_database(), $1, $2, $3, $4, $5)
        `,
      ['public', 'forum_posts', 'GENERATED_COLUMN', 'search', "to_tsvector('english', body_text)"],
    );
    await queryRunner.query(`
            CREATE TABLE "forum_posts" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "community_id" uuid NOT NULL,
                "thread_id" uuid NOT NULL,
                "post_number" integer NOT NULL,
                "author_id" uuid,
                "body_source" text NOT NULL,
                "body_html" text NOT NULL,
                "body_text" text NOT NULL,
                "quoted_post_id" uuid,
                "version" integer NOT NULL DEFAULT '1',
                "reaction_counts" jsonb NOT NULL DEFAULT '{}',
                "edited_at" TIMESTAMP WITH TIME ZONE,
                "hidden_at" TIMESTAMP WITH TIME ZONE,
                "hidden_by" uuid,
                "hidden_reason" text,
                "deleted_at" TIMESTAMP WITH TIME ZONE,
                "deleted_by" uuid,
                "search" tsvector GENERATED ALWAYS AS (to_tsvector('english', body_text)) STORED NOT NULL,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_3e9c301114a0fd42c998681b04e" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "ix_forum_posts_community_id_created_at" ON "forum_posts" ("community_id", "created_at")
        `);
    await queryRunner.query(`
            CREATE INDEX "ix_forum_posts_author_id" ON "forum_posts" ("author_id")
        `);
    await queryRunner.query(`
            CREATE UNIQUE INDEX "ux_forum_posts_thread_id_post_number" ON "forum_posts" ("thread_id", "post_number")
        `);
    await queryRunner.query(`
            CREATE TABLE "forum_post_revisions" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "community_id" uuid NOT NULL,
                "post_id" uuid NOT NULL,
                "version" integer NOT NULL,
                "body_source" text NOT NULL,
                "body_html" text NOT NULL,
                "edited_by" uuid,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_324fe7c4ef9fae3c35f6824aff9" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE UNIQUE INDEX "ux_forum_post_revisions_post_id_version" ON "forum_post_revisions" ("post_id", "version")
        `);
    await queryRunner.query(`
            CREATE TABLE "forum_reactions" (
                "post_id" uuid NOT NULL,
                "user_id" uuid NOT NULL,
                "kind" text NOT NULL,
                "community_id" uuid NOT NULL,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "ck_forum_reactions_kind" CHECK (
                    kind IN ('like', 'thanks', 'insightful', 'support')
                ),
                CONSTRAINT "PK_499ffbba614bd9a71a05dab399b" PRIMARY KEY ("post_id", "user_id", "kind")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "ix_forum_reactions_user_id" ON "forum_reactions" ("user_id")
        `);
    await queryRunner.query(`
            CREATE TABLE "forum_bookmarks" (
                "user_id" uuid NOT NULL,
                "post_id" uuid NOT NULL,
                "community_id" uuid NOT NULL,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_a05734dad8077c803ecbb226839" PRIMARY KEY ("user_id", "post_id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "ix_forum_bookmarks_user_community_created" ON "forum_bookmarks" (
                "user_id",
                "community_id",
                "created_at",
                "post_id"
            )
        `);
    await queryRunner.query(`
            CREATE TABLE "forum_subscriptions" (
                "user_id" uuid NOT NULL,
                "thread_id" uuid NOT NULL,
                "community_id" uuid NOT NULL,
                "level" text NOT NULL,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "ck_forum_subscriptions_level" CHECK (level IN ('watching', 'muted')),
                CONSTRAINT "PK_1b42cef04b381ec89f9122889b4" PRIMARY KEY ("user_id", "thread_id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "ix_forum_subscriptions_thread_id_level" ON "forum_subscriptions" ("thread_id", "level")
        `);
    await queryRunner.query(`
            CREATE TABLE "forum_read_states" (
                "user_id" uuid NOT NULL,
                "thread_id" uuid NOT NULL,
                "community_id" uuid NOT NULL,
                "last_read_post_number" integer NOT NULL DEFAULT '0',
                "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_9885165975f5bd88da7619b6a35" PRIMARY KEY ("user_id", "thread_id")
            )
        `);
    await queryRunner.query(`
            CREATE TABLE "forum_flags" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "community_id" uuid NOT NULL,
                "post_id" uuid NOT NULL,
                "reporter_id" uuid,
                "reason" text NOT NULL,
                "status" text NOT NULL DEFAULT 'open',
                "resolved_by" uuid,
                "resolved_at" TIMESTAMP WITH TIME ZONE,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "ck_forum_flags_status" CHECK (status IN ('open', 'dismissed', 'actioned')),
                CONSTRAINT "PK_3094e7800a11bdbac238beabaac" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "ix_forum_flags_community_status_created" ON "forum_flags" ("community_id", "status", "created_at", "id")
        `);
    await queryRunner.query(`
            CREATE UNIQUE INDEX "ux_forum_flags_open_post_reporter" ON "forum_flags" ("post_id", "reporter_id")
            WHERE status = 'open'
        `);
    await queryRunner.query(`
            ALTER TABLE "forum_categories"
            ADD CONSTRAINT "fk_forum_categories_community_id" FOREIGN KEY ("community_id") REFERENCES "communities"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "forum_threads"
            ADD CONSTRAINT "fk_forum_threads_community_id" FOREIGN KEY ("community_id") REFERENCES "communities"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "forum_threads"
            ADD CONSTRAINT "fk_forum_threads_category_id" FOREIGN KEY ("category_id") REFERENCES "forum_categories"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "forum_threads"
            ADD CONSTRAINT "fk_forum_threads_author_id" FOREIGN KEY ("author_id") REFERENCES "users"("id") ON DELETE
            SET NULL ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "forum_posts"
            ADD CONSTRAINT "fk_forum_posts_community_id" FOREIGN KEY ("community_id") REFERENCES "communities"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "forum_posts"
            ADD CONSTRAINT "fk_forum_posts_thread_id" FOREIGN KEY ("thread_id") REFERENCES "forum_threads"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "forum_posts"
            ADD CONSTRAINT "fk_forum_posts_author_id" FOREIGN KEY ("author_id") REFERENCES "users"("id") ON DELETE
            SET NULL ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "forum_posts"
            ADD CONSTRAINT "fk_forum_posts_quoted_post_id" FOREIGN KEY ("quoted_post_id") REFERENCES "forum_posts"("id") ON DELETE
            SET NULL ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "forum_post_revisions"
            ADD CONSTRAINT "fk_forum_post_revisions_post_id" FOREIGN KEY ("post_id") REFERENCES "forum_posts"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "forum_reactions"
            ADD CONSTRAINT "fk_forum_reactions_post_id" FOREIGN KEY ("post_id") REFERENCES "forum_posts"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "forum_reactions"
            ADD CONSTRAINT "fk_forum_reactions_user_id" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "forum_bookmarks"
            ADD CONSTRAINT "fk_forum_bookmarks_user_id" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "forum_bookmarks"
            ADD CONSTRAINT "fk_forum_bookmarks_post_id" FOREIGN KEY ("post_id") REFERENCES "forum_posts"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "forum_subscriptions"
            ADD CONSTRAINT "fk_forum_subscriptions_user_id" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "forum_subscriptions"
            ADD CONSTRAINT "fk_forum_subscriptions_thread_id" FOREIGN KEY ("thread_id") REFERENCES "forum_threads"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "forum_read_states"
            ADD CONSTRAINT "fk_forum_read_states_user_id" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "forum_read_states"
            ADD CONSTRAINT "fk_forum_read_states_thread_id" FOREIGN KEY ("thread_id") REFERENCES "forum_threads"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "forum_flags"
            ADD CONSTRAINT "fk_forum_flags_post_id" FOREIGN KEY ("post_id") REFERENCES "forum_posts"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
    // Full-text search: GIN over the generated tsvector columns (the generator cannot express these).
    await queryRunner.query(`CREATE INDEX "ix_forum_posts_search" ON "forum_posts" USING GIN ("search")`);
    await queryRunner.query(`CREATE INDEX "ix_forum_threads_search" ON "forum_threads" USING GIN ("search")`);
    await queryRunner.query(`
            ALTER TABLE "forum_flags"
            ADD CONSTRAINT "fk_forum_flags_reporter_id" FOREIGN KEY ("reporter_id") REFERENCES "users"("id") ON DELETE
            SET NULL ON UPDATE NO ACTION
        `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."ix_forum_threads_search"`);
    await queryRunner.query(`DROP INDEX "public"."ix_forum_posts_search"`);
    await queryRunner.query(`
            ALTER TABLE "forum_flags" DROP CONSTRAINT "fk_forum_flags_reporter_id"
        `);
    await queryRunner.query(`
            ALTER TABLE "forum_flags" DROP CONSTRAINT "fk_forum_flags_post_id"
        `);
    await queryRunner.query(`
            ALTER TABLE "forum_read_states" DROP CONSTRAINT "fk_forum_read_states_thread_id"
        `);
    await queryRunner.query(`
            ALTER TABLE "forum_read_states" DROP CONSTRAINT "fk_forum_read_states_user_id"
        `);
    await queryRunner.query(`
            ALTER TABLE "forum_subscriptions" DROP CONSTRAINT "fk_forum_subscriptions_thread_id"
        `);
    await queryRunner.query(`
            ALTER TABLE "forum_subscriptions" DROP CONSTRAINT "fk_forum_subscriptions_user_id"
        `);
    await queryRunner.query(`
            ALTER TABLE "forum_bookmarks" DROP CONSTRAINT "fk_forum_bookmarks_post_id"
        `);
    await queryRunner.query(`
            ALTER TABLE "forum_bookmarks" DROP CONSTRAINT "fk_forum_bookmarks_user_id"
        `);
    await queryRunner.query(`
            ALTER TABLE "forum_reactions" DROP CONSTRAINT "fk_forum_reactions_user_id"
        `);
    await queryRunner.query(`
            ALTER TABLE "forum_reactions" DROP CONSTRAINT "fk_forum_reactions_post_id"
        `);
    await queryRunner.query(`
            ALTER TABLE "forum_post_revisions" DROP CONSTRAINT "fk_forum_post_revisions_post_id"
        `);
    await queryRunner.query(`
            ALTER TABLE "forum_posts" DROP CONSTRAINT "fk_forum_posts_quoted_post_id"
        `);
    await queryRunner.query(`
            ALTER TABLE "forum_posts" DROP CONSTRAINT "fk_forum_posts_author_id"
        `);
    await queryRunner.query(`
            ALTER TABLE "forum_posts" DROP CONSTRAINT "fk_forum_posts_thread_id"
        `);
    await queryRunner.query(`
            ALTER TABLE "forum_posts" DROP CONSTRAINT "fk_forum_posts_community_id"
        `);
    await queryRunner.query(`
            ALTER TABLE "forum_threads" DROP CONSTRAINT "fk_forum_threads_author_id"
        `);
    await queryRunner.query(`
            ALTER TABLE "forum_threads" DROP CONSTRAINT "fk_forum_threads_category_id"
        `);
    await queryRunner.query(`
            ALTER TABLE "forum_threads" DROP CONSTRAINT "fk_forum_threads_community_id"
        `);
    await queryRunner.query(`
            ALTER TABLE "forum_categories" DROP CONSTRAINT "fk_forum_categories_community_id"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."ux_forum_flags_open_post_reporter"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."ix_forum_flags_community_status_created"
        `);
    await queryRunner.query(`
            DROP TABLE "forum_flags"
        `);
    await queryRunner.query(`
            DROP TABLE "forum_read_states"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."ix_forum_subscriptions_thread_id_level"
        `);
    await queryRunner.query(`
            DROP TABLE "forum_subscriptions"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."ix_forum_bookmarks_user_community_created"
        `);
    await queryRunner.query(`
            DROP TABLE "forum_bookmarks"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."ix_forum_reactions_user_id"
        `);
    await queryRunner.query(`
            DROP TABLE "forum_reactions"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."ux_forum_post_revisions_post_id_version"
        `);
    await queryRunner.query(`
            DROP TABLE "forum_post_revisions"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."ux_forum_posts_thread_id_post_number"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."ix_forum_posts_author_id"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."ix_forum_posts_community_id_created_at"
        `);
    await queryRunner.query(`
            DROP TABLE "forum_posts"
        `);
    await queryRunner.query(
      `
            DELETE FROM "typeorm_metadata"
            WHERE "type" = $1
                AND "name" = $2
                AND "database" = current_database()
                AND "schema" = $3
                AND "table" = $4
        `,
      ['GENERATED_COLUMN', 'search', 'public', 'forum_posts'],
    );
    await queryRunner.query(`
            DROP INDEX "public"."ix_forum_threads_community_latest"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."ix_forum_threads_category_latest"
        `);
    await queryRunner.query(`
            DROP TABLE "forum_threads"
        `);
    await queryRunner.query(
      `
            DELETE FROM "typeorm_metadata"
            WHERE "type" = $1
                AND "name" = $2
                AND "database" = current_database()
                AND "schema" = $3
                AND "table" = $4
        `,
      ['GENERATED_COLUMN', 'search', 'public', 'forum_threads'],
    );
    await queryRunner.query(`
            DROP INDEX "public"."ux_forum_categories_community_id_name"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."ix_forum_categories_community_id_position"
        `);
    await queryRunner.query(`
            DROP TABLE "forum_categories"
        `);
  }
}
