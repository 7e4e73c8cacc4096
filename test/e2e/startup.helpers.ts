import { loadConfig } from '@cophub/core';

export { APP_CONFIG, JobRegistryError, JobWorkerService, QUEUE_WORKER } from '@cophub/core';
export { ALL_JOBS } from '@cophub/schema';

export function testConfigFor() {
  return loadConfig({ JWT_SECRET: 'x'.repeat(40), NODE_ENV: 'test' });
}
