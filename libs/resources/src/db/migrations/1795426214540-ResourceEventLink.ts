import { MigrationInterface, QueryRunner } from 'typeorm';

export class ResourceEventLink1795426214540 implements MigrationInterface {
  name = 'ResourceEventLink1795426214540';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            ALTER TABLE "resources"
            ADD CONSTRAINT "fk_resources_event_id" FOREIGN KEY ("event_id") REFERENCES "events"("id") ON DELETE
            SET NULL ON UPDATE NO ACTION
        `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            ALTER TABLE "resources" DROP CONSTRAINT "fk_resources_event_id"
        `);
  }
}
