export { ALL_MIGRATIONS, MIGRATIONS_BY_MODULE, migrationListProblems, migrationTimestamp } from './migrations';
export { ALL_ENTITIES } from './entities';
export { runMigrations } from './run-migrations';
export { ALL_JOBS, EVENTS_QUEUE, FORUM_QUEUE, JOBS_BY_MODULE, MAIL_QUEUE, POLLS_QUEUE, RESOURCES_QUEUE } from './jobs';
