import { MigrationInterface, QueryRunner } from 'typeorm';

/** Community pages (Terms of Reference, kickstarter notes, About) and every saved revision of them. */
export class CommunityPages1795757942841 implements MigrationInterface {
  name = 'CommunityPages1795757942841';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            CREATE TABLE "community_pages" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "community_id" uuid NOT NULL,
                "slug" text NOT NULL,
                "title" text NOT NULL,
                "body" text NOT NULL,
                "body_html" text NOT NULL,
                "visibility" text NOT NULL DEFAULT 'members',
                "revision" integer NOT NULL DEFAULT '1',
                "updated_by" uuid,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "pk_community_pages" PRIMARY KEY ("id"),
                CONSTRAINT "ck_community_pages_visibility" CHECK ("visibility" IN ('members', 'public')),
                CONSTRAINT "ck_community_pages_slug" CHECK ("slug" ~ '^[a-z0-9]+(-[a-z0-9]+)*$')
            )
        `);
    await queryRunner.query(`
            CREATE UNIQUE INDEX "uq_community_pages_community_id_slug" ON "community_pages" ("community_id", "slug")
        `);
    await queryRunner.query(`
            ALTER TABLE "community_pages"
            ADD CONSTRAINT "fk_community_pages_community_id" FOREIGN KEY ("community_id") REFERENCES "communities"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            CREATE TABLE "community_page_revisions" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "page_id" uuid NOT NULL,
                "community_id" uuid NOT NULL,
                "revision" integer NOT NULL,
                "title" text NOT NULL,
                "body" text NOT NULL,
                "visibility" text NOT NULL,
                "edited_by" uuid,
                "note" text NOT NULL DEFAULT '',
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "pk_community_page_revisions" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE UNIQUE INDEX "uq_community_page_revisions_page_id_revision" ON "community_page_revisions" ("page_id", "revision")
        `);
    await queryRunner.query(`
            ALTER TABLE "community_page_revisions"
            ADD CONSTRAINT "fk_community_page_revisions_page_id" FOREIGN KEY ("page_id") REFERENCES "community_pages"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "community_page_revisions"`);
    await queryRunner.query(`DROP TABLE "community_pages"`);
  }
}
