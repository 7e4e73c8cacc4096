import { createCommunity, createMember, TestCommunity, TestStack, TestUser } from '@cophub/testing';
import { MAX_NOISE, type Profile } from '@cophub/polls';
import { attack, figuresFromApi, figuresFromCsv, figuresFromSummary, PublicQuestion } from '../polls-attacker';
import { closePoll, createPoll, openPoll, openSealedBallots, vote } from './polls.helpers';

/**
 * The ways an attacker broke anonymous polls, each replayed end to end: the published results (JSON,
 * CSV, summary) attacked with the member list a co-chair sees, as windows (every count is moved by up
 * to 2), reading "did not choose" as well as "chose", and by each voter holding their own ballot; the
 * database and Redis read by an operator; and a co-chair watching an open poll.
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
  async function voteCloseAndAttack(
    pollId: string,
    voters: Voter[],
    ballotOf: (i: number) => object[],
    columnsOf: (i: number) => Array<number[] | null>,
  ) {
    for (const [i, v] of voters.entries()) await vote(stack, pollId, v.user.token, ballotOf(i)).expect(201);
    const chair = voters[0].user;
    await closePoll(stack, pollId, chair);
    const members = voters.map((v) => v.profile);
    const { results, reports, questions, figures } = await attackEveryOutput(pollId, chair, members);
    expect(reports.json.disclosures).toEqual([]);
    expect(reports.csv.disclosures).toEqual([]);
    expect(reports.summary.disclosures).toEqual([]);
    // Each voter, holding their own ballot, attacks the publication too.
    for (const [i, v] of voters.entries()) {
      const own = await attack(questions, members, figures, {
        window: MAX_NOISE,
        negative: true,
        known: [{ profile: v.profile, answers: columnsOf(i) }],
      });
      expect(own.disclosures).toEqual([]);
    }
    return results;
  }

  async function attackEveryOutput(pollId: string, chair: TestUser, members: Profile[]) {
    const auth = { authorization: `Bearer ${chair.token}` };
    const definition = await stack.http().get(`/api/v1/polls/${pollId}`).set(auth).expect(200);
    const questions = definition.body.questions as PublicQuestion[];
    const json = await stack.http().get(`/api/v1/polls/${pollId}/results`).set(auth).expect(200);
    const csv = await stack.http().get(`/api/v1/polls/${pollId}/results.csv`).set(auth).expect(200);
    const summary = await stack.http().get(`/api/v1/polls/${pollId}/summary`).set(auth).expect(200);
    const options = { window: MAX_NOISE, negative: true };
    const figures = figuresFromApi(questions, json.body);
    const reports = {
      json: await attack(questions, members, figures, options),
      csv: await attack(questions, members, figuresFromCsv(questions, csv.text, json.body.turnout.responses), options),
      summary: await attack(questions, members, figuresFromSummary(questions, summary.text), options),
    };
    return { results: json.body, reports, questions, figures };
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
    const results = await voteCloseAndAttack(
      poll.id,
      voters,
      (i) => [
        { questionId: q1.id, optionIds: [q1.options[answers[i][1]].id] },
        { questionId: q2.id, optionIds: [q2.options[answers[i][2]].id] },
      ],
      (i) => [[answers[i][1]], [answers[i][2]]],
    );
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
    const results = await voteCloseAndAttack(
      poll.id,
      voters,
      (i) => [{ questionId: q.id, optionIds: [q.options[people[i].answer].id] }],
      (i) => [[people[i].answer]],
    );
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
    const sealedWhileOpen = await stack.query<{ id: string }>(`SELECT id FROM poll_sealed_ballots WHERE poll_id = $1`, [
      poll.id,
    ]);
    await closePoll(stack, poll.id, chair);
    // Nothing in clear: anonymous polls never write to poll_ballots / poll_answers.
    expect(await stack.query(`SELECT 1 FROM poll_ballots WHERE poll_id = $1`, [poll.id])).toEqual([]);
    const stored = await stack.query<{ id: string; x: string; size: number }>(
      `SELECT id, xmin::text AS x, octet_length(sealed) AS size FROM poll_sealed_ballots WHERE poll_id = $1
        ORDER BY ctid`,
      [poll.id],
    );
    expect(stored).toHaveLength(11);
    // One transaction (the close) wrote every stored ballot, each the same size, none with an id it had
    // while the poll was open.
    expect(new Set(stored.map((b) => b.x)).size).toBe(1);
    expect(new Set(stored.map((b) => b.size)).size).toBe(1);
    const openIds = new Set(sealedWhileOpen.map((b) => b.id));
    expect(stored.filter((b) => openIds.has(b.id))).toEqual([]);
    // Nothing in Redis names a voter.
    expect(whileOpen.times.size).toBe(0);

    // The attack: order voters by the best time signal left (their participation row's transaction,
    // read while the poll was open, which is their vote's), ballots by physical position, and pair
    // them, opening the ballots with the key (more than an operator has).
    const opened = await openSealedBallots(stack, poll.id);
    const textByPosition = opened.map((b) => b.rows[0].text);
    const order = voters
      .map((v) => v.user.id)
      .sort((a, b) => (whileOpen.electorateXmin.get(a) ?? 0) - (whileOpen.electorateXmin.get(b) ?? 0));
    const linked = order.filter((id, i) => textByPosition[i] === textOf.get(id)).length;
    // Before sealing for good: 11 of 11. A random order matches 1 on average; 6 or more happens in
    // fewer than 1 in 10,000 runs.
    expect(linked).toBeLessThan(6);
  });

  it('attack 4, watching and earlier versions: an open anonymous poll publishes its turnout only, and the close publishes once', async () => {
    const community = await createCommunity(stack, { breakdownThreshold: 5 });
    const voters = await electorate(
      community,
      Array.from({ length: 13 }, () => ({})),
    );
    const chair = voters[0].user;
    const poll = await createPoll(stack, community, chair, { resultsVisibility: 'live' });
    await openPoll(stack, poll.id, chair);
    const q = poll.questions[0];
    const seen: Array<{ responses: number; detail: number; counts: unknown[]; body: unknown }> = [];
    const look = async () => {
      const auth = { authorization: `Bearer ${chair.token}` };
      const results = await stack.http().get(`/api/v1/polls/${poll.id}/results`).set(auth).expect(200);
      const detail = await stack.http().get(`/api/v1/polls/${poll.id}`).set(auth).expect(200);
      seen.push({
        responses: results.body.turnout.responses,
        detail: detail.body.responses,
        counts: results.body.questions[0].counts,
        body: results.body.questions,
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
    // Before: counts moved in batches of 5 while open, and a watcher who knew who voted in a batch
    // learnt that batch's tally. Now no version before the close shows anything that depends on the
    // answers: the turnout (which does not) and no counts.
    expect(seen.map((s) => s.counts)).toEqual(seen.map(() => []));
    expect(seen.map((s) => s.responses)).toEqual(Array.from({ length: 14 }, (_, i) => i));
    expect(seen.every((s) => s.detail === s.responses)).toBe(true);
    await closePoll(stack, poll.id, chair);
    await look();
    await look();
    const [first, second] = seen.slice(-2);
    expect(first.responses).toBe(13);
    // One publication: the same figures on every read after the close.
    expect(second.body).toEqual(first.body);
    const published = first.counts as Array<{ count: number }>;
    const truth = [5, 4, 4];
    published.forEach((c, j) => expect(Math.abs(c.count - truth[j])).toBeLessThanOrEqual(MAX_NOISE));
    // Stored: the publication only, never a tally of the ballots.
    const stored = await stack.query<{ results: unknown }>(`SELECT results FROM poll_publications WHERE poll_id = $1`, [
      poll.id,
    ]);
    expect(stored).toHaveLength(1);
  });
});
