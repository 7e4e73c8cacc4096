import { randomUUID } from 'node:crypto';
import { DataSource, QueryRunner } from 'typeorm';
import { TestStack, TestUser } from '@cophub/testing';
import { auth, forumStack, lockThread, postCount } from './faults.helpers';

describe('back-pressure: a busy or slow database answers 503 with Retry-After, never 500', () => {
  describe('with a small pool and short lock timeout', () => {
    let stack: TestStack;
    let member: TestUser;
    let threadId: string;

    beforeAll(async () => {
      ({ stack, member, threadId } = await forumStack({
        DATABASE_POOL_SIZE: '2',
        DATABASE_POOL_WAIT_MS: '300',
        DATABASE_LOCK_TIMEOUT_MS: '400',
      }));
    });

    afterAll(async () => {
      await stack?.close();
    });

    it('a request that cannot get a pool connection in time answers 503 with Retry-After; ready stays 200', async () => {
      const dataSource = stack.api.get(DataSource);
      const held: QueryRunner[] = [];
      try {
        for (let i = 0; i < 2; i += 1) {
          const runner = dataSource.createQueryRunner();
          await runner.connect();
          held.push(runner);
        }
        const res = await stack.http().get(`/api/v1/threads/${threadId}`).set(auth(member));
        expect(res.status).toBe(503);
        expect(res.headers['retry-after']).toBe('1');
        expect(res.body).toMatchObject({ statusCode: 503, code: 'pool_exhausted' });
        // Readiness asks PostgreSQL over its own connection: the instance is busy, not broken.
        const ready = await stack.http().get('/health/ready');
        expect(ready.status).toBe(200);
        expect(ready.body).toEqual({ status: 'ok', checks: { postgres: 'up', redis: 'up' } });
        await stack.http().get('/health/live').expect(200, { status: 'ok' });
      } finally {
        for (const runner of held) await runner.release();
      }
      await stack.http().get(`/api/v1/threads/${threadId}`).set(auth(member)).expect(200);
    });

    it('a write blocked by a lock past the lock timeout answers 503 and writes nothing', async () => {
      const before = await postCount(stack, threadId);
      const locker = await lockThread(stack, threadId);
      try {
        const res = await stack
          .http()
          .post(`/api/v1/threads/${threadId}/posts`)
          .set(auth(member))
          .send({ body: 'Blocked' });
        expect(res.status).toBe(503);
        expect(res.body.code).toBe('lock_timeout');
        expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
      } finally {
        await locker.query('ROLLBACK');
        await locker.end();
      }
      expect(await postCount(stack, threadId)).toEqual(before);
    });
  });

  describe('with a short request deadline', () => {
    let stack: TestStack;
    let member: TestUser;
    let threadId: string;

    beforeAll(async () => {
      ({ stack, member, threadId } = await forumStack({
        REQUEST_TIMEOUT_MS: '1000',
        DATABASE_LOCK_TIMEOUT_MS: '20000',
      }));
    });

    afterAll(async () => {
      await stack?.close();
    });

    it('a request past its deadline answers 503, and its transaction rolls back even when the lock frees later', async () => {
      const before = await postCount(stack, threadId);
      const locker = await lockThread(stack, threadId);
      const key = randomUUID();
      const started = Date.now();
      let res;
      try {
        res = await stack
          .http()
          .post(`/api/v1/threads/${threadId}/posts`)
          .set(auth(member))
          .set('Idempotency-Key', key)
          .send({ body: 'Slow' });
      } finally {
        // The blocked UPDATE now goes through; the INSERT and COMMIT after it must be refused.
        await locker.query('ROLLBACK');
        await locker.end();
      }
      expect(res.status).toBe(503);
      expect(res.body.code).toBe('request_deadline');
      expect(res.headers['retry-after']).toBeDefined();
      expect(Date.now() - started).toBeLessThan(5_000);
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      expect(await postCount(stack, threadId)).toEqual(before);
      // The key was freed: the client's retry runs and creates the post once.
      const retry = await stack
        .http()
        .post(`/api/v1/threads/${threadId}/posts`)
        .set(auth(member))
        .set('Idempotency-Key', key)
        .send({ body: 'Slow' });
      expect(retry.status).toBe(201);
      expect(await postCount(stack, threadId)).toEqual({ posts: before.posts + 1, counter: before.counter + 1 });
    });
  });
});
