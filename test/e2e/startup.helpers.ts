import { loadConfig } from '@cophub/core';

export { APP_CONFIG, JobRegistryError, JobWorkerService, QUEUE_CONCURRENCY } from '@cophub/core';

export function testConfigFor() {
  return loadConfig({ JWT_SECRET: 'x'.repeat(40), NODE_ENV: 'test' });
}
