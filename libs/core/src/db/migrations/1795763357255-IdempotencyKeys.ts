import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Stored answers to creating POSTs sent with an `Idempotency-Key`, so a client that retries (after a
 * timeout, a 503 or a lost connection) gets the first answer instead of a second item.
 */
export class IdempotencyKeys1795763357255 implements MigrationInterface {
  name = 'IdempotencyKeys1795763357255';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            CREATE TABLE "idempotency_keys" (
                "user_id" uuid NOT NULL,
                "idempotency_key" character varying(255) NOT NULL,
                "method" character varying(10) NOT NULL,
                "path" text NOT NULL,
                "request_hash" character(64),
                "state" character varying(16) NOT NULL DEFAULT 'in_flight',
                "response_status" smallint,
                "response_body" jsonb,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "locked_until" TIMESTAMP WITH TIME ZONE NOT NULL,
                CONSTRAINT "pk_idempotency_keys" PRIMARY KEY ("user_id", "idempotency_key"),
                CONSTRAINT "ck_idempotency_keys_state" CHECK ("state" IN ('in_flight', 'done'))
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "ix_idempotency_keys_created_at" ON "idempotency_keys" ("created_at")
        `);
    await queryRunner.query(`
            ALTER TABLE "idempotency_keys"
            ADD CONSTRAINT "fk_idempotency_keys_user_id" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "idempotency_keys"`);
  }
}
