import 'reflect-metadata';
import { assertServicesReachable, loadConfig, loadDotEnv, runMain } from '@cophub/core';
import { createWorker } from './worker.factory';

runMain(async () => {
  loadDotEnv();
  const config = loadConfig();
  await assertServicesReachable(config);
  await createWorker(config);
  console.log('CoP Hub worker started');
});
