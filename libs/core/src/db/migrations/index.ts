import type { MigrationClass } from '../migration-class';
import { IdempotencyKeys1795763357255 } from './1795763357255-IdempotencyKeys';

/**
 * Core's own migrations (its tables only: `idempotency_keys`). Every module lists its migrations in its own
 * `db/migrations/index.ts`; the apps run them all in timestamp order through `@cophub/schema`.
 */
export const coreMigrations: MigrationClass[] = [IdempotencyKeys1795763357255];
