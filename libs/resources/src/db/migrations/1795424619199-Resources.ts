import { MigrationInterface, QueryRunner } from 'typeorm';

export class Resources1795424619199 implements MigrationInterface {
  name = 'Resources1795424619199';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            CREATE TABLE "resources" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "community_id" uuid NOT NULL,
                "title" text NOT NULL,
                "description" text NOT NULL DEFAULT '',
                "description_html" text NOT NULL DEFAULT '',
                "tags" text array NOT NULL DEFAULT '{}',
                "professions" text array NOT NULL DEFAULT '{}',
                "career_stages" text array NOT NULL DEFAULT '{}',
                "event_id" uuid,
                "current_version_no" integer NOT NULL DEFAULT '0',
                "body_text" text NOT NULL DEFAULT '',
                "document" tsvector,
                "created_by" uuid NOT NULL,
                "archived_at" TIMESTAMP WITH TIME ZONE,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "ck_resources_current_version_no" CHECK (current_version_no >= 0),
                CONSTRAINT "ck_resources_title" CHECK (
                    char_length(title) BETWEEN 1 AND 200
                ),
                CONSTRAINT "PK_632484ab9dff41bba94f9b7c85e" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "ix_resources_event_id" ON "resources" ("event_id")
        `);
    // Hand-written: the search document is kept by a trigger rather than a generated column, because
    // TypeORM's schema diff cannot read generated columns it did not create itself.
    await queryRunner.query(`
            CREATE FUNCTION resources_document_trigger() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                NEW.document := setweight(to_tsvector('english', coalesce(NEW.title, '')), 'A')
                    || setweight(to_tsvector('english', coalesce(array_to_string(NEW.tags, ' '), '')), 'B')
                    || setweight(to_tsvector('english', coalesce(NEW.description, '')), 'C')
                    || setweight(to_tsvector('english', coalesce(NEW.body_text, '')), 'D');
                RETURN NEW;
            END
            $$
        `);
    await queryRunner.query(`
            CREATE TRIGGER resources_document BEFORE INSERT OR UPDATE OF title, tags, description, body_text
            ON "resources" FOR EACH ROW EXECUTE FUNCTION resources_document_trigger()
        `);
    // Hand-written: full-text and tag lookups (the entity declares these with synchronize: false).
    await queryRunner.query(`
            CREATE INDEX "ix_resources_document" ON "resources" USING GIN ("document")
        `);
    await queryRunner.query(`
            CREATE INDEX "ix_resources_tags" ON "resources" USING GIN ("tags")
        `);
    await queryRunner.query(`
            CREATE INDEX "ix_resources_community_id_created_at" ON "resources" ("community_id", "created_at", "id")
        `);
    await queryRunner.query(`
            CREATE TABLE "resource_versions" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "resource_id" uuid NOT NULL,
                "community_id" uuid NOT NULL,
                "version_no" integer NOT NULL,
                "kind" text NOT NULL,
                "storage_key" text,
                "url" text,
                "file_name" text NOT NULL,
                "media_type" text,
                "size_bytes" bigint,
                "sha256" text,
                "extraction_status" text NOT NULL DEFAULT 'pending',
                "extracted_text" text,
                "extraction_error" text,
                "uploaded_by" uuid NOT NULL,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "ck_resource_versions_file_or_link" CHECK (
                    (
                        kind = 'file'
                        AND storage_key IS NOT NULL
                        AND sha256 IS NOT NULL
                        AND size_bytes IS NOT NULL
                        AND url IS NULL
                    )
                    OR (
                        kind = 'link'
                        AND url IS NOT NULL
                        AND storage_key IS NULL
                    )
                ),
                CONSTRAINT "ck_resource_versions_extraction_status" CHECK (
                    extraction_status IN ('pending', 'done', 'failed', 'none')
                ),
                CONSTRAINT "ck_resource_versions_kind" CHECK (kind IN ('file', 'link')),
                CONSTRAINT "PK_0fdf88be192638792c201ab55d1" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "ix_resource_versions_pending" ON "resource_versions" ("created_at")
            WHERE extraction_status = 'pending'
        `);
    await queryRunner.query(`
            CREATE INDEX "ix_resource_versions_community_id" ON "resource_versions" ("community_id")
        `);
    await queryRunner.query(`
            CREATE UNIQUE INDEX "ux_resource_versions_resource_id_version_no" ON "resource_versions" ("resource_id", "version_no")
        `);
    await queryRunner.query(`
            CREATE TABLE "resource_contributors" (
                "community_id" uuid NOT NULL,
                "user_id" uuid NOT NULL,
                "granted_by" uuid,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_223d6a941a7878ca007e0ea30d9" PRIMARY KEY ("community_id", "user_id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "ix_resource_contributors_user_id" ON "resource_contributors" ("user_id")
        `);
    await queryRunner.query(`
            ALTER TABLE "resources"
            ADD CONSTRAINT "fk_resources_community_id" FOREIGN KEY ("community_id") REFERENCES "communities"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "resources"
            ADD CONSTRAINT "fk_resources_created_by" FOREIGN KEY ("created_by") REFERENCES "users"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "resource_versions"
            ADD CONSTRAINT "fk_resource_versions_resource_id" FOREIGN KEY ("resource_id") REFERENCES "resources"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "resource_versions"
            ADD CONSTRAINT "fk_resource_versions_uploaded_by" FOREIGN KEY ("uploaded_by") REFERENCES "users"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "resource_contributors"
            ADD CONSTRAINT "fk_resource_contributors_community_id" FOREIGN KEY ("community_id") REFERENCES "communities"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "resource_contributors"
            ADD CONSTRAINT "fk_resource_contributors_user_id" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            ALTER TABLE "resource_contributors" DROP CONSTRAINT "fk_resource_contributors_user_id"
        `);
    await queryRunner.query(`
            ALTER TABLE "resource_contributors" DROP CONSTRAINT "fk_resource_contributors_community_id"
        `);
    await queryRunner.query(`
            ALTER TABLE "resource_versions" DROP CONSTRAINT "fk_resource_versions_uploaded_by"
        `);
    await queryRunner.query(`
            ALTER TABLE "resource_versions" DROP CONSTRAINT "fk_resource_versions_resource_id"
        `);
    await queryRunner.query(`
            ALTER TABLE "resources" DROP CONSTRAINT "fk_resources_created_by"
        `);
    await queryRunner.query(`
            ALTER TABLE "resources" DROP CONSTRAINT "fk_resources_community_id"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."ix_resource_contributors_user_id"
        `);
    await queryRunner.query(`
            DROP TABLE "resource_contributors"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."ux_resource_versions_resource_id_version_no"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."ix_resource_versions_community_id"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."ix_resource_versions_pending"
        `);
    await queryRunner.query(`
            DROP TABLE "resource_versions"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."ix_resources_community_id_created_at"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."ix_resources_event_id"
        `);
    await queryRunner.query(`
            DROP TABLE "resources"
        `);
    await queryRunner.query(`
            DROP FUNCTION resources_document_trigger()
        `);
  }
}
