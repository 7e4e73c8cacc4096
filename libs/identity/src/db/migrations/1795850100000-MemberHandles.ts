import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Member handles for `@mentions`, unique platform-wide: a handle names one person wherever they are a
 * member, so a mention, a profile card and a notification always mean the same person.
 *
 * - `handle_skeleton` folds case and the ASCII look-alikes (0/o, 1/l/i, _/-): the unique index is on
 *   it, so "Sam_O" and "sam-0" cannot both exist. Handles are ASCII letters, digits, `_` and `-`
 *   (the check constraint), so no other script's confusables and no invisible characters get in.
 * - `pick_handle` proposes a free handle from a display name (letters and digits, lower-cased; a
 *   number added when taken or reserved). Every new account gets one from a trigger (the member may
 *   change it), and existing accounts get one here. An advisory lock per skeleton makes two sign-ups
 *   with the same name wait for each other instead of both picking the same handle.
 * - Mentions store the mentioned member's id at write time (`forum_post_mentions`); pages show their
 *   current handle, so a change of handle bumps the version of every thread that mentions them.
 */
export class MemberHandles1795850100000 implements MigrationInterface {
  name = 'MemberHandles1795850100000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE FUNCTION handle_skeleton(handle text) RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE
      AS $$ SELECT translate(lower(handle), '01i_', 'oll-') $$`);
    await queryRunner.query(`
      CREATE FUNCTION pick_handle(display_name text, exclude_user uuid DEFAULT NULL) RETURNS text LANGUAGE plpgsql
      AS $$
      DECLARE
        base text := left(lower(regexp_replace(display_name, '[^A-Za-z0-9]', '', 'g')), 24);
        candidate text;
        width int := 2;
      BEGIN
        IF length(base) < 3 THEN base := 'member' || base; END IF;
        candidate := base;
        PERFORM pg_advisory_xact_lock(hashtext('users.handle:' || handle_skeleton(base)));
        WHILE candidate = ANY(ARRAY['admin', 'administrator', 'moderator', 'mod', 'cochair', 'co-chair', 'co_chair',
                                    'everyone', 'all', 'here', 'channel', 'members', 'member', 'cophub', 'support',
                                    'system', 'staff', 'help', 'root', 'nhs', 'me', 'you', 'null', 'undefined',
                                    'anonymous', 'former-member', 'formermember', 'notifications', 'noreply', 'no-reply'])
              OR EXISTS (SELECT 1 FROM users u
                          WHERE handle_skeleton(u.handle) = handle_skeleton(candidate)
                            AND (exclude_user IS NULL OR u.id <> exclude_user)) LOOP
          candidate := base || (floor(random() * (10 ^ width - 10 ^ (width - 1))) + 10 ^ (width - 1))::bigint;
          width := least(width + 1, 6);
        END LOOP;
        RETURN candidate;
      END
      $$`);
    await queryRunner.query(`ALTER TABLE "users" ADD "handle" text`);
    await queryRunner.query(`CREATE UNIQUE INDEX "ux_users_handle" ON "users" (handle_skeleton("handle"))`);
    await queryRunner.query(`CREATE INDEX "ix_users_handle_lower" ON "users" (lower("handle"))`);
    await queryRunner.query(`
      DO $$
      DECLARE r record;
      BEGIN
        FOR r IN SELECT id, display_name FROM users ORDER BY created_at, id LOOP
          UPDATE users SET handle = pick_handle(r.display_name) WHERE id = r.id;
        END LOOP;
      END
      $$`);
    await queryRunner.query(`ALTER TABLE "users" ALTER COLUMN "handle" SET NOT NULL`);
    await queryRunner.query(
      `ALTER TABLE "users" ADD CONSTRAINT "ck_users_handle" CHECK (handle ~ '^[A-Za-z0-9][A-Za-z0-9_-]{2,29}$')`,
    );
    await queryRunner.query(`
      CREATE FUNCTION users_assign_handle() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF NEW.handle IS NULL THEN NEW.handle := pick_handle(NEW.display_name); END IF;
        RETURN NEW;
      END
      $$`);
    await queryRunner.query(`
      CREATE TRIGGER users_assign_handle BEFORE INSERT ON "users"
      FOR EACH ROW EXECUTE FUNCTION users_assign_handle()`);

    await queryRunner.query(`
      CREATE TABLE "forum_post_mentions" (
        "post_id" uuid NOT NULL,
        "user_id" uuid NOT NULL,
        "community_id" uuid NOT NULL,
        "thread_id" uuid NOT NULL,
        "handle" text NOT NULL,
        CONSTRAINT "pk_forum_post_mentions" PRIMARY KEY ("post_id", "user_id"),
        CONSTRAINT "fk_forum_post_mentions_post_id" FOREIGN KEY ("post_id") REFERENCES "forum_posts"("id") ON DELETE CASCADE,
        CONSTRAINT "fk_forum_post_mentions_user_id" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE,
        CONSTRAINT "fk_forum_post_mentions_community_id" FOREIGN KEY ("community_id") REFERENCES "communities"("id") ON DELETE CASCADE
      )`);
    await queryRunner.query(`CREATE INDEX "ix_forum_post_mentions_user_id" ON "forum_post_mentions" ("user_id", "thread_id")`);
    // A page shows the mentioned member's current handle: changing it changes every page mentioning them.
    await queryRunner.query(`
      CREATE FUNCTION forum_mention_renamed() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        UPDATE forum_threads SET version = version + 1
         WHERE id IN (SELECT DISTINCT thread_id FROM forum_post_mentions WHERE user_id = NEW.id);
        RETURN NULL;
      END
      $$`);
    await queryRunner.query(`
      CREATE TRIGGER forum_mention_renamed AFTER UPDATE OF handle ON "users"
      FOR EACH ROW WHEN (OLD.handle IS DISTINCT FROM NEW.handle)
      EXECUTE FUNCTION forum_mention_renamed()`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TRIGGER forum_mention_renamed ON "users"`);
    await queryRunner.query(`DROP FUNCTION forum_mention_renamed()`);
    await queryRunner.query(`DROP TABLE "forum_post_mentions"`);
    await queryRunner.query(`DROP TRIGGER users_assign_handle ON "users"`);
    await queryRunner.query(`DROP FUNCTION users_assign_handle()`);
    await queryRunner.query(`ALTER TABLE "users" DROP COLUMN "handle"`);
    await queryRunner.query(`DROP FUNCTION pick_handle(text, uuid)`);
    await queryRunner.query(`DROP FUNCTION handle_skeleton(text)`);
  }
}
