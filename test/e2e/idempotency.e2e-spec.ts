import { randomUUID } from 'node:crypto';
import { createCommunity, createMember, TestCommunity, TestStack, TestUser } from '@cophub/testing';
import { createPoll, openPoll, vote } from './polls.helpers';
import { makePdf, multipart } from './resources.helpers';

const auth = (user: TestUser) => ({ Authorization: `Bearer ${user.token}` });

describe('Idempotency-Key on creating POSTs', () => {
  let stack: TestStack;
  let community: TestCommunity;
  let coChair: TestUser;
  let alice: TestUser;
  let categoryId: string;

  beforeAll(async () => {
    stack = await TestStack.start({ worker: false, smtp: false });
    community = await createCommunity(stack);
    coChair = await createMember(stack, community, 'co_chair');
    alice = await createMember(stack, community, 'member');
    const res = await stack
      .http()
      .post(`/api/v1/communities/${community.slug}/categories`)
      .set(auth(coChair))
      .send({ name: 'General', position: 1 })
      .expect(201);
    categoryId = res.body.id;
  });

  afterAll(async () => {
    await stack?.close();
  });

  const count = async (sql: string, params: unknown[]) => Number((await stack.query<{ n: string }>(sql, params))[0].n);

  /** A new thread in General, sent by `as` with an Idempotency-Key. */
  function postThread(as: TestUser, key: string, body: object) {
    return stack
      .http()
      .post(`/api/v1/communities/${community.slug}/threads`)
      .set(auth(as))
      .set('Idempotency-Key', key)
      .send({ categoryId, ...body });
  }

  /** Sends the same request twice with one key; both answers must be the first, and one item must exist. */
  async function retried(as: TestUser, path: string, body: object) {
    const key = randomUUID();
    const send = () => stack.http().post(path).set(auth(as)).set('Idempotency-Key', key).send(body);
    const first = await send();
    const second = await send();
    expect(first.status).toBe(201);
    expect(second.status).toBe(201);
    expect(second.body).toEqual(first.body);
    expect(second.headers['idempotent-replayed']).toBe('true');
    return first;
  }

  it('a retried category, thread, post, flag, event and poll each create one item and answer the same', async () => {
    const category = await retried(coChair, `/api/v1/communities/${community.slug}/categories`, {
      name: 'Supervision',
      position: 2,
    });
    expect(category.status).toBe(201);
    expect(await count('SELECT count(*) AS n FROM forum_categories WHERE name = $1', ['Supervision'])).toBe(1);

    const thread = await retried(alice, `/api/v1/communities/${community.slug}/threads`, {
      categoryId,
      title: 'Retried thread',
      body: 'Sent twice over a flaky connection',
    });
    expect(thread.status).toBe(201);
    expect(await count('SELECT count(*) AS n FROM forum_threads WHERE title = $1', ['Retried thread'])).toBe(1);

    const post = await retried(alice, `/api/v1/threads/${thread.body.id}/posts`, { body: 'A retried reply' });
    expect(post.status).toBe(201);
    expect(await count('SELECT count(*) AS n FROM forum_posts WHERE thread_id = $1', [thread.body.id])).toBe(2);

    const flag = await retried(coChair, `/api/v1/posts/${post.body.id}/flags`, { reason: 'Checking retries' });
    expect(flag.status).toBe(201);

    const startsAt = new Date(Date.now() + 48 * 3_600_000);
    const event = await retried(coChair, `/api/v1/communities/${community.slug}/events`, {
      title: 'Retried meeting',
      startsAt: startsAt.toISOString(),
      endsAt: new Date(startsAt.getTime() + 3_600_000).toISOString(),
      locationKind: 'online',
      joinUrl: 'https://meet.example.nhs.uk/retried',
    });
    expect(event.status).toBe(201);
    expect(await count('SELECT count(*) AS n FROM events WHERE title = $1', ['Retried meeting'])).toBe(1);

    const poll = await retried(coChair, `/api/v1/communities/${community.slug}/polls`, {
      title: 'Retried poll',
      questions: [{ kind: 'single_choice', prompt: 'Supported?', options: ['Yes', 'No'] }],
    });
    expect(poll.status).toBe(201);
    expect(await count('SELECT count(*) AS n FROM polls WHERE title = $1', ['Retried poll'])).toBe(1);
  });

  it('a retried upload stores one resource and one file', async () => {
    const pdf = await makePdf(['Retried upload']);
    const key = randomUUID();
    const send = () => {
      // A retry builds a new multipart body (new boundary): the key, not the bytes, identifies it.
      const { body, type } = multipart(
        { title: 'Retried upload' },
        { filename: 'notes.pdf', contentType: 'application/pdf', data: pdf },
      );
      return stack
        .http()
        .post(`/api/v1/communities/${community.slug}/resources`)
        .set(auth(coChair))
        .set('Idempotency-Key', key)
        .set('Content-Type', type)
        .send(body);
    };
    const first = await send();
    const second = await send();
    expect(first.status).toBe(201);
    expect(second.status).toBe(201);
    expect(second.body.id).toBe(first.body.id);
    expect(await count('SELECT count(*) AS n FROM resources WHERE title = $1', ['Retried upload'])).toBe(1);
    expect(await count('SELECT count(*) AS n FROM resource_versions WHERE resource_id = $1', [first.body.id])).toBe(1);
  });

  it('the same key with a different body is refused with 422 and creates nothing', async () => {
    const key = randomUUID();
    await postThread(alice, key, { title: 'First use of a key', body: 'One' }).expect(201);
    const reused = await postThread(alice, key, { title: 'Second use of a key', body: 'Two' });
    expect(reused.status).toBe(422);
    expect(reused.body.code).toBe('idempotency_key_reused');
    expect(await count('SELECT count(*) AS n FROM forum_threads WHERE title = $1', ['Second use of a key'])).toBe(0);
  });

  it('keys belong to one member: another member using the same key creates their own item', async () => {
    const key = randomUUID();
    const body = { title: 'Shared key thread', body: 'Same key, two people' };
    const a = await postThread(alice, key, body).expect(201);
    const c = await postThread(coChair, key, body).expect(201);
    expect(c.body.id).not.toBe(a.body.id);
  });

  it('concurrent duplicates create one item; the others wait their turn (409 with Retry-After) or replay', async () => {
    const key = randomUUID();
    const body = { title: 'Raced thread', body: 'Double-clicked' };
    const answers = await Promise.all(Array.from({ length: 6 }, () => postThread(alice, key, body)));
    const statuses = answers.map((a) => a.status);
    expect(statuses.every((s) => s === 201 || s === 409)).toBe(true);
    expect(statuses).toContain(201);
    for (const conflict of answers.filter((a) => a.status === 409)) {
      expect(conflict.body.code).toBe('idempotency_key_in_flight');
      expect(conflict.headers['retry-after']).toBe('1');
    }
    const ids = new Set(answers.filter((a) => a.status === 201).map((a) => a.body.id));
    expect(ids.size).toBe(1);
    expect(await count('SELECT count(*) AS n FROM forum_threads WHERE title = $1', ['Raced thread'])).toBe(1);
  });

  it('a refused request frees its key, so the corrected retry runs', async () => {
    const key = randomUUID();
    await postThread(alice, key, { title: '' }).expect(400);
    // A different body after a failure is not a misuse: nothing was stored for the key.
    await postThread(alice, key, { title: 'Fixed title', body: 'Now complete' }).expect(201);
  });

  it('refuses a malformed key with 400', async () => {
    const res = await stack
      .http()
      .post(`/api/v1/communities/${community.slug}/threads`)
      .set(auth(alice))
      .set('Idempotency-Key', 'has spaces in it')
      .send({ categoryId, title: 'Bad key', body: 'x' });
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('idempotency_key_invalid');
    expect(await count('SELECT count(*) AS n FROM forum_threads WHERE title = $1', ['Bad key'])).toBe(0);
  });

  it('stores nothing for a ballot: a retried vote answers 409 already_responded and counts once', async () => {
    const poll = await createPoll(stack, community, coChair);
    await openPoll(stack, poll.id, coChair);
    const key = randomUUID();
    const answers = [{ questionId: poll.questions[0].id, optionIds: [poll.questions[0].options[0].id] }];
    const first = await vote(stack, poll.id, alice.token, answers).set('Idempotency-Key', key);
    expect(first.status).toBe(201);
    const retry = await vote(stack, poll.id, alice.token, answers).set('Idempotency-Key', key);
    expect(retry.status).toBe(409);
    expect(retry.body.code).toBe('already_responded');
    expect(
      await count('SELECT count(*) AS n FROM idempotency_keys WHERE user_id = $1 AND path LIKE $2', [
        alice.id,
        '%/responses',
      ]),
    ).toBe(0);
  });

  it('the worker deletes stored answers after the retention period', async () => {
    const { IdempotencyStore } = await import('@cophub/core');
    await stack.query(`UPDATE idempotency_keys SET created_at = now() - interval '25 hours' WHERE user_id = $1`, [
      coChair.id,
    ]);
    const removed = await stack.api.get(IdempotencyStore).expire(24);
    expect(removed).toBeGreaterThan(0);
    expect(await count('SELECT count(*) AS n FROM idempotency_keys WHERE user_id = $1', [coChair.id])).toBe(0);
  });

  it('documents the header on creating routes and not on the ballot route', async () => {
    const doc = (await stack.http().get('/api/docs-json').expect(200)).body;
    const header = (op: { parameters?: Array<{ name: string; in: string }> }) =>
      (op.parameters ?? []).some((p) => p.in === 'header' && p.name === 'Idempotency-Key');
    expect(header(doc.paths['/api/v1/communities/{slug}/threads'].post)).toBe(true);
    expect(header(doc.paths['/api/v1/communities/{slug}/resources'].post)).toBe(true);
    expect(header(doc.paths['/api/v1/polls/{id}/responses'].post)).toBe(false);
  });
});
