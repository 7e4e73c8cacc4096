import { MigrationInterface, QueryRunner } from 'typeorm';

export class Events1795424854225 implements MigrationInterface {
  name = 'Events1795424854225';

  public async up(queryRunner: QueryRunner): Promise<void> {
    const [{ db }] = await queryRunner.query(`SELECT current_database() AS db`);
    // TypeORM records generated-column expressions here; created by whichever migration needs it first.
    await queryRunner.query(`
            CREATE TABLE IF NOT EXISTS "typeorm_metadata" (
                "type" varchar NOT NULL, "database" varchar NULL, "schema" varchar NULL,
                "table" varchar NULL, "name" varchar NULL, "value" text NULL
            )
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
            VALUES ($1, $2, $3, $4, $5, $6)
        `,
      [
        db,
        'public',
        'events',
        'GENERATED_COLUMN',
        'search',
        "setweight(to_tsvector('english', coalesce(title, '')), 'A') || setweight(to_tsvector('english', coalesce(description, '')), 'C')",
      ],
    );
    await queryRunner.query(`
            CREATE TABLE "events" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "community_id" uuid NOT NULL,
                "title" text NOT NULL,
                "description" text NOT NULL DEFAULT '',
                "description_html" text NOT NULL DEFAULT '',
                "starts_at" TIMESTAMP WITH TIME ZONE NOT NULL,
                "ends_at" TIMESTAMP WITH TIME ZONE NOT NULL,
                "location_kind" text NOT NULL,
                "join_url" text,
                "venue" text,
                "capacity" integer,
                "rsvp_deadline" TIMESTAMP WITH TIME ZONE,
                "visibility" text NOT NULL DEFAULT 'members',
                "audience_professions" text array NOT NULL DEFAULT '{}',
                "audience_stages" text array NOT NULL DEFAULT '{}',
                "cpd_hours" numeric(5, 2) NOT NULL DEFAULT '0',
                "reminder_offsets" integer array NOT NULL DEFAULT '{1440,60}',
                "status" text NOT NULL DEFAULT 'scheduled',
                "sequence" integer NOT NULL DEFAULT '0',
                "schedule_version" integer NOT NULL DEFAULT '1',
                "going_count" integer NOT NULL DEFAULT '0',
                "waitlist_count" integer NOT NULL DEFAULT '0',
                "waitlist_next" bigint NOT NULL DEFAULT '1',
                "check_in_code" text NOT NULL,
                "created_by" uuid,
                "cancelled_at" TIMESTAMP WITH TIME ZONE,
                "search" tsvector GENERATED ALWAYS AS (
                    setweight(to_tsvector('english', coalesce(title, '')), 'A') || setweight(
                        to_tsvector('english', coalesce(description, '')),
                        'C'
                    )
                ) STORED NOT NULL,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "ck_events_cpd_hours" CHECK (
                    cpd_hours >= 0
                    AND cpd_hours <= 100
                ),
                CONSTRAINT "ck_events_counts" CHECK (
                    going_count >= 0
                    AND waitlist_count >= 0
                ),
                CONSTRAINT "ck_events_going_within_capacity" CHECK (
                    capacity IS NULL
                    OR going_count <= capacity
                ),
                CONSTRAINT "ck_events_capacity" CHECK (
                    capacity IS NULL
                    OR capacity > 0
                ),
                CONSTRAINT "ck_events_visibility" CHECK (visibility IN ('members', 'public')),
                CONSTRAINT "ck_events_location_kind" CHECK (location_kind IN ('online', 'in_person')),
                CONSTRAINT "ck_events_status" CHECK (status IN ('scheduled', 'cancelled')),
                CONSTRAINT "ck_events_ends_after_starts" CHECK (ends_at > starts_at),
                CONSTRAINT "PK_40731c7151fe4be3116e45ddf73" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "ix_events_search" ON "events" USING GIN ("search")
        `);
    await queryRunner.query(`
            CREATE INDEX "ix_events_visibility_starts_at" ON "events" ("visibility", "community_id", "starts_at")
        `);
    await queryRunner.query(`
            CREATE INDEX "ix_events_community_id_starts_at" ON "events" ("community_id", "starts_at", "id")
        `);
    await queryRunner.query(`
            CREATE TABLE "event_rsvps" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "event_id" uuid NOT NULL,
                "community_id" uuid NOT NULL,
                "user_id" uuid NOT NULL,
                "status" text NOT NULL,
                "waitlist_position" bigint,
                "reminders" boolean NOT NULL DEFAULT true,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "ck_event_rsvps_waitlist_position" CHECK (
                    (status = 'waitlisted') = (waitlist_position IS NOT NULL)
                ),
                CONSTRAINT "ck_event_rsvps_status" CHECK (status IN ('going', 'waitlisted', 'not_going')),
                CONSTRAINT "PK_9b36694202531f62919c0bf5b35" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "ix_event_rsvps_user_id_status" ON "event_rsvps" ("user_id", "status")
        `);
    await queryRunner.query(`
            CREATE INDEX "ix_event_rsvps_event_id_status_position" ON "event_rsvps" ("event_id", "status", "waitlist_position")
        `);
    await queryRunner.query(`
            CREATE UNIQUE INDEX "ux_event_rsvps_event_id_user_id" ON "event_rsvps" ("event_id", "user_id")
        `);
    await queryRunner.query(`
            CREATE TABLE "event_reminder_slots" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "event_id" uuid NOT NULL,
                "community_id" uuid NOT NULL,
                "offset_minutes" integer NOT NULL,
                "schedule_version" integer NOT NULL,
                "due_at" TIMESTAMP WITH TIME ZONE NOT NULL,
                "status" text NOT NULL DEFAULT 'pending',
                "processed_at" TIMESTAMP WITH TIME ZONE,
                "recipients" integer NOT NULL DEFAULT '0',
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "ck_event_reminder_slots_status" CHECK (
                    status IN ('pending', 'sent', 'missed', 'superseded')
                ),
                CONSTRAINT "PK_1e545bf045bf30077126daa29a5" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "ix_event_reminder_slots_pending_due_at" ON "event_reminder_slots" ("due_at")
            WHERE status = 'pending'
        `);
    await queryRunner.query(`
            CREATE UNIQUE INDEX "ux_event_reminder_slots_plan" ON "event_reminder_slots" ("event_id", "offset_minutes", "schedule_version")
        `);
    await queryRunner.query(`
            CREATE TABLE "event_reminder_deliveries" (
                "slot_id" uuid NOT NULL,
                "user_id" uuid NOT NULL,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_f5858b358010e3ac5cd06b0ffa7" PRIMARY KEY ("slot_id", "user_id")
            )
        `);
    await queryRunner.query(`
            CREATE TABLE "event_attendance" (
                "event_id" uuid NOT NULL,
                "user_id" uuid NOT NULL,
                "community_id" uuid NOT NULL,
                "method" text NOT NULL,
                "title" text NOT NULL,
                "starts_at" TIMESTAMP WITH TIME ZONE NOT NULL,
                "ends_at" TIMESTAMP WITH TIME ZONE NOT NULL,
                "cpd_hours" numeric(5, 2) NOT NULL,
                "profession" text NOT NULL,
                "career_stage" text NOT NULL,
                "marked_by" uuid,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "ck_event_attendance_method" CHECK (method IN ('marked', 'check_in')),
                CONSTRAINT "PK_53f181c0c52655c94bcfbe78333" PRIMARY KEY ("event_id", "user_id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "ix_event_attendance_user_id" ON "event_attendance" ("user_id", "starts_at")
        `);
    await queryRunner.query(`
            CREATE TABLE "calendar_feed_tokens" (
                "user_id" uuid NOT NULL,
                "token_hash" text NOT NULL,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_91dd5d95930f79852080990fd66" PRIMARY KEY ("user_id")
            )
        `);
    await queryRunner.query(`
            CREATE UNIQUE INDEX "ux_calendar_feed_tokens_token_hash" ON "calendar_feed_tokens" ("token_hash")
        `);
    await queryRunner.query(`
            ALTER TABLE "events"
            ADD CONSTRAINT "fk_events_community_id" FOREIGN KEY ("community_id") REFERENCES "communities"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "event_rsvps"
            ADD CONSTRAINT "fk_event_rsvps_event_id" FOREIGN KEY ("event_id") REFERENCES "events"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "event_rsvps"
            ADD CONSTRAINT "fk_event_rsvps_user_id" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "event_reminder_slots"
            ADD CONSTRAINT "fk_event_reminder_slots_event_id" FOREIGN KEY ("event_id") REFERENCES "events"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "event_reminder_deliveries"
            ADD CONSTRAINT "fk_event_reminder_deliveries_slot_id" FOREIGN KEY ("slot_id") REFERENCES "event_reminder_slots"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "event_reminder_deliveries"
            ADD CONSTRAINT "fk_event_reminder_deliveries_user_id" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "event_attendance"
            ADD CONSTRAINT "fk_event_attendance_event_id" FOREIGN KEY ("event_id") REFERENCES "events"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "event_attendance"
            ADD CONSTRAINT "fk_event_attendance_user_id" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "calendar_feed_tokens"
            ADD CONSTRAINT "fk_calendar_feed_tokens_user_id" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    const [{ db }] = await queryRunner.query(`SELECT current_database() AS db`);
    await queryRunner.query(`
            ALTER TABLE "calendar_feed_tokens" DROP CONSTRAINT "fk_calendar_feed_tokens_user_id"
        `);
    await queryRunner.query(`
            ALTER TABLE "event_attendance" DROP CONSTRAINT "fk_event_attendance_user_id"
        `);
    await queryRunner.query(`
            ALTER TABLE "event_attendance" DROP CONSTRAINT "fk_event_attendance_event_id"
        `);
    await queryRunner.query(`
            ALTER TABLE "event_reminder_deliveries" DROP CONSTRAINT "fk_event_reminder_deliveries_user_id"
        `);
    await queryRunner.query(`
            ALTER TABLE "event_reminder_deliveries" DROP CONSTRAINT "fk_event_reminder_deliveries_slot_id"
        `);
    await queryRunner.query(`
            ALTER TABLE "event_reminder_slots" DROP CONSTRAINT "fk_event_reminder_slots_event_id"
        `);
    await queryRunner.query(`
            ALTER TABLE "event_rsvps" DROP CONSTRAINT "fk_event_rsvps_user_id"
        `);
    await queryRunner.query(`
            ALTER TABLE "event_rsvps" DROP CONSTRAINT "fk_event_rsvps_event_id"
        `);
    await queryRunner.query(`
            ALTER TABLE "events" DROP CONSTRAINT "fk_events_community_id"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."ux_calendar_feed_tokens_token_hash"
        `);
    await queryRunner.query(`
            DROP TABLE "calendar_feed_tokens"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."ix_event_attendance_user_id"
        `);
    await queryRunner.query(`
            DROP TABLE "event_attendance"
        `);
    await queryRunner.query(`
            DROP TABLE "event_reminder_deliveries"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."ux_event_reminder_slots_plan"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."ix_event_reminder_slots_pending_due_at"
        `);
    await queryRunner.query(`
            DROP TABLE "event_reminder_slots"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."ux_event_rsvps_event_id_user_id"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."ix_event_rsvps_event_id_status_position"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."ix_event_rsvps_user_id_status"
        `);
    await queryRunner.query(`
            DROP TABLE "event_rsvps"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."ix_events_community_id_starts_at"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."ix_events_visibility_starts_at"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."ix_events_search"
        `);
    await queryRunner.query(`
            DROP TABLE "events"
        `);
    await queryRunner.query(
      `
            DELETE FROM "typeorm_metadata"
            WHERE "type" = $1
                AND "name" = $2
                AND "database" = $3
                AND "schema" = $4
                AND "table" = $5
        `,
      ['GENERATED_COLUMN', 'search', db, 'public', 'events'],
    );
  }
}
