import { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { ResultsService } from '@cophub/polls';
import { createCommunity, createMember, TestCommunity, TestStack, TestUser } from '@cophub/testing';
import { bulkMembers, closePoll, createPoll, expectPerturbed, openPoll } from './polls.helpers';

const auth = (user: TestUser) => ({ authorization: `Bearer ${user.token}` });
const counts = (body: { questions: Array<{ counts: Array<{ count: number }> }> }) =>
  body.questions[0].counts.map((c) => c.count);

/**
 * Poll results are audited once per version of the stored ballots and shared by every API instance
 * through Redis. Two instances here: ballots cast through one must show on the very next read through
 * the other, whose cache (and Redis) already hold the publication from before; and a burst of reads
 * over both instances computes a new version once.
 */
describe('poll results cached across two API instances', () => {
  let stack: TestStack;
  let second: INestApplication;
  let a: () => request.Agent;
  let b: () => request.Agent;
  let community: TestCommunity;
  let chair: TestUser;

  beforeAll(async () => {
    stack = await TestStack.start({ worker: false, smtp: false });
    const instance = await stack.startApi();
    second = instance.app;
    const secondUrl = instance.url;
    a = () => stack.http() as unknown as request.Agent;
    b = () => request(secondUrl) as unknown as request.Agent;
    community = await createCommunity(stack, { breakdownThreshold: 5 });
    chair = await createMember(stack, community, 'co_chair');
  });

  afterAll(async () => {
    await stack?.close();
  });

  const results = (agent: () => request.Agent, pollId: string, user: TestUser = chair) =>
    agent().get(`/api/v1/polls/${pollId}/results`).set(auth(user));
  const voteVia = (agent: () => request.Agent, pollId: string, user: TestUser, answers: object[]) =>
    agent().post(`/api/v1/polls/${pollId}/responses`).set(auth(user)).send({ answers });

  it('shows an anonymous poll’s turnout on the next read from the other instance, and its one publication from close', async () => {
    const voters = await bulkMembers(stack, community, 20);
    const poll = await createPoll(stack, community, chair, { resultsVisibility: 'after_close' });
    await openPoll(stack, poll.id, chair);
    const q = poll.questions[0];
    const answer = (i: number) => [{ questionId: q.id, optionIds: [q.options[i % 3].id] }];

    // Both instances have read the empty results.
    expect((await results(a, poll.id).expect(200)).body.turnout.responses).toBe(0);
    expect((await results(b, poll.id).expect(200)).body.turnout.responses).toBe(0);

    // Ten votes through A: the turnout moves at once on B; no counts exist before the close.
    for (let i = 0; i < 10; i += 1) await voteVia(a, poll.id, voters[i], answer(i)).expect(201);
    const whileOpen = (await results(b, poll.id).expect(200)).body;
    expect(whileOpen.turnout.responses).toBe(10);
    expect(counts(whileOpen)).toEqual([]);
    expect((await results(a, poll.id).expect(200)).body.turnout.responses).toBe(10);

    // The cache does not widen who may read: a member still waits for the close.
    const member = await results(b, poll.id, voters[0]);
    expect(member.status).toBe(403);
    expect(member.body.message).toBe('Results are shown when the poll closes');

    for (let i = 10; i < 20; i += 1) await voteVia(b, poll.id, voters[i], answer(i)).expect(201);
    await closePoll(stack, poll.id, chair);
    // The publication was computed in the closing transaction; reading it is done once, however many
    // read at once through both instances, and every read is the same.
    const spies = [stack.api, second].map((app) =>
      jest.spyOn(app.get(ResultsService) as unknown as { published: () => Promise<unknown> }, 'published'),
    );
    const burst = await Promise.all(
      Array.from({ length: 16 }, (_, i) => results(i % 2 ? a : b, poll.id, voters[0]).expect(200)),
    );
    expect(spies.reduce((sum, spy) => sum + spy.mock.calls.length, 0)).toBe(1);
    spies.forEach((spy) => spy.mockRestore());
    expect(new Set(burst.map((r) => JSON.stringify(r.body.questions))).size).toBe(1);
    const closed = burst[0].body;
    expect(closed.turnout.responses).toBe(20);
    // i % 3 over 0..19: 7 × first, 7 × second, 6 × third, each moved by at most 2.
    expectPerturbed(counts(closed), [7, 7, 6], 20);
    expect(closed.breakdownsShown).toBe(true);
    expect(closed.questions[0].breakdowns.profession.rows.length).toBeGreaterThan(1);
  });

  it('shows a replaced named ballot at once, though the number of ballots did not change', async () => {
    const voters = await bulkMembers(stack, community, 6);
    const poll = await createPoll(stack, community, chair, {
      anonymous: false,
      allowChange: true,
      resultsVisibility: 'live',
    });
    await openPoll(stack, poll.id, chair);
    const q = poll.questions[0];
    for (const voter of voters) {
      await voteVia(a, poll.id, voter, [{ questionId: q.id, optionIds: [q.options[0].id] }]).expect(201);
    }
    expect(counts((await results(b, poll.id).expect(200)).body)).toEqual([6, 0, 0]);
    expect(counts((await results(a, poll.id).expect(200)).body)).toEqual([6, 0, 0]);

    await voteVia(a, poll.id, voters[0], [{ questionId: q.id, optionIds: [q.options[2].id] }]).expect(201);
    expect(counts((await results(b, poll.id).expect(200)).body)).toEqual([5, 0, 1]);

    // A refused ballot changes nothing, cached or not.
    const bad = await voteVia(b, poll.id, voters[1], [{ questionId: q.id, optionIds: ['not-an-option'] }]);
    expect(bad.status).toBe(400);
    expect(counts((await results(a, poll.id).expect(200)).body)).toEqual([5, 0, 1]);
  });
});
