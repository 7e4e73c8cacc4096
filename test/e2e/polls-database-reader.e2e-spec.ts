import { ChildProcess, spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { createCommunity, createMember, eventually, freePort, TestStack, TestUser } from '@cophub/testing';
import { bulkMembers, openSealedBallots } from './polls.helpers';

const ROOT = resolve(__dirname, '../..');

/**
 * An operator with SELECT on every table (system columns too), read access to Redis and to the API
 * and worker logs, who reads the ballots after every single vote and knows the exact instant each
 * member voted, tries to pair ballots with members. The API and worker run as real processes with
 * info-level logs, which are captured. Anonymous ballots are only ever stored sealed; the close
 * re-seals them all with fresh ids and nonces, in random order, in one transaction.
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

  beforeAll(async () => {
    stack = await TestStack.start({ smtp: false, worker: false });
  });

  afterAll(async () => {
    for (const child of children) child.kill('SIGTERM');
    await stack?.close();
  });

  it('gives no link from member to stored ballot better than chance', async () => {
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
    /** After every vote: each sealed row the operator sees, with the voter whose vote wrote it. */
    const seenWhileOpen = new Map<string, { voter: string; sealed: string; xmin: string }>();
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
      // The operator reads the ballots after this vote: the new sealed row is this voter's (its xmin is
      // their participation row's). Opaque, but remembered, to look for it after the close.
      const sealed = await stack.query<{ id: string; sealed: string; xmin: string }>(
        `SELECT id, encode(sealed, 'hex') AS sealed, xmin::text AS xmin FROM poll_sealed_ballots WHERE poll_id = $1`,
        [poll.id],
      );
      for (const row of sealed) {
        if (!seenWhileOpen.has(row.id)) seenWhileOpen.set(row.id, { voter: m.id, sealed: row.sealed, xmin: row.xmin });
      }
      const [participation] = await stack.query<{ xmin: string }>(
        `SELECT xmin::text AS xmin FROM poll_electorate WHERE poll_id = $1 AND user_id = $2`,
        [poll.id, m.id],
      );
      expect(sealed.filter((row) => row.xmin === participation.xmin)).toHaveLength(1);
      await new Promise((r) => setTimeout(r, 25));
    }
    expect(seenWhileOpen.size).toBe(50);
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

      // 3. Nothing in clear: no ballot or answer rows for the anonymous poll, and a sealed row holds
      // its id, the poll and the ciphertext only (no profile, no time), every one the same size.
      expect(view.rows.filter((r) => r.table === 'poll_ballots' || r.table === 'poll_answers')).toEqual([]);
      const sealedRows = view.rows.filter((r) => r.table === 'poll_sealed_ballots');
      expect(sealedRows).toHaveLength(50);
      for (const r of sealedRows) {
        expect(Object.keys(JSON.parse(r.json)).sort()).toEqual(['id', 'poll_id', 'sealed']);
        for (const id of voterIds) expect(r.json).not.toContain(id);
      }
      expect(new Set(sealedRows.map((r) => JSON.parse(r.json).sealed.length)).size).toBe(1);
    }

    // 4. After the close: one transaction wrote every stored ballot and rewrote every participation
    // row; no id or ciphertext the operator saw while the poll was open survives.
    const closedSealed = afterClose.rows.filter((r) => r.table === 'poll_sealed_ballots');
    expect(new Set(closedSealed.map((r) => r.xmin)).size).toBe(1);
    const participation = afterClose.rows.filter(
      (r) => r.table === 'poll_electorate' && r.json.includes('"responded":true') && r.json.includes(poll.id),
    );
    expect(participation).toHaveLength(50);
    expect(new Set(participation.map((r) => r.xmin))).toEqual(new Set(closedSealed.map((r) => r.xmin)));
    for (const r of closedSealed) {
      const row = JSON.parse(r.json) as { id: string; sealed: string };
      expect(seenWhileOpen.has(row.id)).toBe(false);
      expect([...seenWhileOpen.values()].some((seen) => row.sealed.includes(seen.sealed.slice(0, 48)))).toBe(false);
    }

    // 5. The pairing attack: voters in the order they voted (known instants, and the order the
    // operator saw their sealed rows appear), stored ballots in the order the database gives away
    // (physical position). The test opens the ballots with the key (more than an operator holds) to
    // count the matches. A random order matches 1 on average (6 or more: about 1 run in 1,500);
    // the storage before sealing for good gave 50 while open and batches of 5 after.
    const stored = await openSealedBallots(stack, poll.id);
    expect(stored).toHaveLength(50);
    const storedTexts = stored.map((b) => b.rows.find((r) => r.text !== null)?.text);
    const matches = members.filter((m, i) => storedTexts[i] === textOf.get(m.id)).length;
    expect(matches).toBeLessThanOrEqual(5);
    // Every answer is still there, each exactly once.
    expect(new Set(storedTexts)).toEqual(new Set(textOf.values()));

    // 6. The logs: no line names a voter, so none pairs a member with the vote route or a time.
    const text = logs.join('');
    expect(text).toContain('/responses');
    for (const id of voterIds) expect(text).not.toContain(id);
    expect(instants).toHaveLength(50);
  }, 600_000);
});
