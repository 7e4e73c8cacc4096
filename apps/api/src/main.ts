import 'reflect-metadata';
import { assertServicesReachable, loadConfig, loadDotEnv, runMain, stopOnSignals } from '@cophub/core';
import { createApiApp } from './app.factory';
import { HttpDrain } from './http-drain';

runMain(async () => {
  loadDotEnv();
  const config = loadConfig();
  await assertServicesReachable(config);
  const app = await createApiApp(config);
  const drain = HttpDrain.attach(app);
  stopOnSignals('CoP Hub API', config.http.shutdownTimeoutMs, async () => {
    const { cut } = await drain.drain(config.http.shutdownTimeoutMs);
    if (cut) console.error(`CoP Hub API: ${cut} request(s) still running at the shutdown deadline were cut off`);
  });
  await app.listen(config.http.port, config.http.host);
  console.log(`CoP Hub API listening on ${await app.getUrl()} (docs at /api/docs)`);
});
