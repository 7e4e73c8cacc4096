import { MigrationInterface, QueryRunner } from 'typeorm';

export class ForumSpeed1795755476473 implements MigrationInterface {
  name = 'ForumSpeed1795755476473';

  public async up(queryRunner: QueryRunner): Promise<void> {
    // The thread's version: bumped in the transaction of every write that changes what its pages or
    // its summary show; readers key cached pages by it.
    await queryRunner.query(`
            ALTER TABLE "forum_threads" ADD "version" integer NOT NULL DEFAULT '1'
        `);
    // The outbox of notification fan-out: one row per new post, written with the post, deleted by the
    // job that notifies its watchers (in the job's own transaction).
    await queryRunner.query(`
            CREATE TABLE "forum_post_fanouts" (
                "post_id" uuid NOT NULL,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "pk_forum_post_fanouts" PRIMARY KEY ("post_id")
            )
        `);
    await queryRunner.query(`
            ALTER TABLE "forum_post_fanouts"
            ADD CONSTRAINT "fk_forum_post_fanouts_post_id" FOREIGN KEY ("post_id") REFERENCES "forum_posts"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
    // Hand-written: a renamed or de-identified author ("Former member" on account closure) changes
    // every page showing their posts, whichever module did the update, so the bump is a trigger in
    // the same transaction. A thread's author always wrote its post 1, so posts cover threads too.
    await queryRunner.query(`
            CREATE FUNCTION forum_author_renamed() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                UPDATE forum_threads SET version = version + 1
                 WHERE id IN (SELECT DISTINCT thread_id FROM forum_posts WHERE author_id = NEW.id);
                RETURN NULL;
            END
            $$
        `);
    await queryRunner.query(`
            CREATE TRIGGER forum_author_renamed AFTER UPDATE OF display_name ON "users"
            FOR EACH ROW WHEN (OLD.display_name IS DISTINCT FROM NEW.display_name)
            EXECUTE FUNCTION forum_author_renamed()
        `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TRIGGER forum_author_renamed ON "users"`);
    await queryRunner.query(`DROP FUNCTION forum_author_renamed()`);
    await queryRunner.query(`DROP TABLE "forum_post_fanouts"`);
    await queryRunner.query(`ALTER TABLE "forum_threads" DROP COLUMN "version"`);
  }
}
