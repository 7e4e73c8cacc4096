import type { MigrationInterface } from 'typeorm';

/**
 * A migration class as TypeORM runs it. Its class name ends with its 13-digit timestamp, which orders it among
 * every module's migrations; PostgreSQL's `schema_migrations` table records the name, so a migration may move
 * between folders without running again, but is never renamed.
 */
export type MigrationClass = new () => MigrationInterface;
