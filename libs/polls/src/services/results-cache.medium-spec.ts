import { randomUUID } from 'node:crypto';
import { AppConfig, RedisService } from '@cophub/core';
import { freePort, REDIS_URL, scaled } from '@cophub/testing';
import { ResultsCache } from './results-cache.service';

/** A Redis connection as the API opens it, on the shared test Redis or on a port nobody listens on. */
function redisService(url: string, prefix: string): RedisService {
  return new RedisService({ redisUrl: url, queuePrefix: prefix } as AppConfig);
}

async function ready(redis: RedisService): Promise<void> {
  if (redis.client.status !== 'ready') await new Promise((resolve) => redis.client.once('ready', resolve));
}

describe('ResultsCache', () => {
  const services: RedisService[] = [];
  const prefix = `test-results-cache-${randomUUID().slice(0, 8)}`;

  afterAll(async () => {
    const keys = await services[0]?.client.keys(`${prefix}:*`);
    if (keys?.length) await services[0].client.del(...keys);
    await Promise.all(services.map((s) => s.onApplicationShutdown()));
  });

  it('computes a key once across two processes sharing Redis, however many ask at once', async () => {
    const a = redisService(REDIS_URL, prefix);
    const b = redisService(REDIS_URL, prefix);
    services.push(a, b);
    await Promise.all([ready(a), ready(b)]);
    const [cacheA, cacheB] = [new ResultsCache(a), new ResultsCache(b)];
    let computed = 0;
    const compute = async () => {
      computed += 1;
      await new Promise((resolve) => setTimeout(resolve, 200));
      return { responses: 10, questions: [{ counts: [4, 6] }] };
    };
    const answers = await Promise.all([
      ...Array.from({ length: 10 }, () => cacheA.get('poll-1:2:3:counts', compute)),
      ...Array.from({ length: 10 }, () => cacheB.get('poll-1:2:3:counts', compute)),
    ]);
    expect(computed).toBe(1);
    for (const answer of answers) expect(answer).toEqual({ responses: 10, questions: [{ counts: [4, 6] }] });
    // A third process finds it in Redis.
    const c = redisService(REDIS_URL, prefix);
    services.push(c);
    await ready(c);
    expect(await new ResultsCache(c).get('poll-1:2:3:counts', compute)).toEqual({
      responses: 10,
      questions: [{ counts: [4, 6] }],
    });
    expect(computed).toBe(1);
    // A new version is a new key: computed afresh, never answered from the old entry.
    expect(await cacheB.get('poll-1:2:4:counts', async () => ({ responses: 15 }))).toEqual({ responses: 15 });
  });

  it('computes afresh when the entry in Redis is unreadable', async () => {
    const a = redisService(REDIS_URL, prefix);
    services.push(a);
    await ready(a);
    await a.client.set(a.key('poll-results', 'poll-2:1:0:counts'), '{not json');
    expect(await new ResultsCache(a).get('poll-2:1:0:counts', async () => ({ responses: 3 }))).toEqual({
      responses: 3,
    });
  });

  it('keeps working without Redis: each process computes once per key and keeps it', async () => {
    const down = redisService(`redis://127.0.0.1:${await freePort()}`, prefix);
    services.push(down);
    const cache = new ResultsCache(down);
    let computed = 0;
    const compute = async () => {
      computed += 1;
      await new Promise((resolve) => setTimeout(resolve, 50));
      return { responses: computed };
    };
    const started = Date.now();
    const answers = await Promise.all(Array.from({ length: 10 }, () => cache.get('poll-3:1:0:counts', compute)));
    expect(answers).toEqual(Array.from({ length: 10 }, () => ({ responses: 1 })));
    expect(await cache.get('poll-3:1:0:counts', compute)).toEqual({ responses: 1 });
    expect(await cache.get('poll-3:1:1:counts', compute)).toEqual({ responses: 2 });
    expect(computed).toBe(2);
    // No request waited on the missing Redis.
    expect(Date.now() - started).toBeLessThan(scaled(2_000));
  });
});
