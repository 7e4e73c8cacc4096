import 'reflect-metadata';
import { assertServicesReachable, loadConfig, loadDotEnv, runMain } from '@cophub/core';
import { createApiApp } from './app.factory';

runMain(async () => {
  loadDotEnv();
  const config = loadConfig();
  await assertServicesReachable(config);
  const app = await createApiApp(config);
  await app.listen(config.http.port, config.http.host);
  console.log(`CoP Hub API listening on ${await app.getUrl()} (docs at /api/docs)`);
});
