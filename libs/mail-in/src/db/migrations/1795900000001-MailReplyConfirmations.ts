import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * An emailed reply that did not prove its sender (no aligned DMARC or DKIM pass) waits here until the
 * member confirms it through a single-use link mailed to their registered address. Only the token's
 * SHA-256 is stored; `used_at` is set in the transaction that posts the reply, so a link posts once.
 */
export class MailReplyConfirmations1795900000001 implements MigrationInterface {
  name = 'MailReplyConfirmations1795900000001';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE "mail_reply_confirmations" (
        "id" uuid NOT NULL DEFAULT gen_random_uuid(),
        "token_hash" text NOT NULL,
        "inbound_message_id" uuid NOT NULL,
        "community_id" uuid NOT NULL,
        "user_id" uuid NOT NULL,
        "thread_id" uuid NOT NULL,
        "body" text NOT NULL,
        "created_at" timestamptz NOT NULL DEFAULT now(),
        "expires_at" timestamptz NOT NULL,
        "used_at" timestamptz,
        "post_id" uuid,
        CONSTRAINT "pk_mail_reply_confirmations" PRIMARY KEY ("id"),
        CONSTRAINT "ux_mail_reply_confirmations_token_hash" UNIQUE ("token_hash"),
        CONSTRAINT "ux_mail_reply_confirmations_inbound_message_id" UNIQUE ("inbound_message_id"),
        CONSTRAINT "fk_mail_reply_confirmations_inbound_message_id" FOREIGN KEY ("inbound_message_id")
          REFERENCES "inbound_messages"("id") ON DELETE CASCADE,
        CONSTRAINT "fk_mail_reply_confirmations_community_id" FOREIGN KEY ("community_id")
          REFERENCES "communities"("id") ON DELETE CASCADE,
        CONSTRAINT "fk_mail_reply_confirmations_user_id" FOREIGN KEY ("user_id")
          REFERENCES "users"("id") ON DELETE CASCADE,
        CONSTRAINT "fk_mail_reply_confirmations_thread_id" FOREIGN KEY ("thread_id")
          REFERENCES "forum_threads"("id") ON DELETE CASCADE,
        CONSTRAINT "fk_mail_reply_confirmations_post_id" FOREIGN KEY ("post_id")
          REFERENCES "forum_posts"("id") ON DELETE SET NULL
      )`);
    await queryRunner.query(
      `CREATE INDEX "ix_mail_reply_confirmations_user_created" ON "mail_reply_confirmations" ("user_id", "created_at")`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "mail_reply_confirmations"`);
  }
}
