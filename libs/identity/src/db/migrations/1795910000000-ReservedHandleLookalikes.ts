import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Reserved words are compared with handles as they read, not as they are spelt: `adm1n`, `c0chair`,
 * `every0ne` and `f0rmer-member` pass for the word they imitate in a mention or a profile card.
 *
 * - `handle_reserved_skeleton` reads a handle the way `reservedSkeleton` in
 *   libs/identity/src/services/handle.ts does (the two must agree; the handles e2e suite checks they
 *   do): `-` `_` `.` dropped, `1` and capital `I` read as i or as l (both readings are tried), lower
 *   case, other digits as the letters they resemble, `rn` as `m`, `vv` as `w`. `handle_is_reserved`
 *   compares both readings with the reserved words.
 * - `pick_handle` (new accounts, suggestions) is replaced to skip any handle that reads as reserved.
 * - Existing handles that read as reserved are renamed with `pick_handle` from the display name. In the
 *   same statement as each rename the owner gets a bell notification (kind `account`) and an email
 *   (`identity.handle-changed`, through the outbox; the worker's reconciler sends pending rows), so no
 *   one's handle changes unannounced. Closed accounts (`former-…`) never read as reserved.
 *
 * `up` is written to be safe to run again (the handles e2e suite runs it on a seeded account).
 */
export const RESERVED_HANDLE_WORDS = [
  'admin',
  'administrator',
  'admins',
  'moderator',
  'moderators',
  'mod',
  'cochair',
  'co-chair',
  'co_chair',
  'cochairs',
  'everyone',
  'everybody',
  'all',
  'here',
  'channel',
  'members',
  'member',
  'cophub',
  'support',
  'system',
  'staff',
  'help',
  'root',
  'nhs',
  'me',
  'you',
  'null',
  'undefined',
  'anonymous',
  'former-member',
  'formermember',
  'notifications',
  'noreply',
  'no-reply',
  'postmaster',
  'abuse',
  'security',
];

const PICK_HANDLE_BEFORE = `
  CREATE OR REPLACE FUNCTION pick_handle(display_name text, exclude_user uuid DEFAULT NULL) RETURNS text LANGUAGE plpgsql
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
  $$`;

async function kinds(queryRunner: QueryRunner): Promise<string[]> {
  const [row] = (await queryRunner.query(
    `SELECT pg_get_constraintdef(oid) AS def FROM pg_constraint WHERE conname = 'ck_notifications_kind'`,
  )) as Array<{ def: string }>;
  return [...row.def.matchAll(/'([a-z_]+)'/g)].map((m) => m[1]);
}

async function setKinds(queryRunner: QueryRunner, list: string[]): Promise<void> {
  await queryRunner.query(`ALTER TABLE "notifications" DROP CONSTRAINT "ck_notifications_kind"`);
  await queryRunner.query(
    `ALTER TABLE "notifications" ADD CONSTRAINT "ck_notifications_kind" CHECK (kind IN (${list
      .map((k) => `'${k}'`)
      .join(', ')}))`,
  );
}

export class ReservedHandleLookalikes1795910000000 implements MigrationInterface {
  name = 'ReservedHandleLookalikes1795910000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE OR REPLACE FUNCTION handle_reserved_skeleton(handle text, one_as text) RETURNS text
      LANGUAGE sql IMMUTABLE PARALLEL SAFE
      AS $$
        SELECT replace(replace(translate(lower(translate(regexp_replace(handle, '[-_.]', '', 'g'),
                                                         '1I', one_as || one_as)),
                                         '023456789', 'ozeasgtbg'),
                               'rn', 'm'),
                       'vv', 'w')
      $$`);
    const words = RESERVED_HANDLE_WORDS.map((w) => `'${w}'`).join(', ');
    await queryRunner.query(`
      CREATE OR REPLACE FUNCTION handle_is_reserved(handle text) RETURNS boolean LANGUAGE sql IMMUTABLE PARALLEL SAFE
      AS $$
        SELECT EXISTS (SELECT 1 FROM unnest(ARRAY[${words}]) AS w
                        WHERE handle_reserved_skeleton(w, 'i') IN (handle_reserved_skeleton(handle, 'i'),
                                                                   handle_reserved_skeleton(handle, 'l')))
      $$`);
    await queryRunner.query(`
      CREATE OR REPLACE FUNCTION pick_handle(display_name text, exclude_user uuid DEFAULT NULL) RETURNS text LANGUAGE plpgsql
      AS $$
      DECLARE
        base text := left(lower(regexp_replace(display_name, '[^A-Za-z0-9]', '', 'g')), 24);
        candidate text;
        width int := 2;
      BEGIN
        IF length(base) < 3 THEN base := 'member' || base; END IF;
        candidate := base;
        PERFORM pg_advisory_xact_lock(hashtext('users.handle:' || handle_skeleton(base)));
        WHILE handle_is_reserved(candidate)
              OR EXISTS (SELECT 1 FROM users u
                          WHERE handle_skeleton(u.handle) = handle_skeleton(candidate)
                            AND (exclude_user IS NULL OR u.id <> exclude_user)) LOOP
          candidate := base || (floor(random() * (10 ^ width - 10 ^ (width - 1))) + 10 ^ (width - 1))::bigint;
          width := least(width + 1, 6);
        END LOOP;
        RETURN candidate;
      END
      $$`);

    const existing = await kinds(queryRunner);
    if (!existing.includes('account')) await setKinds(queryRunner, [...existing, 'account']);

    // One statement per account: the rename, the bell notification and the email commit together.
    await queryRunner.query(`
      DO $$
      DECLARE
        r record;
        fresh text;
      BEGIN
        FOR r IN SELECT id, handle, display_name, email FROM users
                  WHERE closed_at IS NULL AND handle_is_reserved(handle)
                  ORDER BY created_at, id LOOP
          fresh := pick_handle(r.display_name, r.id);
          UPDATE users SET handle = fresh WHERE id = r.id;
          INSERT INTO notifications (user_id, community_id, kind, title, body, url, data)
          VALUES (r.id, NULL, 'account', 'Your handle is now @' || fresh,
                  'Your handle @' || r.handle || ' read like a reserved word (such as admin, co-chair or everyone), '
                    || 'so it has been changed to @' || fresh || '. You can choose another on your profile.',
                  '/profile',
                  jsonb_build_object('reason', 'handle_reserved', 'oldHandle', r.handle, 'newHandle', fresh));
          INSERT INTO mail_outbox (recipient, template, params, dedupe_key)
          VALUES (r.email, 'identity.handle-changed',
                  jsonb_build_object('displayName', r.display_name, 'oldHandle', r.handle, 'newHandle', fresh),
                  'handle-changed:' || r.id || ':' || fresh)
          ON CONFLICT DO NOTHING;
        END LOOP;
      END
      $$`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    // Renamed handles stay renamed: the old ones read as reserved words.
    await queryRunner.query(PICK_HANDLE_BEFORE);
    await queryRunner.query(`DROP FUNCTION handle_is_reserved(text)`);
    await queryRunner.query(`DROP FUNCTION handle_reserved_skeleton(text, text)`);
    await queryRunner.query(`DELETE FROM "notifications" WHERE kind = 'account'`);
    await queryRunner.query(`DELETE FROM "notification_preferences" WHERE kind = 'account'`);
    await setKinds(
      queryRunner,
      (await kinds(queryRunner)).filter((k) => k !== 'account'),
    );
  }
}
