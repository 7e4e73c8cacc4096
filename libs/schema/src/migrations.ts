// Imports stay relative and type-only towards core: this file is loaded by the test run's global set-up, which
// resolves modules as Node does (no @cophub aliases). Each import is a module's migration list, and nothing else
// of the module, so running migrations never loads the product's code.
import type { MigrationClass } from '../../core/src/db/migration-class';
import { coreMigrations } from '../../core/src/db/migrations';
import { auditMigrations } from '../../audit/src/db/migrations';
import { eventsMigrations } from '../../events/src/db/migrations';
import { forumMigrations } from '../../forum/src/db/migrations';
import { identityMigrations } from '../../identity/src/db/migrations';
import { mailMigrations } from '../../mail/src/db/migrations';
import { mailInMigrations } from '../../mail-in/src/db/migrations';
import { notificationsMigrations } from '../../notifications/src/db/migrations';
import { pagesMigrations } from '../../pages/src/db/migrations';
import { pollsMigrations } from '../../polls/src/db/migrations';
import { resourcesMigrations } from '../../resources/src/db/migrations';

/** Every module's migration list, by owning module (docs/architecture.md, module map). */
export const MIGRATIONS_BY_MODULE: Readonly<Record<string, readonly MigrationClass[]>> = {
  core: coreMigrations,
  audit: auditMigrations,
  identity: identityMigrations,
  mail: mailMigrations,
  notifications: notificationsMigrations,
  forum: forumMigrations,
  events: eventsMigrations,
  resources: resourcesMigrations,
  polls: pollsMigrations,
  pages: pagesMigrations,
  'mail-in': mailInMigrations,
};

/** The 13-digit timestamp that ends a migration's class name (TypeORM orders and records migrations by it). */
export function migrationTimestamp(migration: MigrationClass): number {
  const match = /(\d{13})$/.exec(migration.name);
  if (!match) throw new Error(`migration ${migration.name} does not end with a 13-digit timestamp`);
  return Number(match[1]);
}

/**
 * What is wrong with a list of migrations as the runner would take it: a name without a timestamp, a class whose
 * recorded `name` differs from its class name, two migrations with one timestamp (their order would be
 * arbitrary), or a list out of timestamp order. Empty when the list is good.
 */
export function migrationListProblems(list: readonly MigrationClass[]): string[] {
  const problems: string[] = [];
  const seen = new Map<number, string>();
  let previous = -Infinity;
  for (const migration of list) {
    const match = /(\d{13})$/.exec(migration.name);
    if (!match) {
      problems.push(`${migration.name} does not end with a 13-digit timestamp`);
      continue;
    }
    const recorded = new migration().name;
    if (recorded !== migration.name) problems.push(`${migration.name} records itself as ${recorded ?? '(no name)'}`);
    const timestamp = Number(match[1]);
    const other = seen.get(timestamp);
    if (other) problems.push(`${migration.name} and ${other} share the timestamp ${timestamp}`);
    seen.set(timestamp, migration.name);
    if (timestamp < previous) problems.push(`${migration.name} is listed after a later migration`);
    previous = Math.max(previous, timestamp);
  }
  return problems;
}

/**
 * Every migration of every module, in timestamp order: what `npm run migrate`, the tests' template database and
 * the migration generator run. Built once, here; a module adds a migration to its own list only.
 */
export const ALL_MIGRATIONS: MigrationClass[] = Object.values(MIGRATIONS_BY_MODULE)
  .flat()
  .sort((a, b) => migrationTimestamp(a) - migrationTimestamp(b));
