import { MigrationInterface, QueryRunner } from 'typeorm';

const KINDS_BEFORE = [
  'forum_reply',
  'forum_mention',
  'forum_quote',
  'event_update',
  'event_reminder',
  'event_waitlist',
  'poll_invitation',
  'poll_reminder',
  'poll_results',
  'membership',
];
const NEW_KINDS = ['event_rsvp', 'moderation_flag'];

function kindCheck(kinds: string[]): string {
  return `ALTER TABLE "notifications" ADD CONSTRAINT "ck_notifications_kind" CHECK (kind IN (${kinds
    .map((k) => `'${k}'`)
    .join(', ')}))`;
}

/** Two new notification kinds: RSVP confirmations, and reported posts for moderators. */
export class NotificationKinds1795755728234 implements MigrationInterface {
  name = 'NotificationKinds1795755728234';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "notifications" DROP CONSTRAINT "ck_notifications_kind"`);
    await queryRunner.query(kindCheck([...KINDS_BEFORE, ...NEW_KINDS]));
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DELETE FROM "notifications" WHERE kind = ANY($1::text[])`, [NEW_KINDS]);
    await queryRunner.query(`DELETE FROM "notification_preferences" WHERE kind = ANY($1::text[])`, [NEW_KINDS]);
    await queryRunner.query(`ALTER TABLE "notifications" DROP CONSTRAINT "ck_notifications_kind"`);
    await queryRunner.query(kindCheck(KINDS_BEFORE));
  }
}
