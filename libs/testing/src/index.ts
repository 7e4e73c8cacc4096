export { PG_BASE_URL, REDIS_URL, scaled, testRun, uniqueSuffix } from './run-env';
export { testConfig, testEnv } from './test-env';
export { createDatabase, dropDatabase } from './db/test-database';
export { linkToken, SmtpSink } from './smtp-sink';
export type { ReceivedMail } from './smtp-sink';
export { eventually, TestStack } from './test-stack';
export {
  addMembership,
  countRows,
  createCommunity,
  createMember,
  createUser,
  registration,
  TEST_PASSWORD,
} from './factories';
export type { TestCommunity, TestUser } from './factories';
export { freePort } from './ports';
export { startAzurite, startS3rver } from './object-stores';
export type { LocalObjectStore } from './object-stores';
export { PrivateRedis } from './private-redis';
export { connected, connectSocket, disconnected, joinRoom, nextEvent, openSocket } from './sockets';
export { PgRoundTripCounter } from './pg-round-trips';
export { Scrape } from './metrics';
export { parsePrometheusText } from './prometheus-text';
export type { Family, MetricType, Sample } from './prometheus-text';
export { mediumModule, MediumModule } from './medium-module';
export { compose } from './mail-messages';
