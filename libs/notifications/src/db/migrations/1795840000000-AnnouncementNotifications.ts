import { MigrationInterface, QueryRunner } from 'typeorm';

const KINDS_BEFORE = [
  'forum_reply',
  'forum_mention',
  'forum_quote',
  'event_update',
  'event_reminder',
  'event_waitlist',
  'event_rsvp',
  'poll_invitation',
  'poll_reminder',
  'poll_results',
  'membership',
  'moderation_flag',
];

function kindCheck(kinds: string[]): string {
  return `ALTER TABLE "notifications" ADD CONSTRAINT "ck_notifications_kind" CHECK (kind IN (${kinds
    .map((k) => `'${k}'`)
    .join(', ')}))`;
}

/** Co-chairs' announcements get their own notification kind, so members can choose how they hear of them. */
export class AnnouncementNotifications1795840000000 implements MigrationInterface {
  name = 'AnnouncementNotifications1795840000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "notifications" DROP CONSTRAINT "ck_notifications_kind"`);
    await queryRunner.query(kindCheck([...KINDS_BEFORE, 'announcement']));
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DELETE FROM "notifications" WHERE kind = 'announcement'`);
    await queryRunner.query(`DELETE FROM "notification_preferences" WHERE kind = 'announcement'`);
    await queryRunner.query(`ALTER TABLE "notifications" DROP CONSTRAINT "ck_notifications_kind"`);
    await queryRunner.query(kindCheck(KINDS_BEFORE));
  }
}
