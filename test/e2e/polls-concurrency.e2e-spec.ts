import type { Socket } from 'socket.io-client';
import {
  connectSocket,
  createCommunity,
  createMember,
  joinRoom,
  TestCommunity,
  TestStack,
  TestUser,
} from '@cophub/testing';
import {
  bulkMembers,
  closePoll,
  createPoll,
  expectPerturbed,
  openPoll,
  openSealedBallots,
  pool,
  trueCounts,
  vote,
} from './polls.helpers';

describe('polls under load, live results and anonymity', () => {
  let stack: TestStack;
  let community: TestCommunity;
  let coChair: TestUser;
  const sockets: Socket[] = [];

  beforeAll(async () => {
    stack = await TestStack.start({ smtp: false });
    community = await createCommunity(stack);
    coChair = await createMember(stack, community, 'co_chair');
  });

  afterAll(async () => {
    sockets.forEach((s) => s.disconnect());
    await stack?.close();
  });

  it('counts exactly one ballot per member when 1,000 members each submit twice at once', async () => {
    const members = await bulkMembers(stack, community, 1000);
    const poll = await createPoll(stack, community, coChair, {
      questions: [
        { kind: 'single_choice', prompt: 'Choice', options: ['A', 'B', 'C'] },
        { kind: 'likert', prompt: 'Agree?' },
      ],
    });
    await openPoll(stack, poll.id, coChair);
    const [choice, likert] = poll.questions;
    const answersOf = (i: number) => [
      { questionId: choice.id, optionIds: [choice.options[i % 3].id] },
      { questionId: likert.id, value: 1 + (i % 5) },
    ];
    const statuses = await pool(
      members.map((m, i) => async () => {
        const both = await Promise.all([
          vote(stack, poll.id, m.token, answersOf(i)),
          vote(stack, poll.id, m.token, answersOf(i)),
        ]);
        return both.map((r) => r.status).sort();
      }),
      60,
    );
    const unexpected = statuses.filter((s) => s[0] !== 201 || s[1] !== 409);
    expect(unexpected).toEqual([]);

    // Anonymous ballots are only ever stored sealed.
    const [counts] = await stack.query<{ ballots: string; responded: string }>(
      `SELECT (SELECT count(*) FROM poll_ballots WHERE poll_id = $1) + (SELECT count(*) FROM poll_sealed_ballots WHERE poll_id = $1) AS ballots,
              (SELECT count(*) FROM poll_electorate WHERE poll_id = $1 AND responded) AS responded`,
      [poll.id],
    );
    expect(counts).toEqual({ ballots: '1000', responded: '1000' });

    await closePoll(stack, poll.id, coChair);
    const sealed = await openSealedBallots(stack, poll.id);
    expect(sealed).toHaveLength(1000);
    // i % 3 over 0..999: 334 × A, 333 × B, 333 × C; i % 5: 200 each. Exact in the sealed ballots …
    expect(trueCounts(sealed, choice)).toEqual([334, 333, 333]);
    const results = await stack
      .http()
      .get(`/api/v1/polls/${poll.id}/results`)
      .set('authorization', `Bearer ${coChair.token}`);
    expect(results.body.turnout).toEqual({ electorate: 1001, responses: 1000, percent: 99.9 });
    // … and published within the perturbation window.
    expectPerturbed(
      results.body.questions[0].counts.map((c: { count: number }) => c.count),
      [334, 333, 333],
      1000,
    );
    expectPerturbed(
      results.body.questions[1].counts.map((c: { count: number }) => c.count),
      [200, 200, 200, 200, 200],
      1000,
    );
    expect(Math.abs(results.body.questions[1].mean - 3)).toBeLessThan(0.02);
    // Breakdown by profession (i % 4): every group is large, so nothing is hidden and the cells add up.
    const table = results.body.questions[0].breakdowns.profession;
    expect(table.rows.map((r: { group: string; total: number }) => [r.group, r.total])).toEqual([
      ['CYWP', 250],
      ['EMHP', 250],
      ['MHWP', 250],
      ['PWP', 250],
    ]);
  }, 240_000);

  it('keeps results hidden until close for members and sockets, and streams counts when results are live', async () => {
    // 15 voters. An anonymous poll with live results shows its turnout as it moves, never counts.
    const voters = await bulkMembers(stack, community, 16);
    const watcher = voters[0];
    const hidden = await createPoll(stack, community, coChair, { resultsVisibility: 'after_close' });
    const live = await createPoll(stack, community, coChair, { resultsVisibility: 'live' });
    const mhwpOnly = await createPoll(stack, community, coChair, { audience: { professions: ['MHWP'] } });
    for (const p of [hidden, live, mhwpOnly]) await openPoll(stack, p.id, coChair);

    const socket = await connectSocket(stack.url, watcher.token);
    sockets.push(socket);
    const join = (room: string) => joinRoom(socket, room);
    expect(await join(`poll:${hidden.id}`)).toMatchObject({ ok: true });
    expect(await join(`poll:${live.id}`)).toMatchObject({ ok: true });
    // watcher is bulk member 0: profession PWP, so not in the MHWP-only audience.
    expect(await join(`poll:${mhwpOnly.id}`)).toMatchObject({ ok: false });

    const heard: Array<{ event: string; payload: { pollId: string; responses?: number; counts?: object } }> = [];
    socket.onAny((event, payload) => heard.push({ event, payload }));

    for (const v of voters.slice(1)) {
      for (const p of [hidden, live]) {
        const q = p.questions[0];
        await vote(stack, p.id, v.token, [{ questionId: q.id, optionIds: [q.options[0].id] }]).expect(201);
      }
    }
    const { eventually } = await import('@cophub/testing');
    await eventually(
      async () =>
        heard.find((h) => h.event === 'poll.results' && h.payload.pollId === live.id && h.payload.responses === 15),
      'live turnout for the live poll',
    );
    // No answer-dependent figure ever reaches the socket while the poll is open.
    expect(
      heard
        .filter((h) => h.event === 'poll.results' && h.payload.pollId === live.id)
        .every((h) => JSON.stringify(h.payload.counts) === '{}'),
    ).toBe(true);

    const memberResults = () =>
      stack.http().get(`/api/v1/polls/${hidden.id}/results`).set('authorization', `Bearer ${watcher.token}`);
    const refused = await memberResults();
    expect(refused.status).toBe(403);
    expect(refused.body.message).toBe('Results are shown when the poll closes');
    expect(
      (await stack.http().get(`/api/v1/polls/${live.id}/results`).set('authorization', `Bearer ${watcher.token}`))
        .status,
    ).toBe(200);

    await closePoll(stack, hidden.id, coChair);
    await eventually(
      async () => heard.some((h) => h.event === 'poll.closed' && h.payload.pollId === hidden.id),
      'poll.closed',
    );
    // Nothing about the hidden poll's answers reached the socket before it closed.
    expect(heard.filter((h) => h.payload?.pollId === hidden.id).map((h) => h.event)).toEqual(['poll.closed']);
    const after = await memberResults();
    expect(after.status).toBe(200);
    expect(after.body.turnout.responses).toBe(15);
    // All 15 gave the same answer: published anyway (nothing is withheld because of what people
    // answered), within the perturbation window, so "everyone said A" is never certain.
    const [q0] = after.body.questions;
    expect(q0.withheld).toBeUndefined();
    expectPerturbed(
      q0.counts.map((c: { count: number }) => c.count),
      [15, 0, 0],
      15,
    );
  });

  it('stores anonymous ballots so that nothing in the database links them to members', async () => {
    const voters = await bulkMembers(stack, community, 30);
    const poll = await createPoll(stack, community, coChair, {
      questions: [
        { kind: 'single_choice', prompt: 'Choice', options: ['A', 'B', 'C'] },
        { kind: 'free_text', prompt: 'Why?' },
      ],
    });
    await openPoll(stack, poll.id, coChair);
    const [choice, why] = poll.questions;
    // One at a time, in a known order: the worst case for order-based linking.
    for (const [i, v] of voters.entries()) {
      await vote(stack, poll.id, v.token, [
        { questionId: choice.id, optionIds: [choice.options[i % 3].id] },
        { questionId: why.id, text: `reason ${String(i).padStart(2, '0')}` },
      ]).expect(201);
    }
    await closePoll(stack, poll.id, coChair);

    // 1. Nothing in clear: anonymous polls never write to the ballot and answer tables, and the sealed
    // table has no column that could hold a person, a time or a sequence.
    expect(await stack.query(`SELECT 1 FROM poll_ballots WHERE poll_id = $1`, [poll.id])).toEqual([]);
    expect(await stack.query(`SELECT 1 FROM poll_answers WHERE poll_id = $1`, [poll.id])).toEqual([]);
    const columns = await stack.query<{ column_name: string; data_type: string; column_default: string | null }>(
      `SELECT column_name, data_type, column_default FROM information_schema.columns
        WHERE table_name = 'poll_sealed_ballots' ORDER BY ordinal_position`,
    );
    expect(columns.map((c) => [c.column_name, c.data_type, c.column_default])).toEqual([
      ['id', 'uuid', null],
      ['poll_id', 'uuid', null],
      ['sealed', 'bytea', null],
    ]);

    // 2. responded_at is not recorded on anonymous participation.
    const [nulls] = await stack.query<{ with_time: string }>(
      `SELECT count(*) AS with_time FROM poll_electorate WHERE poll_id = $1 AND responded_at IS NOT NULL`,
      [poll.id],
    );
    expect(nulls).toEqual({ with_time: '0' });

    // 3. No value on a sealed row equals any value on the participation side, and no written answer
    // appears in clear anywhere in the row.
    const [shared] = await stack.query<{ n: string }>(
      `WITH ballot_values AS (SELECT b.id::text AS v FROM poll_sealed_ballots b WHERE b.poll_id = $1),
       person_values AS (
         SELECT e.user_id::text AS v FROM poll_electorate e WHERE e.poll_id = $1
         UNION SELECT u.email FROM users u UNION SELECT u.display_name FROM users u)
       SELECT count(*) AS n FROM ballot_values JOIN person_values USING (v)`,
      [poll.id],
    );
    expect(shared.n).toBe('0');
    const [clear] = await stack.query<{ n: string }>(
      `SELECT count(*) AS n FROM poll_sealed_ballots WHERE poll_id = $1 AND position('reason'::bytea IN sealed) > 0`,
      [poll.id],
    );
    expect(clear.n).toBe('0');

    // 4. System columns: the close wrote every stored ballot in one transaction and rewrote the
    // participation rows in that same one …
    const [writes] = await stack.query<{ ballots: number; participation: number; same: boolean }>(
      `SELECT (SELECT count(DISTINCT xmin::text) FROM poll_sealed_ballots WHERE poll_id = $1)::int AS ballots,
              (SELECT count(DISTINCT xmin::text) FROM poll_electorate WHERE poll_id = $1 AND responded)::int AS participation,
              (SELECT min(xmin::text) FROM poll_sealed_ballots WHERE poll_id = $1)
                = (SELECT min(xmin::text) FROM poll_electorate WHERE poll_id = $1 AND responded) AS same`,
      [poll.id],
    );
    expect(writes).toEqual({ ballots: 1, participation: 1, same: true });
    // … and neither physical order follows the order people voted in.
    const physical = await stack.query<{ user_id: string }>(
      `SELECT user_id FROM poll_electorate WHERE poll_id = $1 AND responded ORDER BY ctid`,
      [poll.id],
    );
    expect(physical.map((r) => r.user_id)).not.toEqual(voters.map((v) => v.id));
    expect(new Set(physical.map((r) => r.user_id))).toEqual(new Set(voters.map((v) => v.id)));
    const storedOrder = (await openSealedBallots(stack, poll.id)).map((b) => b.rows.find((r) => r.text)?.text);
    expect(storedOrder).not.toEqual(voters.map((_, i) => `reason ${String(i).padStart(2, '0')}`));

    // 5. Free text comes back sorted, not in the order given, and without names.
    const results = await stack
      .http()
      .get(`/api/v1/polls/${poll.id}/results`)
      .set('authorization', `Bearer ${coChair.token}`);
    const texts: string[] = results.body.questions[1].texts;
    expect(texts).toEqual([...texts].sort());
    expect(JSON.stringify(results.body)).not.toContain(voters[0].id);
  });
});
