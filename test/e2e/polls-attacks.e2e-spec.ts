import { createCommunity, createMember, TestCommunity, TestStack, TestUser } from '@cophub/testing';
import type { Profile } from '@cophub/polls';
import { attack, figuresFromApi, figuresFromCsv, figuresFromSummary, PublicQuestion } from '../polls-attacker';
import { closePoll, createPoll, openPoll, vote } from './polls.helpers';

/**
 * The four ways an attacker broke anonymous polls, each replayed end to end: the published results
 * (JSON, CSV, summary) attacked with the member list a co-chair sees, the database and Redis read by
 * an operator, and a co-chair watching the counts of an open poll.
 */
describe('anonymous poll attacks', () => {
  let stack: TestStack;

  beforeAll(async () => {
    stack = await TestStack.start({ smtp: false });
  });

  afterAll(async () => {
    await stack?.close();
  });

  interface Voter {
    user: TestUser;
    profile: Profile;
  }

  async function electorate(community: TestCommunity, people: Array<Partial<Profile>>): Promise<Voter[]> {
    const voters: Voter[] = [];
    for (const [i, p] of people.entries()) {
      const profile: Profile = {
        profession: p.profession ?? 'PWP',
        careerStage: p.careerStage ?? 'qualified',
        region: p.region ?? 'north_west',
      };
      voters.push({ user: await createMember(stack, community, i === 0 ? 'co_chair' : 'member', profile), profile });
    }
    return voters;
  }

  /**
   * Each voter submits `ballotOf(i)`, the co-chair closes the poll, and every output a co-chair can get
   * is attacked on its own: none may determine a hidden cell or a member's answer.
   */
  async function voteCloseAndAttack(pollId: string, voters: Voter[], ballotOf: (i: number) => object[]) {
    for (const [i, v] of voters.entries()) await vote(stack, pollId, v.user.token, ballotOf(i)).expect(201);
    const chair = voters[0].user;
    await closePoll(stack, pollId, chair);
    const { results, reports } = await attackEveryOutput(
      pollId,
      chair,
      voters.map((v) => v.profile),
    );
    expect(reports.json.disclosures).toEqual([]);
    expect(reports.csv.disclosures).toEqual([]);
    expect(reports.summary.disclosures).toEqual([]);
    return results;
  }

  async function attackEveryOutput(pollId: string, chair: TestUser, members: Profile[]) {
    const auth = { authorization: `Bearer ${chair.token}` };
    const definition = await stack.http().get(`/api/v1/polls/${pollId}`).set(auth).expect(200);
    const questions = definition.body.questions as PublicQuestion[];
    const json = await stack.http().get(`/api/v1/polls/${pollId}/results`).set(auth).expect(200);
    const csv = await stack.http().get(`/api/v1/polls/${pollId}/results.csv`).set(auth).expect(200);
    const summary = await stack.http().get(`/api/v1/polls/${pollId}/summary`).set(auth).expect(200);
    const reports = {
      json: await attack(questions, members, figuresFromApi(questions, json.body)),
      csv: await attack(questions, members, figuresFromCsv(questions, csv.text, json.body.turnout.responses)),
      summary: await attack(questions, members, figuresFromSummary(questions, summary.text)),
    };
    return { results: json.body, reports };
  }

  it('attack 1, across questions: group totals are the same in every table and no hidden cell solves from another question', async () => {
    const community = await createCommunity(stack, { breakdownThreshold: 5 });
    // 9 London, 6 Midlands, 5 North West; two required questions, 100% turnout. Today's suppression
    // hides the Midlands total in question 1 and shows it (6) in question 2; with the zeros shown,
    // question 1's hidden cells solve and every Midlands member is known to have answered C.
    const answers: Array<[string, number, number]> = [
      ['london', 0, 0], ['london', 2, 0], ['london', 2, 1], ['london', 0, 0], ['london', 2, 1], ['london', 2, 2],
      ['london', 2, 0], ['london', 0, 0], ['london', 2, 0], ['midlands', 2, 2], ['midlands', 2, 2], ['midlands', 2, 0],
      ['midlands', 2, 1], ['midlands', 2, 0], ['midlands', 2, 0], ['north_west', 1, 2], ['north_west', 0, 2],
      ['north_west', 1, 1], ['north_west', 1, 2], ['north_west', 0, 0],
    ]; // prettier-ignore
    const voters = await electorate(
      community,
      answers.map(([region]) => ({ region })),
    );
    const chair = voters[0].user;
    const poll = await createPoll(stack, community, chair, {
      questions: [
        { kind: 'single_choice', prompt: 'Supervision is enough', options: ['A', 'B', 'C'] },
        { kind: 'single_choice', prompt: 'Caseload is manageable', options: ['A', 'B', 'C'] },
      ],
    });
    await openPoll(stack, poll.id, chair);
    const [q1, q2] = poll.questions;
    const results = await voteCloseAndAttack(poll.id, voters, (i) => [
      { questionId: q1.id, optionIds: [q1.options[answers[i][1]].id] },
      { questionId: q2.id, optionIds: [q2.options[answers[i][2]].id] },
    ]);
    const totals = (qi: number) =>
      results.questions[qi].breakdowns.region.rows.map((r: { group: string; total: number | null }) => [
        r.group,
        r.total,
      ]);
    expect(totals(0)).toEqual(totals(1));
  });

  it('attack 2, zeros and unanimity: a hidden row hides its zeros, and a unanimous group at full turnout gives nobody away', async () => {
    const community = await createCommunity(stack, { breakdownThreshold: 5 });
    // Qualified: 5 PWP + 1 EMHP, all answer A. EMHP (3) and MHWP (2) are small groups. Everyone votes.
    const people: Array<Partial<Profile> & { answer: number }> = [
      ...Array.from({ length: 5 }, () => ({ profession: 'PWP', careerStage: 'qualified', answer: 0 })),
      { profession: 'EMHP', careerStage: 'qualified', answer: 0 },
      ...[1, 2, 1, 2, 0].map((answer) => ({ profession: 'PWP', careerStage: 'trainee', answer })),
      ...[1, 2].map((answer) => ({ profession: 'EMHP', careerStage: 'trainee', answer })),
      ...[0, 0].map((answer) => ({ profession: 'MHWP', careerStage: 'trainee', answer })),
    ];
    const voters = await electorate(community, people);
    const chair = voters[0].user;
    const poll = await createPoll(stack, community, chair, {
      questions: [{ kind: 'single_choice', prompt: 'Preferred supervision', options: ['A', 'B', 'C', 'D'] }],
    });
    await openPoll(stack, poll.id, chair);
    const q = poll.questions[0];
    const results = await voteCloseAndAttack(poll.id, voters, (i) => [
      { questionId: q.id, optionIds: [q.options[people[i].answer].id] },
    ]);
    for (const question of results.questions) {
      for (const table of Object.values(question.breakdowns ?? {}) as Array<{
        rows: Array<{ total: number | null; cells: Array<{ count: number | null }> }>;
      }>) {
        for (const row of table.rows) {
          if (row.total === null) expect(row.cells.map((c) => c.count)).toEqual(row.cells.map(() => null));
        }
      }
    }
    // What was held back is said in words.
    expect(JSON.stringify(results.withheld ?? [])).toMatch(/[a-z]/);
  });

  it('attack 3, order: the ballot table and Redis give no voting order to pair ballots with voters', async () => {
    const k = 5;
    const community = await createCommunity(stack, { breakdownThreshold: k });
    const voters = await electorate(
      community,
      Array.from({ length: 11 }, () => ({})),
    );
    const chair = voters[0].user;
    const poll = await createPoll(stack, community, chair, {
      questions: [{ kind: 'free_text', prompt: 'One thing to change' }],
    });
    await openPoll(stack, poll.id, chair);
    const q = poll.questions[0];
    for (const [i, v] of voters.entries()) {
      await vote(stack, poll.id, v.user.token, [{ questionId: q.id, text: `change ${i}` }]).expect(201);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    const textOf = new Map(voters.map((v, i) => [v.user.id, `change ${i}`]));

    // The operator's view while the poll is open, then after it closes.
    const readTimes = async () => {
      const keys = await stack.redis.keys(`${stack.config.queuePrefix}:*`);
      const times = new Map<string, number>();
      for (const key of keys) {
        const owner = voters.find((v) => key.includes(v.user.id));
        if (owner) times.set(owner.user.id, await stack.redis.pttl(key));
      }
      const electorateRows = await stack.query<{ user_id: string; x: string }>(
        `SELECT user_id, xmin::text AS x FROM poll_electorate WHERE poll_id = $1 AND responded`,
        [poll.id],
      );
      return { times, electorateXmin: new Map(electorateRows.map((r) => [r.user_id, Number(r.x)])) };
    };
    const whileOpen = await readTimes();
    await closePoll(stack, poll.id, chair);
    const ballots = await stack.query<{ text: string; x: string }>(
      `SELECT a.text, b.xmin::text AS x FROM poll_ballots b JOIN poll_answers a ON a.ballot_id = b.id
        WHERE b.poll_id = $1 ORDER BY b.xmin::text::bigint, b.ctid`,
      [poll.id],
    );
    expect(ballots).toHaveLength(11);

    // Every ballot shares its transaction with at least k − 1 others.
    const perXmin = new Map<string, number>();
    for (const b of ballots) perXmin.set(b.x, (perXmin.get(b.x) ?? 0) + 1);
    expect(Math.min(...perXmin.values())).toBeGreaterThanOrEqual(k);
    // Nothing in Redis names a voter.
    expect(whileOpen.times.size).toBe(0);

    // The attack: order voters by the best time signal left (Redis expiry, else their participation
    // row's transaction), ballots by transaction and position, and pair them.
    const order = voters
      .map((v) => v.user.id)
      .sort(
        (a, b) =>
          (whileOpen.times.get(a) ?? 0) - (whileOpen.times.get(b) ?? 0) ||
          (whileOpen.electorateXmin.get(a) ?? 0) - (whileOpen.electorateXmin.get(b) ?? 0),
      );
    const linked = order.filter((id, i) => ballots[i].text === textOf.get(id)).length;
    // Today: 11 of 11. Chance within two batches gives about 2; 6 or more happens < 0.5% of runs.
    expect(linked).toBeLessThan(6);
  });

  it('attack 4, watching: the counts of an open anonymous poll move only in groups of at least k', async () => {
    const k = 5;
    const community = await createCommunity(stack, { breakdownThreshold: k });
    const voters = await electorate(
      community,
      Array.from({ length: 13 }, () => ({})),
    );
    const chair = voters[0].user;
    const poll = await createPoll(stack, community, chair, { resultsVisibility: 'live' });
    await openPoll(stack, poll.id, chair);
    const q = poll.questions[0];
    const seen: Array<{ responses: number; detail: number; counts: number[] }> = [];
    const look = async () => {
      const auth = { authorization: `Bearer ${chair.token}` };
      const results = await stack.http().get(`/api/v1/polls/${poll.id}/results`).set(auth).expect(200);
      const detail = await stack.http().get(`/api/v1/polls/${poll.id}`).set(auth).expect(200);
      seen.push({
        responses: results.body.turnout.responses,
        detail: detail.body.responses,
        counts: results.body.questions[0].counts.map((c: { count: number | null }) => c.count ?? 0),
      });
    };
    await look();
    for (const [i, v] of voters.entries()) {
      await vote(stack, poll.id, v.user.token, [{ questionId: q.id, optionIds: [q.options[i % 3].id] }]).expect(201);
      await look();
      // The voter's own status is exact at once.
      const me = await stack.http().get(`/api/v1/polls/${poll.id}`).set('authorization', `Bearer ${v.user.token}`);
      expect(me.body.me.responded).toBe(true);
    }
    await closePoll(stack, poll.id, chair);
    await look();

    const steps = seen
      .slice(1)
      .map((s, i) => s.responses - seen[i].responses)
      .filter((d) => d !== 0);
    expect(steps.every((d) => d >= k)).toBe(true);
    expect(seen.every((s) => s.detail === s.responses)).toBe(true);
    for (let i = 1; i < seen.length; i += 1) {
      const moved = seen[i].counts.reduce((sum, c, j) => sum + Math.abs(c - seen[i - 1].counts[j]), 0);
      expect(moved === 0 || moved >= k).toBe(true);
    }
    // After close, everything is counted exactly.
    expect(seen[seen.length - 1].responses).toBe(13);
  });
});
