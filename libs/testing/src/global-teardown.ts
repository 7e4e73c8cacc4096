import Redis from 'ioredis';
import { dropDatabasesLike } from './db/test-database';
import { REDIS_URL } from './run-env';

/** Drops every database this run made and every Redis key under its prefixes. */
export default async function globalTeardown(): Promise<void> {
  const runId = process.env.COPHUB_TEST_RUN_ID;
  if (!runId) return;
  await dropDatabasesLike(`cophub_t_${runId}_`);
  await dropDatabasesLike(`cophub_tpl_${runId}`);
  const redis = new Redis(REDIS_URL);
  try {
    await deleteRedisPrefix(redis, `test-${runId}-`);
  } finally {
    redis.disconnect();
  }
}

export async function deleteRedisPrefix(redis: Redis, prefix: string): Promise<number> {
  let cursor = '0';
  let deleted = 0;
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
    cursor = next;
    if (keys.length) deleted += await redis.unlink(...keys);
  } while (cursor !== '0');
  return deleted;
}
