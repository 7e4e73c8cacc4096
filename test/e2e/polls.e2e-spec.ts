import { countRows, createCommunity, createMember, TestCommunity, TestStack, TestUser } from '@cophub/testing';
import { renderMail } from '@cophub/mail';
import { PollJobs } from '@cophub/polls';
import { parseCsv } from '../polls-attacker';
import { closePoll, createPoll, expectPerturbed, openPoll, openSealedBallots, trueCounts, vote } from './polls.helpers';

const TABLES = ['poll_ballots', 'poll_answers', 'poll_sealed_ballots'];

describe('polls', () => {
  let stack: TestStack;
  let community: TestCommunity;
  let coChair: TestUser;
  let moderator: TestUser;
  let member: TestUser;
  let mhwp: TestUser;
  let outsider: TestUser;

  beforeAll(async () => {
    stack = await TestStack.start({ smtp: false });
    community = await createCommunity(stack);
    coChair = await createMember(stack, community, 'co_chair');
    moderator = await createMember(stack, community, 'moderator');
    member = await createMember(stack, community, 'member', { profession: 'PWP' });
    mhwp = await createMember(stack, community, 'member', { profession: 'MHWP' });
    const other = await createCommunity(stack);
    outsider = await createMember(stack, other, 'co_chair');
  });

  afterAll(async () => {
    await stack?.close();
  });

  it('lets only co-chairs create and run polls, and hides drafts from members', async () => {
    const body = {
      title: 'Matrix poll',
      questions: [{ kind: 'single_choice', prompt: 'Pick', options: ['A', 'B'] }],
    };
    const create = (token?: string) => {
      const request = stack.http().post(`/api/v1/communities/${community.slug}/polls`).send(body);
      return token ? request.set('authorization', `Bearer ${token}`) : request;
    };
    expect((await create()).status).toBe(401);
    expect((await create(outsider.token)).status).toBe(403);
    expect((await create(member.token)).status).toBe(403);
    expect((await create(moderator.token)).status).toBe(403);
    const created = await create(coChair.token);
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ status: 'draft', anonymous: true, title: 'Matrix poll' });
    const id = created.body.id;

    const get = (token: string) => stack.http().get(`/api/v1/polls/${id}`).set('authorization', `Bearer ${token}`);
    expect((await stack.http().get(`/api/v1/polls/${id}`)).status).toBe(401);
    expect((await get(outsider.token)).status).toBe(403);
    expect((await get(member.token)).status).toBe(404);
    expect((await get(moderator.token)).status).toBe(404);
    expect((await get(coChair.token)).status).toBe(200);

    const list = (token: string) =>
      stack.http().get(`/api/v1/communities/${community.slug}/polls`).set('authorization', `Bearer ${token}`);
    expect((await list(member.token)).body.items.map((p: { id: string }) => p.id)).not.toContain(id);
    expect((await list(coChair.token)).body.items.map((p: { id: string }) => p.id)).toContain(id);
    expect((await list(outsider.token)).status).toBe(403);

    for (const path of ['open', 'close', 'schedule']) {
      for (const who of [member, moderator, outsider]) {
        const response = await stack
          .http()
          .post(`/api/v1/polls/${id}/${path}`)
          .set('authorization', `Bearer ${who.token}`)
          .send({});
        expect(response.status).toBe(403);
      }
    }
    const patch = await stack
      .http()
      .patch(`/api/v1/polls/${id}`)
      .set('authorization', `Bearer ${member.token}`)
      .send({ title: 'Hijacked' });
    expect(patch.status).toBe(403);

    await openPoll(stack, id, coChair);
    expect((await get(member.token)).status).toBe(200);
    expect((await list(member.token)).body.items.map((p: { id: string }) => p.id)).toContain(id);
    // Once open, the questions are fixed.
    const late = await stack
      .http()
      .patch(`/api/v1/polls/${id}`)
      .set('authorization', `Bearer ${coChair.token}`)
      .send({ title: 'Changed' });
    expect(late.status).toBe(409);
    const [audit] = await stack.query<{ n: string }>(
      `SELECT count(*) AS n FROM audit_log WHERE target_id = $1 AND action IN ('poll.created', 'poll.opened')`,
      [id],
    );
    expect(Number(audit.n)).toBe(2);
  });

  it('refuses a poll definition that does not make sense, creating nothing', async () => {
    const before = await countRows(stack, ['polls', 'poll_questions']);
    const bad = [
      { title: 'x', questions: [{ kind: 'single_choice', prompt: 'P', options: ['A', 'B'] }] },
      { title: 'No options', questions: [{ kind: 'single_choice', prompt: 'P', options: ['A'] }] },
      { title: 'Options on a score', questions: [{ kind: 'score', prompt: 'P', options: ['A', 'B'] }] },
      {
        title: 'Bad limits',
        questions: [{ kind: 'multiple_choice', prompt: 'P', options: ['A', 'B'], maxChoices: 3 }],
      },
      { title: 'Anonymous change', allowChange: true, questions: [{ kind: 'likert', prompt: 'P' }] },
      { title: 'Unknown kind', questions: [{ kind: 'essay', prompt: 'P' }] },
      { title: 'Unknown field', colour: 'red', questions: [{ kind: 'likert', prompt: 'P' }] },
      { title: 'Bad audience', audience: { professions: ['Surgeon'] }, questions: [{ kind: 'likert', prompt: 'P' }] },
      { title: 'No questions', questions: [] },
    ];
    for (const body of bad) {
      const response = await stack
        .http()
        .post(`/api/v1/communities/${community.slug}/polls`)
        .set('authorization', `Bearer ${coChair.token}`)
        .send(body);
      expect([response.status, body.title]).toEqual([400, body.title]);
      expect(response.body).toMatchObject({ statusCode: 400, error: expect.any(String), message: expect.anything() });
    }
    expect(await countRows(stack, ['polls', 'poll_questions'])).toEqual(before);
  });

  it('enforces the audience: a PWP cannot see or answer an MHWP-only poll', async () => {
    const poll = await createPoll(stack, community, coChair, { audience: { professions: ['MHWP'] } });
    await openPoll(stack, poll.id, coChair);
    const q = poll.questions[0];
    const before = await countRows(stack, TABLES);
    const refused = await vote(stack, poll.id, member.token, [{ questionId: q.id, optionIds: [q.options[0].id] }]);
    expect(refused.status).toBe(403);
    expect(refused.body.message).toMatch(/not open to you/);
    expect(
      (await stack.http().get(`/api/v1/polls/${poll.id}`).set('authorization', `Bearer ${member.token}`)).status,
    ).toBe(403);
    expect(
      (await vote(stack, poll.id, outsider.token, [{ questionId: q.id, optionIds: [q.options[0].id] }])).status,
    ).toBe(403);
    expect(await countRows(stack, TABLES)).toEqual(before);

    const accepted = await vote(stack, poll.id, mhwp.token, [{ questionId: q.id, optionIds: [q.options[1].id] }]);
    expect(accepted.status).toBe(201);
    const again = await vote(stack, poll.id, mhwp.token, [{ questionId: q.id, optionIds: [q.options[0].id] }]);
    expect(again.status).toBe(409);
    const [row] = await stack.query<{ electorate_size: number }>(`SELECT electorate_size FROM polls WHERE id = $1`, [
      poll.id,
    ]);
    expect(row.electorate_size).toBe(1);
  });

  it('refuses bad answers and answers outside the open period with a clear 4xx, storing nothing', async () => {
    const other = await createPoll(stack, community, coChair);
    const poll = await createPoll(stack, community, coChair, {
      questions: [
        { kind: 'single_choice', prompt: 'One', options: ['A', 'B', 'C'] },
        { kind: 'multiple_choice', prompt: 'Some', options: ['A', 'B', 'C', 'D'], minChoices: 1, maxChoices: 2 },
        { kind: 'likert', prompt: 'Agree?' },
        { kind: 'score', prompt: 'Score', required: false },
        { kind: 'ranked', prompt: 'Rank', options: ['X', 'Y', 'Z'] },
        { kind: 'free_text', prompt: 'Say', required: false },
      ],
    });
    const [one, some, likert, score, ranked, text] = poll.questions;
    const good = [
      { questionId: one.id, optionIds: [one.options[0].id] },
      { questionId: some.id, optionIds: [some.options[0].id, some.options[1].id] },
      { questionId: likert.id, value: 4 },
      { questionId: ranked.id, ranking: [ranked.options[2].id, ranked.options[0].id] },
    ];
    const voter = await createMember(stack, community);
    const before = await countRows(stack, TABLES);

    // Before opening.
    const early = await vote(stack, poll.id, voter.token, good);
    expect([early.status, early.body.message]).toEqual([404, 'Poll not found']);
    await openPoll(stack, poll.id, coChair);

    const cases: Array<[string, object[], RegExp]> = [
      [
        'question from another poll',
        [...good, { questionId: other.questions[0].id, optionIds: [other.questions[0].options[0].id] }],
        /not in this poll/,
      ],
      [
        'option of another question',
        [{ ...good[0], optionIds: [some.options[0].id] }, ...good.slice(1)],
        /has no option/,
      ],
      [
        'two options on single choice',
        [{ ...good[0], optionIds: [one.options[0].id, one.options[1].id] }, ...good.slice(1)],
        /exactly one/,
      ],
      [
        'too many choices',
        [good[0], { questionId: some.id, optionIds: some.options.slice(0, 3).map((o) => o.id) }, ...good.slice(2)],
        /between 1 and 2/,
      ],
      ['Likert out of range', [...good.slice(0, 2), { questionId: likert.id, value: 6 }, good[3]], /from 1 to 5/],
      ['score out of range', [...good, { questionId: score.id, value: 11 }], /from 0 to 10/],
      [
        'ranking repeats an option',
        [...good.slice(0, 3), { questionId: ranked.id, ranking: [ranked.options[0].id, ranked.options[0].id] }],
        /twice/,
      ],
      ['missing required answer', good.slice(1), /question 1 needs an answer/],
      ['same question twice', [...good, good[0]], /answered twice/],
      [
        'wrong field for kind',
        [...good.slice(0, 2), { questionId: likert.id, text: 'agree' }, good[3]],
        /exactly "value"/,
      ],
      ['empty text', [...good, { questionId: text.id, text: '   ' }], /needs some text/],
    ];
    for (const [name, answers, message] of cases) {
      const response = await vote(stack, poll.id, voter.token, answers);
      expect([name, response.status]).toEqual([name, 400]);
      expect(response.body.message).toMatch(message);
    }
    const unknownField = await stack
      .http()
      .post(`/api/v1/polls/${poll.id}/responses`)
      .set('authorization', `Bearer ${voter.token}`)
      .send({ answers: good, sneaky: true });
    expect(unknownField.status).toBe(400);
    expect(await countRows(stack, TABLES)).toEqual(before);

    const ok = await vote(stack, poll.id, voter.token, [...good, { questionId: text.id, text: 'More supervision' }]);
    expect(ok.status).toBe(201);
    await closePoll(stack, poll.id, coChair);
    const late = await createMember(stack, community);
    await stack.query(
      `INSERT INTO poll_electorate (poll_id, user_id, community_id, profession, career_stage, region)
                       VALUES ($1, $2, $3, 'PWP', 'qualified', 'north_west')`,
      [poll.id, late.id, community.id],
    );
    const afterClose = await vote(stack, poll.id, late.token, good);
    expect([afterClose.status, afterClose.body.message]).toEqual([409, 'This poll is closed']);
    const [counts] = await stack.query<{ n: string }>(
      `SELECT (SELECT count(*) FROM poll_ballots WHERE poll_id = $1) + (SELECT count(*) FROM poll_sealed_ballots WHERE poll_id = $1) AS n`,
      [poll.id],
    );
    expect(Number(counts.n)).toBe(1);
  });

  it('lets a named poll replace answers until close, and shows co-chairs who answered', async () => {
    const poll = await createPoll(stack, community, coChair, {
      anonymous: false,
      allowChange: true,
      resultsVisibility: 'live',
    });
    await openPoll(stack, poll.id, coChair);
    const q = poll.questions[0];
    expect(
      (await vote(stack, poll.id, member.token, [{ questionId: q.id, optionIds: [q.options[0].id] }])).body,
    ).toEqual({
      accepted: true,
      replaced: false,
    });
    const second = await vote(stack, poll.id, member.token, [{ questionId: q.id, optionIds: [q.options[2].id] }]);
    expect(second.body).toEqual({ accepted: true, replaced: true });
    const ballots = await stack.query<{ user_id: string }>(`SELECT user_id FROM poll_ballots WHERE poll_id = $1`, [
      poll.id,
    ]);
    expect(ballots).toEqual([{ user_id: member.id }]);
    const results = await stack
      .http()
      .get(`/api/v1/polls/${poll.id}/results`)
      .set('authorization', `Bearer ${member.token}`);
    expect(results.status).toBe(200);
    expect(results.body.questions[0].counts.map((c: { count: number }) => c.count)).toEqual([0, 0, 1]);

    const named = await stack
      .http()
      .get(`/api/v1/polls/${poll.id}/named-responses`)
      .set('authorization', `Bearer ${coChair.token}`);
    expect(named.status).toBe(200);
    expect(named.body.responses).toEqual([
      expect.objectContaining({
        userId: member.id,
        answers: [expect.objectContaining({ questionId: q.id, choices: [q.options[2].label] })],
      }),
    ]);
    expect(named.body.notResponded.map((r: { userId: string }) => r.userId)).toContain(mhwp.id);
    const byMember = await stack
      .http()
      .get(`/api/v1/polls/${poll.id}/named-responses`)
      .set('authorization', `Bearer ${member.token}`);
    expect(byMember.status).toBe(403);
    const anonymous = await createPoll(stack, community, coChair);
    const refused = await stack
      .http()
      .get(`/api/v1/polls/${anonymous.id}/named-responses`)
      .set('authorization', `Bearer ${coChair.token}`);
    expect(refused.status).toBe(400);
    expect(refused.body.message).toContain('anonymous');
  });

  it('opens and closes on time through the worker, and rebuilds the schedule from PostgreSQL after Redis is emptied', async () => {
    const poll = await createPoll(stack, community, coChair);
    const now = stack.clock.now().getTime();
    const schedule = await stack
      .http()
      .post(`/api/v1/polls/${poll.id}/schedule`)
      .set('authorization', `Bearer ${coChair.token}`)
      .send({ opensAt: new Date(now + 1_500).toISOString(), closesAt: new Date(now + 4_000).toISOString() });
    expect(schedule.status).toBe(200);
    expect(schedule.body.status).toBe('scheduled');
    const status = async () =>
      (await stack.query<{ status: string }>(`SELECT status FROM polls WHERE id = $1`, [poll.id]))[0].status;
    const { eventually } = await import('@cophub/testing');
    await eventually(async () => (await status()) === 'open', 'the poll to open on time');
    await eventually(async () => (await status()) === 'closed', 'the poll to close on time');

    // A second poll planned far ahead; Redis loses its jobs; time passes; the reconciler catches up.
    const later = await createPoll(stack, community, coChair);
    const t = stack.clock.now().getTime();
    await stack
      .http()
      .post(`/api/v1/polls/${later.id}/schedule`)
      .set('authorization', `Bearer ${coChair.token}`)
      .send({ opensAt: new Date(t + 3_600_000).toISOString(), closesAt: new Date(t + 7_200_000).toISOString() })
      .expect(200);
    await stack.flushRedis();
    stack.clock.advance(3_600_000 + 1_000);
    await stack.worker!.get(PollJobs).runOnce();
    expect(
      (
        await stack.query<{ status: string; electorate_size: number }>(
          `SELECT status, electorate_size FROM polls WHERE id = $1`,
          [later.id],
        )
      )[0],
    ).toMatchObject({ status: 'open' });
    stack.clock.advance(3_600_000);
    await stack.worker!.get(PollJobs).runOnce();
    expect(
      (await stack.query<{ status: string }>(`SELECT status FROM polls WHERE id = $1`, [later.id]))[0].status,
    ).toBe('closed');
    const actions = await stack.query<{ action: string }>(
      `SELECT action FROM audit_log WHERE target_id = $1 ORDER BY id`,
      [later.id],
    );
    expect(actions.map((a) => a.action)).toEqual(['poll.created', 'poll.scheduled', 'poll.opened', 'poll.closed']);
    stack.clock.set(new Date());
  });

  it('invites the audience when a poll opens and reminds only those who have not responded', async () => {
    const c = await createCommunity(stack);
    const chair = await createMember(stack, c, 'co_chair');
    const a = await createMember(stack, c);
    const b = await createMember(stack, c);
    const muted = await createMember(stack, c);
    await stack.query(
      `INSERT INTO notification_preferences (user_id, kind, channel) VALUES ($1, 'poll_invitation', 'off')`,
      [muted.id],
    );
    const poll = await createPoll(stack, c, chair);
    const t = stack.clock.now().getTime();
    await openPoll(stack, poll.id, chair, {
      remindAt: new Date(t + 3_600_000).toISOString(),
      closesAt: new Date(t + 7_200_000).toISOString(),
    });
    const invitations = await stack.query<{ recipient: string; params: Record<string, unknown> }>(
      `SELECT recipient, params FROM mail_outbox WHERE template = 'poll.invitation' AND dedupe_key LIKE $1 ORDER BY recipient`,
      [`poll-invitation-${poll.id}-%`],
    );
    expect(invitations.map((r) => r.recipient).sort()).toEqual([chair.email, a.email, b.email].sort());
    // The invitation promises what the model gives, with the community's threshold.
    const text = renderMail('poll.invitation', invitations[0].params).text.replace(/\s+/g, ' ');
    expect(text).toContain(
      'Counts are shown from the close, only for groups of at least 5 people, and each count is moved by a small random amount (up to 2)',
    );
    const q = poll.questions[0];
    await vote(stack, poll.id, a.token, [{ questionId: q.id, optionIds: [q.options[0].id] }]).expect(201);
    stack.clock.advance(3_600_000 + 1_000);
    await stack.worker!.get(PollJobs).runOnce();
    await stack.worker!.get(PollJobs).runOnce();
    const reminders = await stack.query<{ recipient: string }>(
      `SELECT recipient FROM mail_outbox WHERE template = 'poll.reminder' AND dedupe_key LIKE $1`,
      [`poll-reminder-${poll.id}-%`],
    );
    expect(reminders.map((r) => r.recipient).sort()).toEqual([chair.email, b.email, muted.email].sort());
    stack.clock.set(new Date());
  });

  it('publishes breakdowns only after an anonymous poll closes, with small cells suppressed in the API and CSV', async () => {
    const c = await createCommunity(stack, { breakdownThreshold: 5 });
    const chair = await createMember(stack, c, 'co_chair', { profession: 'PWP' });
    const voters: TestUser[] = [chair];
    // 12 PWP, 6 EMHP, 2 MHWP (small group).
    for (let i = 0; i < 11; i += 1) voters.push(await createMember(stack, c, 'member', { profession: 'PWP' }));
    for (let i = 0; i < 6; i += 1) voters.push(await createMember(stack, c, 'member', { profession: 'EMHP' }));
    for (let i = 0; i < 2; i += 1) voters.push(await createMember(stack, c, 'member', { profession: 'MHWP' }));
    const poll = await createPoll(stack, c, chair, { resultsVisibility: 'live' });
    await openPoll(stack, poll.id, chair);
    const q = poll.questions[0];
    // PWP: 9 Yes, 3 No; EMHP: 4 Yes, 2 No; MHWP: 2 No.
    const choice = (i: number) => (i < 9 ? 0 : i < 12 ? 1 : i < 16 ? 0 : 1);
    for (const [i, voter] of voters.entries()) {
      await vote(stack, poll.id, voter.token, [{ questionId: q.id, optionIds: [q.options[choice(i)].id] }]).expect(201);
    }
    const open = await stack
      .http()
      .get(`/api/v1/polls/${poll.id}/results`)
      .set('authorization', `Bearer ${voters[1].token}`);
    expect(open.status).toBe(200);
    expect(open.body.breakdownsShown).toBe(false);
    expect(open.body.questions[0].breakdowns).toBeUndefined();
    // An open anonymous poll publishes its turnout only (it does not depend on the answers), no counts.
    expect(open.body.turnout.responses).toBe(20);
    expect(open.body.questions[0].counts).toEqual([]);
    expect(open.body.questions[0].withheld).toMatch(/published once, when it closes/);

    await closePoll(stack, poll.id, chair);
    const closed = await stack
      .http()
      .get(`/api/v1/polls/${poll.id}/results`)
      .set('authorization', `Bearer ${voters[1].token}`);
    expect(closed.body.turnout).toEqual({ electorate: 20, responses: 20, percent: 100 });
    const sealed = await openSealedBallots(stack, poll.id);
    expect(sealed).toHaveLength(20);
    expect(trueCounts(sealed, q)).toEqual([13, 7, 0]);
    expectPerturbed(
      closed.body.questions[0].counts.map((x: { count: number }) => x.count),
      [13, 7, 0],
      20,
    );
    const table = closed.body.questions[0].breakdowns.profession;
    const byGroup = Object.fromEntries(table.rows.map((row: { group: string }) => [row.group, row]));
    // MHWP (2) is under 5, and a lone hidden group would be the total minus the others: EMHP (6, the
    // next smallest) is hidden with it. Decided from how many responded, never from the answers.
    expect(byGroup.MHWP.totalSuppressed).toBe(true);
    expect(byGroup.EMHP.totalSuppressed).toBe(true);
    expect(byGroup.EMHP.cells.every((cell: { count: number | null }) => cell.count === null)).toBe(true);
    expect(byGroup.PWP.total).toBe(12);
    expectPerturbed(
      byGroup.PWP.cells.map((cell: { count: number | null }) => cell.count),
      trueCounts(sealed, q, (b) => b.profile.profession === 'PWP'),
      12,
    );
    // The publication is frozen: every later read is the same.
    const again = await stack
      .http()
      .get(`/api/v1/polls/${poll.id}/results`)
      .set('authorization', `Bearer ${chair.token}`);
    expect(again.body.questions).toEqual(closed.body.questions);

    const csv = await stack
      .http()
      .get(`/api/v1/polls/${poll.id}/results.csv`)
      .set('authorization', `Bearer ${chair.token}`);
    expect(csv.status).toBe(200);
    expect(csv.headers['content-type']).toMatch(/text\/csv/);
    expect(csv.headers['content-disposition']).toMatch(/attachment/);
    const [header, ...lines] = parseCsv(csv.text);
    const col = (name: string) => header.indexOf(name);
    const breakdownRows = lines.filter((l) => l[col('Section')] === 'Breakdown');
    expect(breakdownRows.length).toBeGreaterThan(0);
    for (const l of breakdownRows) {
      if (l[col('Group respondents')] !== '') expect(Number(l[col('Group respondents')])).toBeGreaterThanOrEqual(5);
    }
    expect(csv.text).toContain('moved by a small random amount (up to 2)');
    expect(
      (await stack.http().get(`/api/v1/polls/${poll.id}/results.csv`).set('authorization', `Bearer ${voters[1].token}`))
        .status,
    ).toBe(403);
    const summary = await stack
      .http()
      .get(`/api/v1/polls/${poll.id}/summary`)
      .set('authorization', `Bearer ${chair.token}`);
    expect(summary.status).toBe(200);
    expect(summary.text).toContain('Turnout');
    expect(summary.text).toContain('20 of 20');
    expect(summary.text).toMatch(/only for groups of at least 5 people/);
    const exports = await stack.query(`SELECT 1 FROM audit_log WHERE target_id = $1 AND action = 'poll.exported'`, [
      poll.id,
    ]);
    expect(exports).toHaveLength(2);
  });

  it('finds polls in search only for their audience, and never drafts for members', async () => {
    const { SearchProviders } = await import('@cophub/search');
    const c = await createCommunity(stack);
    const chair = await createMember(stack, c, 'co_chair');
    const pwp = await createMember(stack, c, 'member', { profession: 'PWP' });
    const emhp = await createMember(stack, c, 'member', { profession: 'EMHP' });
    const open = await createPoll(stack, c, chair, {
      title: 'Supervision quality survey',
      audience: { professions: ['PWP'] },
    });
    await openPoll(stack, open.id, chair);
    const draft = await createPoll(stack, c, chair, { title: 'Supervision draft ideas' });
    const search = async (who: TestUser, role: 'member' | 'co_chair', profession: 'PWP' | 'EMHP') => {
      const page = await stack.api.get(SearchProviders).search(
        {
          user: { id: who.id, isAdmin: false, sessionId: 'x' } as never,
          communityId: c.id,
          role: role as never,
          isAdmin: false,
          profession: profession as never,
          careerStage: 'qualified' as never,
          region: 'north_west' as never,
        },
        { q: 'supervision', kinds: ['poll'] },
        10,
      );
      return page.items.map((hit) => hit.id).sort();
    };
    expect(await search(pwp, 'member', 'PWP')).toEqual([open.id]);
    expect(await search(emhp, 'member', 'EMHP')).toEqual([]);
    expect(await search(chair, 'co_chair', 'PWP')).toEqual([open.id, draft.id].sort());
  });
});
