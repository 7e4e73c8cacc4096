import { AnonymousBallotsSealed1795920000000 } from '../../libs/polls/src/db/migrations/1795920000000-AnonymousBallotsSealed';
import { createCommunity, createMember, TestStack, TestUser } from '@cophub/testing';
import { DataSource } from 'typeorm';
import { closePoll, createPoll, expectPerturbed, openPoll, openSealedBallots, trueCounts } from './polls.helpers';

/**
 * Existing anonymous ballots, stored in clear by the storage before this one, are sealed in place:
 * the schema is taken back to before the migration, ballots are written the old way (open and closed
 * polls, and a named poll), and the migration run again. No anonymous answer may be lost, none may stay
 * in clear, named ballots must stay as they are, and the closed poll's results must still be readable.
 */
describe('sealing stored anonymous ballots (migration)', () => {
  let stack: TestStack;

  beforeAll(async () => {
    stack = await TestStack.start({ smtp: false });
  });

  afterAll(async () => {
    await stack?.close();
  });

  it('seals every clear anonymous ballot in place, losing none, and leaves named ballots alone', async () => {
    const community = await createCommunity(stack, { breakdownThreshold: 5 });
    const chair = await createMember(stack, community, 'co_chair');
    const members: TestUser[] = [];
    for (let i = 0; i < 7; i += 1) {
      members.push(await createMember(stack, community, 'member', { profession: i % 2 ? 'PWP' : 'EMHP' }));
    }
    const questions = [
      { kind: 'single_choice', prompt: 'Supported?', options: ['Yes', 'No', 'Unsure'] },
      { kind: 'free_text', prompt: 'Tell us more', required: false },
    ];
    const open = await createPoll(stack, community, chair, { title: 'Still open', questions });
    const closed = await createPoll(stack, community, chair, {
      title: 'Closed last month',
      questions: questions.map((q) => ({ ...q, prompt: `${q.prompt} (closed)` })),
    });
    const named = await createPoll(stack, community, chair, {
      title: 'Named',
      anonymous: false,
      questions: questions.map((q) => ({ ...q, prompt: `${q.prompt} (named)` })),
    });
    for (const p of [open, closed, named]) await openPoll(stack, p.id, chair);
    await closePoll(stack, closed.id, chair);

    const runner = stack.api.get(DataSource).createQueryRunner();
    const migration = new AnonymousBallotsSealed1795920000000();
    await migration.down(runner);

    // Ballots as the earlier storage kept them: profile and answers in clear.
    const written: Array<{ poll: string; profession: string; option: string; text: string | null }> = [];
    const write = async (poll: typeof open, i: number, userId: string | null) => {
      const profession = i % 2 ? 'PWP' : 'EMHP';
      const option = poll.questions[0].options[i % 3].id;
      const text = i % 2 ? `comment ${poll.id.slice(0, 4)} ${i}` : null;
      const [ballot] = await stack.query<{ id: string }>(
        `INSERT INTO poll_ballots (poll_id, user_id, profession, career_stage, region)
         VALUES ($1, $2, $3, 'qualified', 'north_west') RETURNING id`,
        [poll.id, userId, profession],
      );
      const answer = `INSERT INTO poll_answers (ballot_id, question_id, ordinal, poll_id, option_id, text, profession, career_stage, region)
                      VALUES ($1, $2, 0, $3, $4, $5, $6, 'qualified', 'north_west')`;
      await stack.query(answer, [ballot.id, poll.questions[0].id, poll.id, option, null, profession]);
      if (text) await stack.query(answer, [ballot.id, poll.questions[1].id, poll.id, null, text, profession]);
      written.push({ poll: poll.id, profession, option, text });
    };
    for (let i = 0; i < 7; i += 1) await write(open, i, null);
    for (let i = 0; i < 6; i += 1) await write(closed, i, null);
    for (let i = 0; i < 2; i += 1) await write(named, i, members[i].id);

    const before = process.env.JWT_SECRET;
    process.env.JWT_SECRET = stack.env.JWT_SECRET;
    try {
      await runner.startTransaction();
      await migration.up(runner);
      await runner.commitTransaction();
    } finally {
      process.env.JWT_SECRET = before;
      await runner.release();
    }

    // Nothing anonymous in clear; the named ballots untouched.
    const clear = await stack.query<{ poll_id: string; n: number }>(
      `SELECT poll_id, count(*)::int AS n FROM poll_ballots GROUP BY poll_id`,
    );
    expect(clear).toEqual([{ poll_id: named.id, n: 2 }]);
    expect(await stack.query(`SELECT 1 FROM poll_answers WHERE poll_id = ANY($1)`, [[open.id, closed.id]])).toEqual([]);

    // Every anonymous answer is in a sealed ballot, each exactly once, with its profile.
    for (const poll of [open, closed]) {
      const sealed = await openSealedBallots(stack, poll.id);
      const expected = written.filter((w) => w.poll === poll.id);
      expect(sealed).toHaveLength(expected.length);
      const summary = (rows: Array<{ profession: string; option: string; text: string | null }>) =>
        rows.map((r) => `${r.profession}|${r.option}|${r.text ?? ''}`).sort();
      expect(
        summary(
          sealed.map((b) => ({
            profession: b.profile.profession,
            option: b.rows.find((r) => r.optionId)!.optionId!,
            text: b.rows.find((r) => r.text)?.text ?? null,
          })),
        ),
      ).toEqual(summary(expected));
      expect(sealed.every((b) => typeof b.recordKey === 'number')).toBe(true);
      const sizes = await stack.query<{ n: number }>(
        `SELECT DISTINCT octet_length(sealed) AS n FROM poll_sealed_ballots WHERE poll_id = $1`,
        [poll.id],
      );
      expect(sizes).toHaveLength(1);
    }

    // The closed poll's results are readable: its one publication is computed from the sealed ballots.
    const results = await stack
      .http()
      .get(`/api/v1/polls/${closed.id}/results`)
      .set('authorization', `Bearer ${chair.token}`)
      .expect(200);
    expect(results.body.turnout.responses).toBe(6);
    const truth = trueCounts(await openSealedBallots(stack, closed.id), closed.questions[0]);
    expect(truth).toEqual([2, 2, 2]);
    expectPerturbed(
      results.body.questions[0].counts.map((c: { count: number }) => c.count),
      truth,
      6,
    );
    expect(results.body.questions[1].texts).toHaveLength(3);
    // The open poll closes as any other, from its sealed ballots.
    await closePoll(stack, open.id, chair);
    const after = await stack
      .http()
      .get(`/api/v1/polls/${open.id}/results`)
      .set('authorization', `Bearer ${chair.token}`)
      .expect(200);
    expect(after.body.turnout.responses).toBe(7);
  });
});
