import type { AddressInfo } from 'node:net';
import { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { createApiApp } from '../../apps/api/src/app.factory';
import { ResultsService } from '@cophub/polls';
import { createCommunity, createMember, TestCommunity, TestStack, TestUser } from '@cophub/testing';
import { bulkMembers, closePoll, createPoll, openPoll } from './polls.helpers';

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
    second = await createApiApp(stack.config, { logs: false });
    await second.listen(0, '127.0.0.1');
    const secondUrl = `http://127.0.0.1:${(second.getHttpServer().address() as AddressInfo).port}`;
    a = () => stack.http() as unknown as request.Agent;
    b = () => request(secondUrl) as unknown as request.Agent;
    community = await createCommunity(stack, { breakdownThreshold: 5 });
    chair = await createMember(stack, community, 'co_chair');
  });

  afterAll(async () => {
    await second?.close();
    await stack?.close();
  });

  const results = (agent: () => request.Agent, pollId: string, user: TestUser = chair) =>
    agent().get(`/api/v1/polls/${pollId}/results`).set(auth(user));
  const voteVia = (agent: () => request.Agent, pollId: string, user: TestUser, answers: object[]) =>
    agent().post(`/api/v1/polls/${pollId}/responses`).set(auth(user)).send({ answers });

  it('shows each mixed batch of an anonymous poll on the next read from the other instance', async () => {
    const voters = await bulkMembers(stack, community, 20);
    const poll = await createPoll(stack, community, chair, { resultsVisibility: 'after_close' });
    await openPoll(stack, poll.id, chair);
    const q = poll.questions[0];
    const answer = (i: number) => [{ questionId: q.id, optionIds: [q.options[i % 3].id] }];

    // Both instances have read (and cached) the empty results.
    expect((await results(a, poll.id).expect(200)).body.turnout.responses).toBe(0);
    expect((await results(b, poll.id).expect(200)).body.turnout.responses).toBe(0);

    // Ten votes through A: the tenth mixes a batch of five (five stay sealed) before it answers.
    for (let i = 0; i < 10; i += 1) await voteVia(a, poll.id, voters[i], answer(i)).expect(201);
    const afterBatch = (await results(b, poll.id).expect(200)).body;
    expect(afterBatch.turnout.responses).toBe(5);
    expect(counts(afterBatch).reduce((x: number, y: number) => x + y, 0)).toBe(5);
    expect((await results(a, poll.id).expect(200)).body.turnout.responses).toBe(5);

    // The cache does not widen who may read: a member still waits for the close.
    const member = await results(b, poll.id, voters[0]);
    expect(member.status).toBe(403);
    expect(member.body.message).toBe('Results are shown when the poll closes');

    // A new version is computed once, however many read it at once through both instances.
    const spies = [stack.api, second].map((app) =>
      jest.spyOn(app.get(ResultsService) as unknown as { computeNow: () => Promise<unknown> }, 'computeNow'),
    );
    for (let i = 10; i < 15; i += 1) await voteVia(b, poll.id, voters[i], answer(i)).expect(201);
    const burst = await Promise.all(
      Array.from({ length: 16 }, (_, i) => results(i % 2 ? a : b, poll.id).expect(200)),
    );
    expect(new Set(burst.map((r) => r.body.turnout.responses))).toEqual(new Set([10]));
    expect(spies.reduce((sum, spy) => sum + spy.mock.calls.length, 0)).toBe(1);
    spies.forEach((spy) => spy.mockRestore());

    // Closing mixes the rest: the closed results, with breakdowns, through the other instance.
    for (let i = 15; i < 20; i += 1) await voteVia(a, poll.id, voters[i], answer(i)).expect(201);
    await closePoll(stack, poll.id, chair);
    const closed = (await results(b, poll.id, voters[0]).expect(200)).body;
    expect(closed.turnout.responses).toBe(20);
    // i % 3 over 0..19: 7 × first, 7 × second, 6 × third.
    expect(counts(closed)).toEqual([7, 7, 6]);
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
