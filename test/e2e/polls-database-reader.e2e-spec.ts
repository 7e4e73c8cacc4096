import { ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { resolve } from 'node:path';
import { createCommunity, createMember, eventually, TestStack, TestUser } from '@cophub/testing';
import { bulkMembers } from './polls.helpers';

const ROOT = resolve(__dirname, '../..');

/**
 * An operator with SELECT on every table (system columns too), read access to Redis and to the API
 * and worker logs, who also knows the exact instant each member voted, tries to pair ballots with
 * members. The API and worker run as real processes with info-level logs, which are captured.
 */
describe('anonymous poll against a database, Redis and log reader', () => {
  let stack: TestStack;
  const children: ChildProcess[] = [];
  const logs: string[] = [];

  function start(entry: string, env: Record<string, string>): ChildProcess {
    const child = spawn(process.execPath, ['-r', '@swc-node/register', entry], {
      cwd: ROOT,
      env: {
        ...process.env,
        ...stack.env,
        ...env,
        LOG_LEVEL: 'info',
        SWC_NODE_PROJECT: resolve(ROOT, 'tsconfig.json'),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout!.on('data', (chunk: Buffer) => logs.push(chunk.toString()));
    child.stderr!.on('data', (chunk: Buffer) => logs.push(chunk.toString()));
    children.push(child);
    return child;
  }

  const freePort = () =>
    new Promise<number>((done) => {
      const server = createServer().listen(0, '127.0.0.1', () => {
        const { port } = server.address() as { port: number };
        server.close(() => done(port));
      });
    });

  beforeAll(async () => {
    stack = await TestStack.start({ smtp: false, worker: false });
  });

  afterAll(async () => {
    for (const child of children) child.kill('SIGTERM');
    await stack?.close();
  });

  it('gives no link from member to ballot better than chance within a batch', async () => {
    const k = 5;
    const port = await freePort();
    start('apps/api/src/main.ts', { PORT: String(port) });
    start('apps/worker/src/main.ts', {});
    const api = `http://127.0.0.1:${port}`;
    await eventually(async () => (await fetch(`${api}/health`).catch(() => null))?.ok, 'API process up', 120_000);
    const call = async (token: string, method: string, path: string, body?: object) => {
      const response = await fetch(`${api}/api/v1${path}`, {
        method,
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: body ? JSON.stringify(body) : undefined,
      });
      return { status: response.status, body: (await response.json().catch(() => null)) as Record<string, unknown> };
    };

    const community = await createCommunity(stack, { breakdownThreshold: k });
    const chair: TestUser = await createMember(stack, community, 'co_chair');
    const members = await bulkMembers(stack, community, 50);
    const created = await call(chair.token, 'POST', `/communities/${community.slug}/polls`, {
      title: 'Caseloads',
      resultsVisibility: 'live',
      questions: [
        { kind: 'single_choice', prompt: 'Is your caseload manageable?', options: ['Yes', 'No', 'Sometimes'] },
        { kind: 'free_text', prompt: 'What would help?' },
      ],
    });
    expect(created.status).toBe(201);
    const poll = created.body as { id: string; questions: Array<{ id: string; options: Array<{ id: string }> }> };
    expect((await call(chair.token, 'POST', `/polls/${poll.id}/open`, {})).status).toBe(200);
    const [{ x: openedAtXid }] = await stack.query<{ x: string }>(`SELECT pg_current_xact_id()::text AS x`);

    // One at a time, at known instants: the worst case for anyone pairing by time or order.
    const [choice, help] = poll.questions;
    const textOf = new Map<string, string>();
    const instants: number[] = [];
    for (const [i, m] of members.entries()) {
      const text = `help ${Math.random().toString(36).slice(2, 10)}`;
      textOf.set(m.id, text);
      instants.push(Date.now());
      const voted = await call(m.token, 'POST', `/polls/${poll.id}/responses`, {
        answers: [
          { questionId: choice.id, optionIds: [choice.options[i % 3].id] },
          { questionId: help.id, text },
        ],
      });
      expect(voted.status).toBe(201);
      await new Promise((r) => setTimeout(r, 25));
    }
    const voterIds = new Set(members.map((m) => m.id));

    /** The operator's read: every table with xmin and ctid, every Redis key under the prefix with its TTL. */
    const read = async () => {
      const tables = await stack.query<{ tablename: string }>(
        `SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename`,
      );
      const rows: Array<{ table: string; xmin: number; ctid: string; json: string }> = [];
      for (const { tablename } of tables) {
        const found = await stack.query<{ xmin: string; ctid: string; json: string }>(
          `SELECT xmin::text AS xmin, ctid::text AS ctid, row_to_json(t)::text AS json FROM "${tablename}" t`,
        );
        rows.push(...found.map((r) => ({ table: tablename, xmin: Number(r.xmin), ctid: r.ctid, json: r.json })));
      }
      const keys = await stack.redis.keys(`${stack.config.queuePrefix}:*`);
      const redis: Array<{ key: string; ttl: number; dump: string }> = [];
      for (const key of keys) {
        const type = await stack.redis.type(key);
        const dump =
          type === 'string'
            ? String(await stack.redis.get(key))
            : type === 'hash'
              ? JSON.stringify(await stack.redis.hgetall(key))
              : type === 'list'
                ? JSON.stringify(await stack.redis.lrange(key, 0, -1))
                : type === 'set'
                  ? JSON.stringify(await stack.redis.smembers(key))
                  : type === 'zset'
                    ? JSON.stringify(await stack.redis.zrange(key, 0, -1))
                    : type;
        redis.push({ key, ttl: await stack.redis.pttl(key), dump });
      }
      return { rows, redis };
    };

    const whileOpen = await read();
    expect((await call(chair.token, 'POST', `/polls/${poll.id}/close`)).status).toBe(200);
    const afterClose = await read();

    for (const view of [whileOpen, afterClose]) {
      // 1. Nothing in Redis names a voter or keeps a per-voter expiry: vote rate-limit counters are
      // one hash per minute, their fields keyed by an HMAC, with one expiry shared by all.
      for (const entry of view.redis) {
        for (const id of voterIds) expect(`${entry.key} ${entry.dump}`).not.toContain(id);
      }
      const voteKeys = view.redis.filter((e) => e.key.includes(':rl:vote:'));
      expect(voteKeys.length).toBeLessThanOrEqual(Math.ceil((Date.now() - instants[0]) / 60_000) + 1);

      // 2. No row naming a voter was written after the poll opened, except participation rows (and the
      // worker's handling of the invitations sent at opening).
      const touched = view.rows.filter(
        (r) =>
          r.xmin > Number(openedAtXid) &&
          r.table !== 'poll_electorate' &&
          !r.json.includes('invitation') &&
          [...voterIds].some((id) => r.json.includes(id)),
      );
      expect(touched.map((r) => r.table)).toEqual([]);

      // 3. Ballots hold no value of any person.
      const ballots = view.rows.filter((r) => r.table === 'poll_ballots' || r.table === 'poll_answers');
      for (const r of ballots) for (const id of voterIds) expect(r.json).not.toContain(id);

      // 4. Every transaction that wrote ballots wrote at least k of them, and participation rows carry
      // a batch's transaction, never a single vote's.
      const ballotRows = view.rows.filter((r) => r.table === 'poll_ballots');
      const perXmin = new Map<number, number>();
      for (const r of ballotRows) perXmin.set(r.xmin, (perXmin.get(r.xmin) ?? 0) + 1);
      expect(Math.min(...perXmin.values())).toBeGreaterThanOrEqual(k);
      const participation = view.rows.filter(
        (r) => r.table === 'poll_electorate' && r.json.includes('"responded":true') && r.json.includes(poll.id),
      );
      const participationXmins = new Map<number, number>();
      for (const r of participation) participationXmins.set(r.xmin, (participationXmins.get(r.xmin) ?? 0) + 1);
      const singles = [...participationXmins.values()].filter((n) => n < k).length;
      // While open, at most the last few voters (fewer than 2k, still sealed) are unmixed.
      expect(singles).toBeLessThan(2 * k);
    }

    // 5. The pairing attack: voters in the order they voted (known instants), ballots in the order
    // the database gives away (transaction, then physical position). Chance within batches of this
    // size gives about 3 matches (simulated: p99 8, p99.9 10); today's storage gave 50.
    const ordered = afterClose.rows
      .filter((r) => r.table === 'poll_answers' && r.json.includes('"text":"help '))
      .map((r) => ({ ...r, ballot: JSON.parse(r.json) as { ballot_id: string; text: string } }));
    const ballotOrder = afterClose.rows
      .filter((r) => r.table === 'poll_ballots' && r.json.includes(poll.id))
      .sort((a, b) => a.xmin - b.xmin || ctidOrder(a.ctid, b.ctid))
      .map((r) => (JSON.parse(r.json) as { id: string }).id);
    const textOfBallot = new Map(ordered.map((r) => [r.ballot.ballot_id, r.ballot.text]));
    expect(ballotOrder).toHaveLength(50);
    const matches = members.filter((m, i) => textOfBallot.get(ballotOrder[i]) === textOf.get(m.id)).length;
    expect(matches).toBeLessThanOrEqual(12);

    // 6. The logs: no line names a voter, so none pairs a member with the vote route or a time.
    const text = logs.join('');
    expect(text).toContain('/responses');
    for (const id of voterIds) expect(text).not.toContain(id);
    expect(instants).toHaveLength(50);
  }, 600_000);
});

function ctidOrder(a: string, b: string): number {
  const [pa, ia] = a.slice(1, -1).split(',').map(Number);
  const [pb, ib] = b.slice(1, -1).split(',').map(Number);
  return pa - pb || ia - ib;
}
