import { MigrationInterface, QueryRunner } from 'typeorm';

export class Notifications1795339911860 implements MigrationInterface {
  name = 'Notifications1795339911860';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            CREATE TABLE "notifications" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "user_id" uuid NOT NULL,
                "community_id" uuid,
                "kind" text NOT NULL,
                "title" text NOT NULL,
                "body" text NOT NULL DEFAULT '',
                "url" text NOT NULL,
                "data" jsonb NOT NULL DEFAULT '{}'::jsonb,
                "read_at" TIMESTAMP WITH TIME ZONE,
                "digest_pending" boolean NOT NULL DEFAULT false,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "ck_notifications_kind" CHECK (
                    kind IN (
                        'forum_reply',
                        'forum_mention',
                        'forum_quote',
                        'event_update',
                        'event_reminder',
                        'event_waitlist',
                        'poll_invitation',
                        'poll_reminder',
                        'poll_results',
                        'membership'
                    )
                ),
                CONSTRAINT "PK_6a72c3c0f683f6462415e653c3a" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "ix_notifications_digest" ON "notifications" ("user_id")
            WHERE digest_pending
        `);
    await queryRunner.query(`
            CREATE INDEX "ix_notifications_unread" ON "notifications" ("user_id")
            WHERE read_at IS NULL
        `);
    await queryRunner.query(`
            CREATE INDEX "ix_notifications_user_id_created_at" ON "notifications" ("user_id", "created_at", "id")
        `);
    await queryRunner.query(`
            CREATE TABLE "notification_preferences" (
                "user_id" uuid NOT NULL,
                "kind" text NOT NULL,
                "channel" text NOT NULL,
                CONSTRAINT "ck_notification_preferences_channel" CHECK (channel IN ('in_app', 'email', 'digest', 'off')),
                CONSTRAINT "PK_4beeeb46feaf58d75e124c8ba58" PRIMARY KEY ("user_id", "kind")
            )
        `);
    await queryRunner.query(`
            ALTER TABLE "notifications"
            ADD CONSTRAINT "fk_notifications_user_id" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "notification_preferences"
            ADD CONSTRAINT "fk_notification_preferences_user_id" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            ALTER TABLE "notification_preferences" DROP CONSTRAINT "fk_notification_preferences_user_id"
        `);
    await queryRunner.query(`
            ALTER TABLE "notifications" DROP CONSTRAINT "fk_notifications_user_id"
        `);
    await queryRunner.query(`
            DROP TABLE "notification_preferences"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."ix_notifications_user_id_created_at"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."ix_notifications_unread"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."ix_notifications_digest"
        `);
    await queryRunner.query(`
            DROP TABLE "notifications"
        `);
  }
}
