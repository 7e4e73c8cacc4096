import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Cheaper unified search over long documents (see docs/search.md):
 * - `resources.rank_document`: a small tsvector (title A, tags B, description C, the first 600
 *   characters of the extracted text D) that ranking reads instead of the whole document's, which
 *   for a long PDF is tens of kilobytes to fetch from TOAST and decompress per candidate;
 * - no planner statistics on `resources.document`, so the planner estimates a search term as
 *   selective and matches through the GIN index: matching in a sequential scan would decompress every
 *   row's whole document, a cost the planner does not see.
 */
export class SearchRanking1795757197913 implements MigrationInterface {
  name = 'SearchRanking1795757197913';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "resources" ADD "rank_document" tsvector`);
    await queryRunner.query(`
            CREATE OR REPLACE FUNCTION resources_document_trigger() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                NEW.document := setweight(to_tsvector('english', coalesce(NEW.title, '')), 'A')
                    || setweight(to_tsvector('english', coalesce(array_to_string(NEW.tags, ' '), '')), 'B')
                    || setweight(to_tsvector('english', coalesce(NEW.description, '')), 'C')
                    || setweight(to_tsvector('english', coalesce(NEW.body_text, '')), 'D');
                NEW.rank_document := setweight(to_tsvector('english', coalesce(NEW.title, '')), 'A')
                    || setweight(to_tsvector('english', coalesce(array_to_string(NEW.tags, ' '), '')), 'B')
                    || setweight(to_tsvector('english', coalesce(NEW.description, '')), 'C')
                    || setweight(to_tsvector('english', left(coalesce(NEW.body_text, ''), 600)), 'D');
                RETURN NEW;
            END
            $$
        `);
    await queryRunner.query(`
            UPDATE "resources" SET rank_document = setweight(to_tsvector('english', title), 'A')
                || setweight(to_tsvector('english', array_to_string(tags, ' ')), 'B')
                || setweight(to_tsvector('english', description), 'C')
                || setweight(to_tsvector('english', left(body_text, 600)), 'D')
        `);
    await queryRunner.query(`ALTER TABLE "resources" ALTER COLUMN "document" SET STATISTICS 0`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "resources" ALTER COLUMN "document" SET STATISTICS -1`);
    await queryRunner.query(`
            CREATE OR REPLACE FUNCTION resources_document_trigger() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                NEW.document := setweight(to_tsvector('english', coalesce(NEW.title, '')), 'A')
                    || setweight(to_tsvector('english', coalesce(array_to_string(NEW.tags, ' '), '')), 'B')
                    || setweight(to_tsvector('english', coalesce(NEW.description, '')), 'C')
                    || setweight(to_tsvector('english', coalesce(NEW.body_text, '')), 'D');
                RETURN NEW;
            END
            $$
        `);
    await queryRunner.query(`ALTER TABLE "resources" DROP COLUMN "rank_document"`);
  }
}
