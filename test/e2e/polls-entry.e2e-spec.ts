import { createCommunity, createMember, TestCommunity, TestStack, TestUser } from '@cophub/testing';
import { createPoll, openPoll, vote } from './polls.helpers';

/** What a submission tells the person making it, before and around the one-per-member rule. */
describe('answering a poll', () => {
  let stack: TestStack;
  let community: TestCommunity;
  let coChair: TestUser;

  beforeAll(async () => {
    stack = await TestStack.start({
      worker: false,
      smtp: false,
      env: { RATE_LIMIT_VOTES_PER_USER_PER_MINUTE: '1000' },
    });
    community = await createCommunity(stack);
    coChair = await createMember(stack, community, 'co_chair');
  });

  afterAll(async () => {
    await stack?.close();
  });

  it('tells an outsider only that the poll is not for them, whatever they send', async () => {
    const emhp = await createMember(stack, community, 'member', { profession: 'EMHP' });
    const pwp = await createMember(stack, community, 'member', { profession: 'PWP' });
    const elsewhere = await createMember(stack, await createCommunity(stack), 'member', { profession: 'EMHP' });
    const poll = await createPoll(stack, community, coChair, { audience: { professions: ['EMHP'] } });
    await openPoll(stack, poll.id, coChair);
    const [question] = poll.questions;
    // Well-formed requests whose answers do not fit this poll (the request's own shape is checked
    // first for everyone, and says nothing about the poll).
    const malformed = [
      [{ questionId: question.id, optionIds: ['00000000-0000-4000-8000-000000000000'] }],
      [{ questionId: '00000000-0000-4000-8000-000000000000', value: 3 }],
    ];
    for (const answers of malformed) {
      // In the audience: told what is wrong with the answers.
      expect((await vote(stack, poll.id, emhp.token, answers)).status).toBe(400);
      // Outside it: the same refusal whatever the answers, which says nothing of the questions.
      for (const outsider of [pwp, elsewhere]) {
        const refused = await vote(stack, poll.id, outsider.token, answers);
        expect(refused.status).toBe(403);
        expect(refused.body.message).not.toMatch(/question|option|answer/i);
      }
    }
    expect(await stack.query('SELECT 1 FROM poll_ballots WHERE poll_id = $1', [poll.id])).toHaveLength(0);
  });

  it('answers 50 racing second votes with 409 already_responded, never 403', async () => {
    const member = await createMember(stack, community);
    const poll = await createPoll(stack, community, coChair);
    await openPoll(stack, poll.id, coChair);
    const [question] = poll.questions;
    const answers = [{ questionId: question.id, optionIds: [question.options[0].id] }];
    expect((await vote(stack, poll.id, member.token, answers)).status).toBe(201);

    const seconds = await Promise.all(Array.from({ length: 50 }, () => vote(stack, poll.id, member.token, answers)));
    const outcomes = seconds.map((r) => `${r.status} ${r.body.code}`);
    expect(new Set(outcomes)).toEqual(new Set(['409 already_responded']));
    expect(await stack.query('SELECT 1 FROM poll_ballots WHERE poll_id = $1', [poll.id])).toHaveLength(1);
  });

  it('answers 50 racing first votes of one member with one 201 and 49 already_responded', async () => {
    const member = await createMember(stack, community);
    const poll = await createPoll(stack, community, coChair);
    await openPoll(stack, poll.id, coChair);
    const [question] = poll.questions;
    const answers = [{ questionId: question.id, optionIds: [question.options[1].id] }];
    const all = await Promise.all(Array.from({ length: 50 }, () => vote(stack, poll.id, member.token, answers)));
    const outcomes = all.map((r) => `${r.status} ${r.body.code ?? ''}`.trim()).sort();
    expect(outcomes).toEqual(['201', ...Array.from({ length: 49 }, () => '409 already_responded')]);
  });
});
