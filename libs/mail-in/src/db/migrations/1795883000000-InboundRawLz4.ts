import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Raw inbound messages are compressed with lz4 instead of PostgreSQL's default pglz: a raw message
 * is mostly base64 of attachments that are compressed already (PDF, Office), where pglz spends the
 * most time for the least gain, and each message is written once and rarely read. Rows stored
 * before keep their compression. A server built without lz4 keeps pglz (nothing else changes).
 */
export class InboundRawLz41795883000000 implements MigrationInterface {
  name = 'InboundRawLz41795883000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      DO $$
      BEGIN
        ALTER TABLE "inbound_messages" ALTER COLUMN "raw" SET COMPRESSION lz4;
      EXCEPTION WHEN feature_not_supported THEN
        RAISE NOTICE 'lz4 is not available in this PostgreSQL build; raw messages stay with pglz';
      END $$`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "inbound_messages" ALTER COLUMN "raw" SET COMPRESSION default`);
  }
}
