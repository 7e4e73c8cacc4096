import { MigrationInterface, QueryRunner } from 'typeorm';

export class Foundation1795339334972 implements MigrationInterface {
  name = 'Foundation1795339334972';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            CREATE TABLE "audit_log" (
                "id" BIGSERIAL NOT NULL,
                "community_id" uuid,
                "actor_id" uuid,
                "action" text NOT NULL,
                "target_type" text NOT NULL,
                "target_id" text,
                "data" jsonb NOT NULL DEFAULT '{}'::jsonb,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_07fefa57f7f5ab8fc3f52b3ed0b" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "ix_audit_log_community_id_id" ON "audit_log" ("community_id", "id")
        `);
    await queryRunner.query(`
            CREATE TABLE "users" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "email" text NOT NULL,
                "password_hash" text NOT NULL,
                "display_name" text NOT NULL,
                "profession" text NOT NULL,
                "career_stage" text NOT NULL,
                "region" text NOT NULL,
                "organisation" text NOT NULL DEFAULT '',
                "email_verified_at" TIMESTAMP WITH TIME ZONE,
                "is_admin" boolean NOT NULL DEFAULT false,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "ck_users_career_stage" CHECK (
                    career_stage IN ('trainee', 'qualified', 'senior')
                ),
                CONSTRAINT "ck_users_profession" CHECK (
                    profession IN ('PWP', 'CYWP', 'EMHP', 'MHWP', 'other')
                ),
                CONSTRAINT "ck_users_email_lower" CHECK (email = lower(email)),
                CONSTRAINT "PK_a3ffb1c0c8416b9fc6f907b7433" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE UNIQUE INDEX "ux_users_email" ON "users" ("email")
        `);
    await queryRunner.query(`
            CREATE TABLE "user_tokens" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "user_id" uuid NOT NULL,
                "kind" text NOT NULL,
                "token_hash" text NOT NULL,
                "expires_at" TIMESTAMP WITH TIME ZONE NOT NULL,
                "used_at" TIMESTAMP WITH TIME ZONE,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "ck_user_tokens_kind" CHECK (kind IN ('verify_email', 'reset_password')),
                CONSTRAINT "PK_63764db9d9aaa4af33e07b2f4bf" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "ix_user_tokens_user_id_kind" ON "user_tokens" ("user_id", "kind")
        `);
    await queryRunner.query(`
            CREATE UNIQUE INDEX "ux_user_tokens_token_hash" ON "user_tokens" ("token_hash")
        `);
    await queryRunner.query(`
            CREATE TABLE "refresh_tokens" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "family_id" uuid NOT NULL,
                "user_id" uuid NOT NULL,
                "token_hash" text NOT NULL,
                "expires_at" TIMESTAMP WITH TIME ZONE NOT NULL,
                "used_at" TIMESTAMP WITH TIME ZONE,
                "revoked_at" TIMESTAMP WITH TIME ZONE,
                "user_agent" text,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_7d8bee0204106019488c4c50ffa" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "ix_refresh_tokens_user_id" ON "refresh_tokens" ("user_id")
        `);
    await queryRunner.query(`
            CREATE INDEX "ix_refresh_tokens_family_id" ON "refresh_tokens" ("family_id")
        `);
    await queryRunner.query(`
            CREATE UNIQUE INDEX "ux_refresh_tokens_token_hash" ON "refresh_tokens" ("token_hash")
        `);
    await queryRunner.query(`
            CREATE TABLE "communities" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "slug" text NOT NULL,
                "name" text NOT NULL,
                "description" text NOT NULL DEFAULT '',
                "region" text NOT NULL,
                "auto_approve_domains" text array NOT NULL DEFAULT '{}',
                "breakdown_threshold" integer NOT NULL DEFAULT '5',
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "ck_communities_slug" CHECK (slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$'),
                CONSTRAINT "ck_communities_breakdown_threshold" CHECK (
                    breakdown_threshold BETWEEN 2 AND 100
                ),
                CONSTRAINT "PK_fea1fe83c86ccde9d0a089e7ea2" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE UNIQUE INDEX "ux_communities_slug" ON "communities" ("slug")
        `);
    await queryRunner.query(`
            CREATE TABLE "memberships" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "community_id" uuid NOT NULL,
                "user_id" uuid NOT NULL,
                "status" text NOT NULL,
                "role" text NOT NULL DEFAULT 'member',
                "decided_by" uuid,
                "decided_at" TIMESTAMP WITH TIME ZONE,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "ck_memberships_role" CHECK (role IN ('member', 'moderator', 'co_chair')),
                CONSTRAINT "ck_memberships_status" CHECK (
                    status IN ('pending', 'approved', 'rejected', 'suspended')
                ),
                CONSTRAINT "PK_25d28bd932097a9e90495ede7b4" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "ix_memberships_community_id_status_created_at" ON "memberships" ("community_id", "status", "created_at", "id")
        `);
    await queryRunner.query(`
            CREATE INDEX "ix_memberships_user_id" ON "memberships" ("user_id")
        `);
    await queryRunner.query(`
            CREATE UNIQUE INDEX "ux_memberships_community_id_user_id" ON "memberships" ("community_id", "user_id")
        `);
    await queryRunner.query(`
            CREATE TABLE "mail_outbox" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "recipient" text NOT NULL,
                "template" text NOT NULL,
                "params" jsonb NOT NULL,
                "status" text NOT NULL DEFAULT 'pending',
                "dedupe_key" text,
                "attempts" integer NOT NULL DEFAULT '0',
                "next_attempt_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "locked_until" TIMESTAMP WITH TIME ZONE,
                "last_error" text,
                "subject" text,
                "body_text" text,
                "body_html" text,
                "transport" text,
                "sent_at" TIMESTAMP WITH TIME ZONE,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "ck_mail_outbox_status" CHECK (status IN ('pending', 'sending', 'sent', 'dead')),
                CONSTRAINT "PK_fecc63c96385bc35a39ccf2a72e" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "ix_mail_outbox_recipient" ON "mail_outbox" ("recipient")
        `);
    await queryRunner.query(`
            CREATE INDEX "ix_mail_outbox_status_created_at" ON "mail_outbox" ("status", "created_at")
        `);
    await queryRunner.query(`
            CREATE INDEX "ix_mail_outbox_due" ON "mail_outbox" ("next_attempt_at")
            WHERE status IN ('pending', 'sending')
        `);
    await queryRunner.query(`
            CREATE UNIQUE INDEX "ux_mail_outbox_dedupe_key" ON "mail_outbox" ("dedupe_key")
            WHERE dedupe_key IS NOT NULL
        `);
    await queryRunner.query(`
            ALTER TABLE "user_tokens"
            ADD CONSTRAINT "fk_user_tokens_user_id" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "refresh_tokens"
            ADD CONSTRAINT "fk_refresh_tokens_user_id" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "memberships"
            ADD CONSTRAINT "fk_memberships_community_id" FOREIGN KEY ("community_id") REFERENCES "communities"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "memberships"
            ADD CONSTRAINT "fk_memberships_user_id" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            ALTER TABLE "memberships" DROP CONSTRAINT "fk_memberships_user_id"
        `);
    await queryRunner.query(`
            ALTER TABLE "memberships" DROP CONSTRAINT "fk_memberships_community_id"
        `);
    await queryRunner.query(`
            ALTER TABLE "refresh_tokens" DROP CONSTRAINT "fk_refresh_tokens_user_id"
        `);
    await queryRunner.query(`
            ALTER TABLE "user_tokens" DROP CONSTRAINT "fk_user_tokens_user_id"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."ux_mail_outbox_dedupe_key"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."ix_mail_outbox_due"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."ix_mail_outbox_status_created_at"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."ix_mail_outbox_recipient"
        `);
    await queryRunner.query(`
            DROP TABLE "mail_outbox"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."ux_memberships_community_id_user_id"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."ix_memberships_user_id"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."ix_memberships_community_id_status_created_at"
        `);
    await queryRunner.query(`
            DROP TABLE "memberships"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."ux_communities_slug"
        `);
    await queryRunner.query(`
            DROP TABLE "communities"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."ux_refresh_tokens_token_hash"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."ix_refresh_tokens_family_id"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."ix_refresh_tokens_user_id"
        `);
    await queryRunner.query(`
            DROP TABLE "refresh_tokens"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."ux_user_tokens_token_hash"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."ix_user_tokens_user_id_kind"
        `);
    await queryRunner.query(`
            DROP TABLE "user_tokens"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."ux_users_email"
        `);
    await queryRunner.query(`
            DROP TABLE "users"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."ix_audit_log_community_id_id"
        `);
    await queryRunner.query(`
            DROP TABLE "audit_log"
        `);
  }
}
