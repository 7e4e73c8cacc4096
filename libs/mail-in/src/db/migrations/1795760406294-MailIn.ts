import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Inbound mail: every accepted message (verdict, outcome, raw bytes until the retention passes),
 * submissions for co-chairs to review with their attachments, per-community mail settings,
 * per-member reply addresses for forum threads, and addresses that hard-bounced.
 */
export class MailIn1795760406294 implements MigrationInterface {
  name = 'MailIn1795760406294';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE "community_mail_settings" (
        "community_id" uuid NOT NULL,
        "enabled" boolean NOT NULL DEFAULT true,
        "accept_dmarc_failures" boolean NOT NULL DEFAULT false,
        "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        CONSTRAINT "pk_community_mail_settings" PRIMARY KEY ("community_id"),
        CONSTRAINT "fk_community_mail_settings_community_id" FOREIGN KEY ("community_id") REFERENCES "communities"("id") ON DELETE CASCADE
      )`);
    await queryRunner.query(`
      CREATE TABLE "inbound_messages" (
        "id" uuid NOT NULL DEFAULT gen_random_uuid(),
        "message_id" text NOT NULL,
        "source" text NOT NULL,
        "received_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        "envelope_from" text NOT NULL DEFAULT '',
        "envelope_to" text array NOT NULL DEFAULT '{}',
        "remote_ip" text,
        "helo" text,
        "from_address" text NOT NULL DEFAULT '',
        "subject" text NOT NULL DEFAULT '',
        "size_bytes" integer NOT NULL,
        "kind" text NOT NULL,
        "outcome" text NOT NULL,
        "reason" text,
        "community_id" uuid,
        "user_id" uuid,
        "auth" jsonb NOT NULL DEFAULT '{}',
        "dmarc" text NOT NULL DEFAULT 'none',
        "auto_submitted" boolean NOT NULL DEFAULT false,
        "raw" bytea,
        "raw_deleted_at" TIMESTAMP WITH TIME ZONE,
        CONSTRAINT "pk_inbound_messages" PRIMARY KEY ("id"),
        CONSTRAINT "ck_inbound_messages_source" CHECK (source IN ('smtp', 'webhook')),
        CONSTRAINT "ck_inbound_messages_kind" CHECK (kind IN ('submission', 'reply', 'bounce', 'other')),
        CONSTRAINT "fk_inbound_messages_community_id" FOREIGN KEY ("community_id") REFERENCES "communities"("id") ON DELETE CASCADE,
        CONSTRAINT "fk_inbound_messages_user_id" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE SET NULL
      )`);
    await queryRunner.query(
      `CREATE UNIQUE INDEX "ux_inbound_messages_message_id" ON "inbound_messages" ("message_id")`,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_inbound_messages_raw_received_at" ON "inbound_messages" ("received_at") WHERE raw IS NOT NULL`,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_inbound_messages_community_received" ON "inbound_messages" ("community_id", "received_at", "id")`,
    );
    await queryRunner.query(`
      CREATE TABLE "mail_submissions" (
        "id" uuid NOT NULL DEFAULT gen_random_uuid(),
        "community_id" uuid NOT NULL,
        "inbound_message_id" uuid NOT NULL,
        "address" text NOT NULL,
        "sender_id" uuid,
        "sender_address" text NOT NULL,
        "subject" text NOT NULL DEFAULT '',
        "body_text" text NOT NULL DEFAULT '',
        "status" text NOT NULL,
        "hold_reason" text,
        "decision_note" text,
        "decided_by" uuid,
        "decided_at" TIMESTAMP WITH TIME ZONE,
        "thread_id" uuid,
        "resource_id" uuid,
        "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        CONSTRAINT "pk_mail_submissions" PRIMARY KEY ("id"),
        CONSTRAINT "ck_mail_submissions_status" CHECK (status IN ('pending', 'held', 'publishing', 'published', 'declined')),
        CONSTRAINT "ck_mail_submissions_address" CHECK (address IN ('share', 'resources')),
        CONSTRAINT "fk_mail_submissions_community_id" FOREIGN KEY ("community_id") REFERENCES "communities"("id") ON DELETE CASCADE,
        CONSTRAINT "fk_mail_submissions_inbound_message_id" FOREIGN KEY ("inbound_message_id") REFERENCES "inbound_messages"("id") ON DELETE CASCADE,
        CONSTRAINT "fk_mail_submissions_sender_id" FOREIGN KEY ("sender_id") REFERENCES "users"("id") ON DELETE SET NULL,
        CONSTRAINT "fk_mail_submissions_decided_by" FOREIGN KEY ("decided_by") REFERENCES "users"("id") ON DELETE SET NULL,
        CONSTRAINT "fk_mail_submissions_thread_id" FOREIGN KEY ("thread_id") REFERENCES "forum_threads"("id") ON DELETE SET NULL,
        CONSTRAINT "fk_mail_submissions_resource_id" FOREIGN KEY ("resource_id") REFERENCES "resources"("id") ON DELETE SET NULL
      )`);
    await queryRunner.query(
      `CREATE UNIQUE INDEX "ux_mail_submissions_inbound_message_id" ON "mail_submissions" ("inbound_message_id")`,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_mail_submissions_community_status_created" ON "mail_submissions" ("community_id", "status", "created_at", "id")`,
    );
    await queryRunner.query(`
      CREATE TABLE "mail_submission_attachments" (
        "id" uuid NOT NULL DEFAULT gen_random_uuid(),
        "submission_id" uuid NOT NULL,
        "community_id" uuid NOT NULL,
        "position" integer NOT NULL,
        "file_name" text NOT NULL,
        "kind" text NOT NULL,
        "media_type" text NOT NULL,
        "size_bytes" bigint NOT NULL,
        "sha256" text NOT NULL,
        "storage_key" text,
        "resource_id" uuid,
        CONSTRAINT "pk_mail_submission_attachments" PRIMARY KEY ("id"),
        CONSTRAINT "fk_mail_submission_attachments_submission_id" FOREIGN KEY ("submission_id") REFERENCES "mail_submissions"("id") ON DELETE CASCADE,
        CONSTRAINT "fk_mail_submission_attachments_resource_id" FOREIGN KEY ("resource_id") REFERENCES "resources"("id") ON DELETE SET NULL
      )`);
    await queryRunner.query(
      `CREATE UNIQUE INDEX "ux_mail_submission_attachments_position" ON "mail_submission_attachments" ("submission_id", "position")`,
    );
    await queryRunner.query(`
      CREATE TABLE "forum_reply_tokens" (
        "id" uuid NOT NULL DEFAULT gen_random_uuid(),
        "user_id" uuid NOT NULL,
        "thread_id" uuid NOT NULL,
        "community_id" uuid NOT NULL,
        "expires_at" TIMESTAMP WITH TIME ZONE NOT NULL,
        "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        CONSTRAINT "pk_forum_reply_tokens" PRIMARY KEY ("id"),
        CONSTRAINT "fk_forum_reply_tokens_user_id" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE,
        CONSTRAINT "fk_forum_reply_tokens_thread_id" FOREIGN KEY ("thread_id") REFERENCES "forum_threads"("id") ON DELETE CASCADE
      )`);
    await queryRunner.query(
      `CREATE UNIQUE INDEX "ux_forum_reply_tokens_user_thread" ON "forum_reply_tokens" ("user_id", "thread_id")`,
    );
    await queryRunner.query(`
      CREATE TABLE "mail_suppressions" (
        "address" text NOT NULL,
        "reason" text NOT NULL,
        "status" text NOT NULL,
        "diagnostic" text NOT NULL DEFAULT '',
        "bounce_count" integer NOT NULL DEFAULT 1,
        "first_bounced_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        "last_bounced_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        CONSTRAINT "pk_mail_suppressions" PRIMARY KEY ("address"),
        CONSTRAINT "ck_mail_suppressions_address_lower" CHECK (address = lower(address))
      )`);
    await queryRunner.query(`ALTER TABLE "mail_outbox" DROP CONSTRAINT "ck_mail_outbox_status"`);
    await queryRunner.query(
      `ALTER TABLE "mail_outbox" ADD CONSTRAINT "ck_mail_outbox_status" CHECK (status IN ('pending', 'sending', 'sent', 'dead', 'suppressed'))`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`UPDATE "mail_outbox" SET status = 'dead' WHERE status = 'suppressed'`);
    await queryRunner.query(`ALTER TABLE "mail_outbox" DROP CONSTRAINT "ck_mail_outbox_status"`);
    await queryRunner.query(
      `ALTER TABLE "mail_outbox" ADD CONSTRAINT "ck_mail_outbox_status" CHECK (status IN ('pending', 'sending', 'sent', 'dead'))`,
    );
    await queryRunner.query(`DROP TABLE "mail_suppressions"`);
    await queryRunner.query(`DROP TABLE "forum_reply_tokens"`);
    await queryRunner.query(`DROP TABLE "mail_submission_attachments"`);
    await queryRunner.query(`DROP TABLE "mail_submissions"`);
    await queryRunner.query(`DROP TABLE "inbound_messages"`);
    await queryRunner.query(`DROP TABLE "community_mail_settings"`);
  }
}
