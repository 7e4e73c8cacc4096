export { ALL_MIGRATIONS, MIGRATIONS_BY_MODULE, migrationListProblems, migrationTimestamp } from './migrations';
export { ALL_ENTITIES } from './entities';
export { runMigrations } from './run-migrations';
