import { MigrationInterface, QueryRunner } from 'typeorm';

export class ForumCategoryVersion1795860000000 implements MigrationInterface {
  name = 'ForumCategoryVersion1795860000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    // A category's version: bumped whenever what the category list shows of it changes (its own
    // fields, or how many threads it holds); readers key the cached list by it.
    await queryRunner.query(`
            ALTER TABLE "forum_categories" ADD "version" integer NOT NULL DEFAULT '1'
        `);
    // Hand-written: triggers, so that every way a category or its threads change (edits, reorders,
    // merges, new, moved and deleted threads, whichever service does it) bumps the version in the
    // same transaction. Replies (post counts, latest activity) do not touch the category row.
    await queryRunner.query(`
            CREATE FUNCTION forum_category_changed() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                IF NEW.version = OLD.version THEN
                    NEW.version := OLD.version + 1;
                END IF;
                RETURN NEW;
            END
            $$
        `);
    await queryRunner.query(`
            CREATE TRIGGER forum_category_changed BEFORE UPDATE ON "forum_categories"
            FOR EACH ROW EXECUTE FUNCTION forum_category_changed()
        `);
    await queryRunner.query(`
            CREATE FUNCTION forum_category_threads_changed() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                IF TG_OP <> 'DELETE' THEN
                    UPDATE forum_categories SET version = version + 1 WHERE id = NEW.category_id;
                END IF;
                IF TG_OP = 'DELETE' OR (TG_OP = 'UPDATE' AND OLD.category_id IS DISTINCT FROM NEW.category_id) THEN
                    UPDATE forum_categories SET version = version + 1 WHERE id = OLD.category_id;
                END IF;
                RETURN NULL;
            END
            $$
        `);
    await queryRunner.query(`
            CREATE TRIGGER forum_category_threads_added AFTER INSERT OR DELETE ON "forum_threads"
            FOR EACH ROW EXECUTE FUNCTION forum_category_threads_changed()
        `);
    await queryRunner.query(`
            CREATE TRIGGER forum_category_threads_moved AFTER UPDATE OF category_id, deleted_at ON "forum_threads"
            FOR EACH ROW WHEN (OLD.category_id IS DISTINCT FROM NEW.category_id OR OLD.deleted_at IS DISTINCT FROM NEW.deleted_at)
            EXECUTE FUNCTION forum_category_threads_changed()
        `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TRIGGER forum_category_threads_moved ON "forum_threads"`);
    await queryRunner.query(`DROP TRIGGER forum_category_threads_added ON "forum_threads"`);
    await queryRunner.query(`DROP FUNCTION forum_category_threads_changed()`);
    await queryRunner.query(`DROP TRIGGER forum_category_changed ON "forum_categories"`);
    await queryRunner.query(`DROP FUNCTION forum_category_changed()`);
    await queryRunner.query(`ALTER TABLE "forum_categories" DROP COLUMN "version"`);
  }
}
