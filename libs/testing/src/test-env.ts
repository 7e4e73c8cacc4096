import { AppConfig, loadConfig } from '@cophub/core';
import { REDIS_URL, scaled } from './run-env';

/**
 * Configuration for a test stack, built through the same validation the product uses. Each stack gets
 * its own database and queue prefix, so test files never see each other's rows or jobs.
 */
export function testEnv(databaseUrl: string, queuePrefix: string, overrides: Record<string, string | undefined> = {}) {
  return {
    NODE_ENV: 'test',
    DATABASE_URL: databaseUrl,
    REDIS_URL,
    QUEUE_PREFIX: queuePrefix,
    JWT_SECRET: 'test-secret-test-secret-test-secret-0123456789',
    PUBLIC_URL: 'http://cophub.test',
    PORT: '0',
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    ARGON2_MEMORY_KIB: '8192',
    MAIL_FROM: 'CoP Hub <no-reply@cophub.test>',
    MAIL_RETRY_BASE_SECONDS: '1',
    MAIL_LOCK_SECONDS: '5',
    RECONCILE_INTERVAL_MS: '1000',
    // The product's waits for a pool connection, a lock, a statement and a whole request, stretched
    // like every test wait on a busy machine (tests of these deadlines set their own).
    DATABASE_POOL_WAIT_MS: String(scaled(3_000)),
    DATABASE_LOCK_TIMEOUT_MS: String(scaled(5_000)),
    DATABASE_STATEMENT_TIMEOUT_MS: String(scaled(10_000)),
    REQUEST_TIMEOUT_MS: String(scaled(15_000)),
    REMINDER_SCAN_INTERVAL_MS: '1000',
    ...overrides,
  };
}

export function testConfig(
  databaseUrl: string,
  queuePrefix: string,
  overrides: Record<string, string | undefined> = {},
): AppConfig {
  return loadConfig(testEnv(databaseUrl, queuePrefix, overrides));
}
