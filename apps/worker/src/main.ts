import 'reflect-metadata';
import { assertServicesReachable, loadConfig, loadDotEnv, runMain, stopOnSignals } from '@cophub/core';
import { createWorker } from './worker.factory';

runMain(async () => {
  loadDotEnv();
  const config = loadConfig();
  await assertServicesReachable(config);
  const worker = await createWorker(config, { shutdownHooks: false });
  // Closing stops taking jobs and waits for the ones in flight (JobWorkerService), within the deadline.
  stopOnSignals('CoP Hub worker', config.http.shutdownTimeoutMs, () => worker.close());
  console.log('CoP Hub worker started');
});
