import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { DataSource, EntitySubscriberInterface } from 'typeorm';
import {
  createCommunity,
  createMember,
  eventually,
  PG_BASE_URL,
  TestCommunity,
  TestStack,
  TestUser,
} from '@cophub/testing';
import { auth } from './faults.helpers';
import { createPoll, openPoll, vote } from './polls.helpers';
import { makePdf, multipart } from './resources.helpers';

/**
 * PostgreSQL lost just after a write commits: right after the COMMIT that made `committed` true, every
 * connection of the API is terminated and the database refuses new ones until `restore()`. Nothing is
 * mocked: the API's own statements fail as they would if the server went away at that instant.
 */
class ConnectionLossAfterCommit {
  private watcher!: Client;
  private armed: (() => Promise<boolean>) | null = null;
  cut = false;

  constructor(private readonly stack: TestStack) {}

  async start(): Promise<void> {
    this.watcher = new Client({ connectionString: this.stack.database.url, application_name: 'commit-loss-watcher' });
    await this.watcher.connect();
    const subscriber: EntitySubscriberInterface = {
      // Awaited by TypeORM after COMMIT, before the transaction's caller goes on.
      afterTransactionCommit: async () => {
        const check = this.armed;
        if (!check || !(await check())) return;
        this.armed = null;
        await this.cutConnections();
      },
    };
    this.stack.api.get(DataSource).subscribers.push(subscriber);
  }

  /** Cuts the connections after the first commit after which `committed` (run on another session) is true. */
  arm(committed: (db: Client) => Promise<boolean>): void {
    this.cut = false;
    this.armed = () => committed(this.watcher);
  }

  private async admin(sql: string, params: unknown[] = []): Promise<void> {
    const client = new Client({ connectionString: `${PG_BASE_URL}/postgres` });
    await client.connect();
    try {
      await client.query(sql, params);
    } finally {
      await client.end();
    }
  }

  private async cutConnections(): Promise<void> {
    const name = this.stack.database.name;
    await this.admin(`ALTER DATABASE "${name}" WITH ALLOW_CONNECTIONS false`);
    await this.admin(
      `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND application_name LIKE 'cophub%'`,
      [name],
    );
    this.cut = true;
  }

  async restore(): Promise<void> {
    this.armed = null;
    await this.admin(`ALTER DATABASE "${this.stack.database.name}" WITH ALLOW_CONNECTIONS true`);
  }

  async stop(): Promise<void> {
    await this.restore().catch(() => undefined);
    await this.watcher?.end().catch(() => undefined);
  }
}

const exists = (sql: string, params: unknown[]) => async (db: Client) => (await db.query(sql, params)).rows.length > 0;

describe('a write committed just before PostgreSQL is lost answers from its own transaction, never 500', () => {
  let stack: TestStack;
  let loss: ConnectionLossAfterCommit;
  let community: TestCommunity;
  let coChair: TestUser;
  let alice: TestUser;
  let bob: TestUser;

  beforeAll(async () => {
    stack = await TestStack.start({ worker: false, smtp: false });
    loss = new ConnectionLossAfterCommit(stack);
    await loss.start();
    community = await createCommunity(stack);
    coChair = await createMember(stack, community, 'co_chair');
    alice = await createMember(stack, community, 'member');
    bob = await createMember(stack, community, 'member');
  });

  afterEach(async () => {
    await loss.restore();
  });

  afterAll(async () => {
    await loss?.stop();
    await stack?.close();
  });

  const count = async (sql: string, params: unknown[]) => Number((await stack.query<{ n: string }>(sql, params))[0].n);

  /** Retries with the same key until the stored first answer comes back (409 while it is being stored). */
  async function replayOf(send: () => Promise<{ status: number; body: unknown; headers: Record<string, string> }>) {
    let last: { status: number; body: unknown; headers: Record<string, string> } | undefined;
    await eventually(
      async () => {
        last = await send();
        expect([201, 409, 503]).toContain(last.status);
        return last.status === 201;
      },
      'a retry with the same Idempotency-Key to replay the first answer',
      30_000,
    );
    expect(last!.headers['idempotent-replayed']).toBe('true');
    return last!;
  }

  it('creating a poll answers 201 with the poll as created; the retry replays it and no second poll exists', async () => {
    const key = randomUUID();
    const title = `Poll lost after commit ${key.slice(0, 8)}`;
    const body = {
      title,
      questions: [{ kind: 'single_choice', prompt: 'Supported at work?', options: ['Yes', 'No'] }],
    };
    const send = () =>
      stack
        .http()
        .post(`/api/v1/communities/${community.slug}/polls`)
        .set(auth(coChair))
        .set('Idempotency-Key', key)
        .send(body);
    loss.arm(exists('SELECT 1 FROM polls WHERE title = $1', [title]));
    const first = await send();
    expect(loss.cut).toBe(true);
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ title, status: 'draft', responses: 0, me: { manages: true } });
    expect(first.body.questions).toEqual([
      expect.objectContaining({ prompt: 'Supported at work?', options: [expect.any(Object), expect.any(Object)] }),
    ]);
    await loss.restore();

    const replay = await replayOf(send);
    expect(replay.body).toEqual(first.body);
    expect(await count('SELECT count(*) AS n FROM polls WHERE title = $1', [title])).toBe(1);
    // The answer describes what was stored.
    const stored = await stack.http().get(`/api/v1/polls/${first.body.id}`).set(auth(coChair)).expect(200);
    expect(stored.body).toEqual(first.body);
  });

  it('an upload answers 201 with the resource as stored; the retry replays it, one resource and one file', async () => {
    const key = randomUUID();
    const title = `Upload lost after commit ${key.slice(0, 8)}`;
    const pdf = await makePdf(['Terms of reference']);
    const send = () => {
      const { body, type } = multipart(
        { title, tags: 'governance' },
        { filename: 'terms.pdf', contentType: 'application/pdf', data: pdf },
      );
      return stack
        .http()
        .post(`/api/v1/communities/${community.slug}/resources`)
        .set(auth(coChair))
        .set('Idempotency-Key', key)
        .set('Content-Type', type)
        .send(body);
    };
    loss.arm(exists('SELECT 1 FROM resources WHERE title = $1', [title]));
    const first = await send();
    expect(loss.cut).toBe(true);
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ title, tags: ['governance'], canContribute: true });
    expect(JSON.stringify(first.body)).toContain('terms.pdf');
    await loss.restore();

    const replay = await replayOf(send);
    expect(replay.body).toEqual(first.body);
    expect(await count('SELECT count(*) AS n FROM resources WHERE title = $1', [title])).toBe(1);
    expect(await count('SELECT count(*) AS n FROM resource_versions WHERE resource_id = $1', [first.body.id])).toBe(1);
    const stored = await stack.http().get(`/api/v1/resources/${first.body.id}`).set(auth(coChair)).expect(200);
    expect(stored.body).toEqual(first.body);
  });

  it('an RSVP answers with the place it took (here the waiting list); the retry changes nothing', async () => {
    const startsAt = new Date(Date.now() + 72 * 3_600_000);
    const event = await stack
      .http()
      .post(`/api/v1/communities/${community.slug}/events`)
      .set(auth(coChair))
      .send({
        title: 'One-place supervision clinic',
        startsAt: startsAt.toISOString(),
        endsAt: new Date(startsAt.getTime() + 3_600_000).toISOString(),
        locationKind: 'online',
        joinUrl: 'https://meet.example.nhs.uk/clinic',
        capacity: 1,
      })
      .expect(201);
    const rsvp = (as: TestUser) =>
      stack
        .http()
        .put(`/api/v1/events/${event.body.id}/rsvp`)
        .set(auth(as))
        .set('Idempotency-Key', randomUUID())
        .send({ status: 'going' });
    await rsvp(alice).expect(200, { status: 'going', reminders: true, waitlistPlace: null });

    loss.arm(exists('SELECT 1 FROM event_rsvps WHERE event_id = $1 AND user_id = $2', [event.body.id, bob.id]));
    const first = await rsvp(bob);
    expect(loss.cut).toBe(true);
    expect(first.status).toBe(200);
    expect(first.body).toEqual({ status: 'waitlisted', reminders: true, waitlistPlace: 1 });
    await loss.restore();

    // The same reply again (PUT) finds it already made: the same answer, no second row or place.
    let retry: { status: number; body: unknown } | undefined;
    await eventually(
      async () => {
        retry = await rsvp(bob);
        expect([200, 503]).toContain(retry.status);
        return retry.status === 200;
      },
      'the retried RSVP to answer',
      30_000,
    );
    expect(retry!.body).toEqual(first.body);
    expect(await count('SELECT count(*) AS n FROM event_rsvps WHERE event_id = $1', [event.body.id])).toBe(2);
    const [counters] = await stack.query<{ going_count: number; waitlist_count: number }>(
      'SELECT going_count, waitlist_count FROM events WHERE id = $1',
      [event.body.id],
    );
    expect(counters).toEqual({ going_count: 1, waitlist_count: 1 });
  });

  it('a ballot answers 201; the retry is refused 409 already_responded and the vote counts once', async () => {
    const poll = await createPoll(stack, community, coChair, { anonymous: false });
    await openPoll(stack, poll.id, coChair);
    const answers = [{ questionId: poll.questions[0].id, optionIds: [poll.questions[0].options[1].id] }];

    loss.arm(
      exists('SELECT 1 FROM poll_electorate WHERE poll_id = $1 AND user_id = $2 AND responded', [poll.id, alice.id]),
    );
    const first = await vote(stack, poll.id, alice.token, answers);
    expect(loss.cut).toBe(true);
    expect(first.status).toBe(201);
    expect(first.body).toEqual({ accepted: true, replaced: false });
    await loss.restore();

    let retry: { status: number; body: { code?: string } } | undefined;
    await eventually(
      async () => {
        retry = await vote(stack, poll.id, alice.token, answers);
        expect([409, 503]).toContain(retry.status);
        return retry.status === 409;
      },
      'the retried ballot to be answered',
      30_000,
    );
    expect(retry!.body.code).toBe('already_responded');
    expect(await count('SELECT count(*) AS n FROM poll_ballots WHERE poll_id = $1', [poll.id])).toBe(1);
  });

  it('editing a post answers 200 with the edit; a retry naming the old version is refused 409, one edit stored', async () => {
    const category = await stack
      .http()
      .post(`/api/v1/communities/${community.slug}/categories`)
      .set(auth(coChair))
      .send({ name: 'Supervision', position: 1 })
      .expect(201);
    const thread = await stack
      .http()
      .post(`/api/v1/communities/${community.slug}/threads`)
      .set(auth(alice))
      .send({ categoryId: category.body.id, title: 'Group supervision', body: 'Fortnightly?' })
      .expect(201);
    const [post] = await stack.query<{ id: string }>('SELECT id FROM forum_posts WHERE thread_id = $1', [
      thread.body.id,
    ]);
    const edit = () =>
      stack.http().patch(`/api/v1/posts/${post.id}`).set(auth(alice)).send({ body: 'Weekly?', version: 1 });

    loss.arm(exists('SELECT 1 FROM forum_post_revisions WHERE post_id = $1', [post.id]));
    const first = await edit();
    expect(loss.cut).toBe(true);
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ id: post.id, version: 2 });
    expect(JSON.stringify(first.body)).toContain('Weekly?');
    await loss.restore();

    let retry: { status: number; body: { code?: string } } | undefined;
    await eventually(
      async () => {
        retry = await edit();
        expect([409, 503]).toContain(retry.status);
        return retry.status === 409;
      },
      'the retried edit to be answered',
      30_000,
    );
    expect(retry!.body.code).toBe('version_conflict');
    expect(await count('SELECT count(*) AS n FROM forum_post_revisions WHERE post_id = $1', [post.id])).toBe(1);
  });
});
