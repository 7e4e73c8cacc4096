import 'reflect-metadata';
import { assertServicesReachable, loadConfig, loadDotEnv, runMain } from '@cophub/core';
import { createMailIn } from './mail-in.factory';

runMain(async () => {
  loadDotEnv();
  const config = loadConfig();
  await assertServicesReachable(config);
  const { port } = await createMailIn(config);
  console.log(`CoP Hub inbound mail listening on ${config.mailIn.host}:${port} for @${config.mailIn.domain}`);
});
