import type { INestApplicationContext } from '@nestjs/common';
import { Queue } from 'bullmq';
import Redis from 'ioredis';
import { queueOf } from '@cophub/core';
import { fanoutJobId, ForumJob, PostFanoutJob, PostFanoutReconciler } from '@cophub/forum';
import {
  addMembership,
  createCommunity,
  createMember,
  eventually,
  PgRoundTripCounter,
  TestCommunity,
  TestStack,
  TestUser,
} from '@cophub/testing';

const auth = (user: TestUser) => ({ Authorization: `Bearer ${user.token}` });

/**
 * The reply path: a bounded number of PostgreSQL round trips, notifications fanned out after the
 * commit by an idempotent job that the reconciler re-enqueues when Redis loses it, and a hot thread
 * taking many concurrent replies with gapless post numbers.
 */
describe('forum reply path', () => {
  let stack: TestStack;
  let community: TestCommunity;
  let author: TestUser;
  let watcher: TestUser;
  let mentioned: TestUser;
  let categoryId: string;

  beforeAll(async () => {
    stack = await TestStack.start({ worker: false, smtp: false });
    community = await createCommunity(stack);
    const chair = await createMember(stack, community, 'co_chair');
    author = await createMember(stack, community, 'member', { displayName: 'Ann Author' });
    watcher = await createMember(stack, community, 'member', { displayName: 'Wes Watcher' });
    mentioned = await createMember(stack, community, 'member', { displayName: 'Mina Mentioned' });
    categoryId = (
      await stack
        .http()
        .post(`/api/v1/communities/${community.slug}/categories`)
        .set(auth(chair))
        .send({ name: 'Replies' })
        .expect(201)
    ).body.id;
  });

  afterAll(async () => {
    await stack?.close();
  });

  async function newThread(by: TestUser): Promise<string> {
    return (
      await stack
        .http()
        .post(`/api/v1/communities/${community.slug}/threads`)
        .set(auth(by))
        .send({ categoryId, title: 'Reply path', body: 'opening post' })
        .expect(201)
    ).body.id;
  }

  const notificationsOf = (postId: string) =>
    stack.query<{ user_id: string; kind: string }>(
      `SELECT user_id, kind FROM notifications WHERE data ->> 'postId' = $1 ORDER BY user_id`,
      [postId],
    );

  it('replies in at most 8 PostgreSQL round trips, with a quote and a mention', async () => {
    const threadId = await newThread(watcher);
    const first = (
      await stack
        .http()
        .post(`/api/v1/threads/${threadId}/posts`)
        .set(auth(author))
        .send({ body: 'warm up' })
        .expect(201)
    ).body;
    const counter = new PgRoundTripCounter(stack.database.name);
    try {
      counter.take();
      const res = await stack
        .http()
        .post(`/api/v1/threads/${threadId}/posts`)
        .set(auth(author))
        .send({ body: 'Quoting myself, cc @MinaMentioned', quotePostId: first.id })
        .expect(201);
      const { count, statements } = counter.take();
      if (count > 8) throw new Error(`${count} round trips:\n${statements.join('\n')}`);
      expect(count).toBeGreaterThan(0);
      expect(res.body).toMatchObject({ postNumber: 3, myReactions: [], bookmarked: false, source: expect.any(String) });
      expect(res.body.html).toContain('<blockquote data-post-id=');
    } finally {
      counter.restore();
    }
  });

  it("writes a member's reply without a quote in one round trip, checks included", async () => {
    const threadId = await newThread(watcher);
    await stack
      .http()
      .post(`/api/v1/threads/${threadId}/posts`)
      .set(auth(author))
      .send({ body: 'warm up' })
      .expect(201);
    const counter = new PgRoundTripCounter(stack.database.name);
    try {
      counter.take();
      const res = await stack
        .http()
        .post(`/api/v1/threads/${threadId}/posts`)
        .set(auth(author))
        .send({ body: 'One trip, cc @MinaMentioned' })
        .expect(201);
      const { count, statements } = counter.take();
      if (count !== 1) throw new Error(`${count} round trips:\n${statements.join('\n')}`);
      expect(res.body).toMatchObject({ postNumber: 3, author: { id: author.id, displayName: 'Ann Author' } });
      expect(res.body.source).toBe('One trip, cc @MinaMentioned');
    } finally {
      counter.restore();
    }
    const [fanout] = await stack.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM forum_post_fanouts f JOIN forum_posts p ON p.id = f.post_id WHERE p.thread_id = $1',
      [threadId],
    );
    expect(fanout.n).toBeGreaterThan(0);
  });

  it('refuses replies from pending and suspended members and into announcements, and changes nothing', async () => {
    const threadId = await newThread(watcher);
    const pending = await createMember(stack, community);
    await addMembership(stack, community, pending, { status: 'pending' });
    const suspended = await createMember(stack, community);
    await addMembership(stack, community, suspended, { status: 'suspended' });
    for (const who of [pending, suspended]) {
      await stack.http().post(`/api/v1/threads/${threadId}/posts`).set(auth(who)).send({ body: 'no' }).expect(403);
    }
    await stack.query("UPDATE forum_categories SET post_policy = 'co_chairs' WHERE id = $1", [categoryId]);
    try {
      await stack.http().post(`/api/v1/threads/${threadId}/posts`).set(auth(author)).send({ body: 'no' }).expect(403);
    } finally {
      await stack.query("UPDATE forum_categories SET post_policy = 'members' WHERE id = $1", [categoryId]);
    }
    await stack
      .http()
      .post('/api/v1/threads/00000000-0000-4000-8000-000000000000/posts')
      .set(auth(author))
      .send({ body: 'nowhere' })
      .expect(404);
    await stack.http().post(`/api/v1/threads/${threadId}/posts`).set(auth(author)).send({ body: '   ' }).expect(400);
    const [thread] = await stack.query<{ post_count: number }>('SELECT post_count FROM forum_threads WHERE id = $1', [
      threadId,
    ]);
    expect(thread.post_count).toBe(1);
  });

  it('answers before anyone is notified, then the job notifies watchers and mentioned members once each', async () => {
    const threadId = await newThread(watcher);
    const res = await stack
      .http()
      .post(`/api/v1/threads/${threadId}/posts`)
      .set(auth(author))
      .send({ body: 'Hello @MinaMentioned' })
      .expect(201);
    // No worker is running: the reply committed with its outbox row and nobody was notified yet.
    expect(await notificationsOf(res.body.id)).toEqual([]);
    expect(await stack.query('SELECT post_id FROM forum_post_fanouts WHERE post_id = $1', [res.body.id])).toHaveLength(
      1,
    );

    const worker = await stack.startWorker();
    try {
      await eventually(async () => (await notificationsOf(res.body.id)).length === 2, 'fan-out notifications');
      const rows = await notificationsOf(res.body.id);
      expect(Object.fromEntries(rows.map((r) => [r.user_id, r.kind]))).toEqual({
        [watcher.id]: 'forum_reply',
        [mentioned.id]: 'forum_mention',
      });
      expect(await stack.query('SELECT 1 FROM forum_post_fanouts WHERE post_id = $1', [res.body.id])).toEqual([]);
      // Running the job again (a duplicate delivery) notifies nobody twice.
      expect(await worker.get(PostFanoutJob).run({ postId: res.body.id })).toBe(0);
      expect(await notificationsOf(res.body.id)).toHaveLength(2);
    } finally {
      await stack.stopWorker();
    }
  });

  it('notifies nobody about a post deleted before its fan-out ran', async () => {
    const threadId = await newThread(watcher);
    const res = await stack
      .http()
      .post(`/api/v1/threads/${threadId}/posts`)
      .set(auth(author))
      .send({ body: 'oops' })
      .expect(201);
    await stack.http().delete(`/api/v1/posts/${res.body.id}`).set(auth(author)).expect(204);
    const worker = await stack.startWorker();
    try {
      await eventually(
        async () => !(await stack.query('SELECT 1 FROM forum_post_fanouts WHERE post_id = $1', [res.body.id])).length,
        'fan-out row settled',
      );
      expect(await worker.get(PostFanoutJob).run({ postId: res.body.id })).toBe(0);
      expect(await notificationsOf(res.body.id)).toEqual([]);
    } finally {
      await stack.stopWorker();
    }
  });

  /**
   * A reply to a thread `watcher` watches, once the API has handed its fan-out job to Redis (a
   * moment after answering), with the job's Redis key.
   */
  async function replyWithQueuedFanout(body: string): Promise<{ postId: string; jobKey: string }> {
    const threadId = await newThread(watcher);
    const res = await stack
      .http()
      .post(`/api/v1/threads/${threadId}/posts`)
      .set(auth(author))
      .send({ body })
      .expect(201);
    const jobKey = `${stack.config.queuePrefix}:forum:${fanoutJobId(res.body.id)}`;
    await eventually(async () => (await stack.redis.exists(jobKey)) === 1, 'the fan-out job in Redis');
    return { postId: res.body.id, jobKey };
  }

  /** The reconciler enqueues the still-owed fan-out again, and the watcher is notified once. */
  async function reconciledFanout(worker: INestApplicationContext, postId: string): Promise<void> {
    await worker.get(PostFanoutReconciler).runOnce();
    await eventually(async () => (await notificationsOf(postId)).length === 1, 'reconciled fan-out');
    expect((await notificationsOf(postId))[0]).toMatchObject({ user_id: watcher.id, kind: 'forum_reply' });
  }

  it('re-enqueues fan-out that Redis lost, from PostgreSQL', async () => {
    const { postId, jobKey } = await replyWithQueuedFanout('lost job');
    // Redis then loses it (emptied).
    await stack.flushRedis();
    expect(await stack.redis.exists(jobKey)).toBe(0);
    expect(await notificationsOf(postId)).toEqual([]);
    const worker = await stack.startWorker();
    try {
      await reconciledFanout(worker, postId);
    } finally {
      await stack.stopWorker();
    }
  });

  it('re-enqueues a fan-out whose job failed every try, once the fault is gone', async () => {
    const { postId, jobKey } = await replyWithQueuedFanout('failing job');
    // A real fault in PostgreSQL: the notifications table is away, so every try of the job fails.
    await stack.query('ALTER TABLE notifications RENAME TO notifications_away');
    const worker = await stack.startWorker();
    try {
      // Tried, retried, then dropped from Redis; the post's fan-out row is still owed.
      await eventually(async () => (await stack.redis.exists(jobKey)) === 0, 'the failed job gone', 30_000);
      expect(await stack.query('SELECT 1 FROM forum_post_fanouts WHERE post_id = $1', [postId])).toHaveLength(1);
      await stack.query('ALTER TABLE notifications_away RENAME TO notifications');
      await reconciledFanout(worker, postId);
    } finally {
      await stack.query('ALTER TABLE IF EXISTS notifications_away RENAME TO notifications');
      await stack.stopWorker();
    }
  });

  it('numbers concurrent replies into one thread without gaps or duplicates', async () => {
    const threadId = await newThread(watcher);
    const members = await Promise.all(Array.from({ length: 6 }, () => createMember(stack, community)));
    const responses = await Promise.all(
      Array.from({ length: 30 }, (_, i) =>
        stack
          .http()
          .post(`/api/v1/threads/${threadId}/posts`)
          .set(auth(members[i % members.length]))
          .send({ body: `concurrent ${i}` }),
      ),
    );
    expect(responses.map((r) => r.status)).toEqual(Array(30).fill(201));
    const numbers = responses.map((r) => r.body.postNumber as number).sort((x, y) => x - y);
    expect(numbers).toEqual(Array.from({ length: 30 }, (_, i) => i + 2));
    const [thread] = await stack.query<{ post_count: number }>('SELECT post_count FROM forum_threads WHERE id = $1', [
      threadId,
    ]);
    expect(thread.post_count).toBe(31);
    // Replies answered together go to Redis in bulk adds, each still its own job.
    const connection = new Redis(stack.config.redisUrl, { maxRetriesPerRequest: null });
    const queue = new Queue(queueOf(ForumJob.Fanout), { connection, prefix: stack.config.queuePrefix });
    try {
      await eventually(async () => {
        const jobs = await Promise.all(responses.map((r) => queue.getJob(fanoutJobId(r.body.id as string))));
        return jobs.every((job) => job?.data.postId !== undefined);
      }, 'a fan-out job per reply');
    } finally {
      await queue.close();
      connection.disconnect();
    }
  });

  it('refuses a reply to a locked thread and changes nothing', async () => {
    const threadId = await newThread(watcher);
    await stack.query('UPDATE forum_threads SET locked = true WHERE id = $1', [threadId]);
    await stack.http().post(`/api/v1/threads/${threadId}/posts`).set(auth(author)).send({ body: 'no' }).expect(403);
    const [thread] = await stack.query<{ post_count: number }>('SELECT post_count FROM forum_threads WHERE id = $1', [
      threadId,
    ]);
    expect(thread.post_count).toBe(1);
  });
});
