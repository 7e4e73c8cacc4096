export { ConfigValidationError, loadConfig, loadDotEnv } from './config/app-config';
export type { AppConfig } from './config/app-config';
export { APP_CONFIG } from './config/config.module';
export { Clock } from './clock/clock';
export { ukDateTime, ukTimeRange } from './clock/uk-time';
export { CommonError, CommonErrorCode, defineDomainError, DomainError } from './errors/domain-error';
export { HttpExceptionFilter } from './errors/http-exception.filter';
export { dataSourceOptions } from './db/data-source-options';
export { isUniqueViolation } from './db/pg-errors';
export { namedStatement, queryNamed, queryRows } from './db/query-result';
export type { Queryable } from './db/query-result';
export type { CamelRow, Columns, Row } from './db/rows';
export { Sql, SqlPort } from './db/sql';
export { runMigrations } from './db/run-migrations';
export { JOB_QUEUE, JobName, QueueName } from './queue/jobs';
export type { JobPayload, JobPayloads } from './queue/jobs';
export { JobHandler } from './queue/job-handler.decorator';
export { QueueService } from './queue/queue.service';
export { JobRegistryError, JobWorkerService, QUEUE_CONCURRENCY } from './queue/job-worker.service';
export { closeRedis, createRedis, RedisService } from './redis/redis.module';
export { RateLimitedError } from './rate-limit/rate-limiter';
export { decodeCursor, encodeCursor, PageQueryDto, toPage } from './pagination/cursor';
export type { Page } from './pagination/cursor';
export { LOG_ROOT, requestId } from './logging/logging';
export { assertServicesReachable, runMain } from './startup/service-check';
export { CoreModule } from './core.module';
export { RateLimit, RateLimitGuard } from './rate-limit/rate-limit.guard';
export { FailureBackoff } from './rate-limit/failure-backoff';
export { markdownToLines, markdownToText, renderMarkdown } from './markdown/markdown';
export { escapeHtml } from './markdown/html';
export { hashToken, newSecretToken } from './crypto/secret-token';
export { PeriodicTask } from './scheduling/periodic-task';
export { PeriodicReconciler } from './scheduling/periodic-reconciler';
export { isStorageFull, RequestDeadlineError } from './errors/unavailable';
export { expireRunningRequests, RequestDeadline, requestDeadlines } from './db/request-deadline';
export { RequestDeadlineInterceptor, RequestTimeout } from './http/request-deadline.interceptor';
export { IdempotencyStore } from './idempotency/idempotency.store';
export {
  IDEMPOTENCY_EXTENSION,
  IdempotencyInterceptor,
  IdempotencyNotStored,
} from './idempotency/idempotency.interceptor';
export { IdempotencyExpiry } from './idempotency/idempotency-expiry.service';
export { stopOnSignals } from './startup/shutdown';
export { TtlCache } from './cache/ttl-cache';
export { inputProblem, outOfRangeInteger } from './input/input-check';
export { pagedRows, personalDataJson, PersonalDataRegistry } from './personal-data/personal-data';
export type { PersonalRow } from './personal-data/personal-data';
export { deleteInBatches, RetentionRegistry, RetentionRunner } from './personal-data/retention';
