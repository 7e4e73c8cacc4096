import {
  countRows,
  createCommunity,
  createMember,
  createUser,
  eventually,
  scaled,
  TestCommunity,
  TestStack,
  TestUser,
} from '@cophub/testing';
import { PollJobs, REMIND_NOW_COOLDOWN_MS } from '@cophub/polls';
import { createPoll, openPoll, vote } from './polls.helpers';

/**
 * What the co-chair's survey builder relies on: the live electorate count for a proposed audience,
 * planned times on a draft (checked, shown in UK time with the zone), scheduling from the draft, and
 * "Remind now" (co-chairs only, once per cooldown, only to members who have not answered, never
 * saying how many).
 */
describe('poll builder API', () => {
  let stack: TestStack;
  let community: TestCommunity;
  let coChair: TestUser;
  let moderator: TestUser;
  let pwpTrainee: TestUser;
  let pwpQualified: TestUser;
  let mhwp: TestUser;
  let mutedPwp: TestUser;
  let outsider: TestUser;
  let admin: TestUser;

  beforeAll(async () => {
    stack = await TestStack.start();
    community = await createCommunity(stack);
    coChair = await createMember(stack, community, 'co_chair', { profession: 'MHWP', careerStage: 'senior' });
    moderator = await createMember(stack, community, 'moderator', { profession: 'EMHP', region: 'london' });
    pwpTrainee = await createMember(stack, community, 'member', { profession: 'PWP', careerStage: 'trainee' });
    pwpQualified = await createMember(stack, community, 'member', { profession: 'PWP', careerStage: 'qualified' });
    mhwp = await createMember(stack, community, 'member', { profession: 'MHWP', careerStage: 'qualified' });
    mutedPwp = await createMember(stack, community, 'member', { profession: 'PWP', careerStage: 'senior' });
    await stack.query(
      `INSERT INTO notification_preferences (user_id, kind, channel) VALUES ($1, 'poll_invitation', 'in_app')`,
      [mutedPwp.id],
    );
    const other = await createCommunity(stack);
    outsider = await createMember(stack, other, 'co_chair');
    admin = await createUser(stack, { isAdmin: true });
  });

  afterAll(async () => {
    await stack?.close();
  });

  const preview = (token: string | null, body: object, slug = community.slug) => {
    const request = stack.http().post(`/api/v1/communities/${slug}/polls/electorate-preview`).send(body);
    return token ? request.set('authorization', `Bearer ${token}`) : request;
  };

  it('counts the members a proposed audience reaches, and how many of them get the invitation by email', async () => {
    expect((await preview(coChair.token, {})).body).toEqual({ members: 6, emailed: 5, overlap: null });
    expect((await preview(coChair.token, { professions: ['PWP'] })).body).toEqual({
      members: 3,
      emailed: 2,
      overlap: null,
    });
    expect(
      (await preview(coChair.token, { professions: ['PWP'], careerStages: ['trainee', 'qualified'] })).body,
    ).toEqual({
      members: 2,
      emailed: 2,
      overlap: null,
    });
    expect((await preview(coChair.token, { regions: ['london'] })).body).toEqual({
      members: 1,
      emailed: 1,
      overlap: null,
    });
    expect((await preview(coChair.token, { professions: ['CYWP'] })).body).toEqual({
      members: 0,
      emailed: 0,
      overlap: null,
    });
    // Suspended members are not counted: they would not be invited.
    const suspended = await createMember(stack, community, 'member', { profession: 'PWP' });
    await stack.query(`UPDATE memberships SET status = 'suspended' WHERE user_id = $1`, [suspended.id]);
    expect((await preview(coChair.token, { professions: ['PWP'] })).body.members).toBe(3);
  });

  // Two anonymous polls asking the same question of audiences one member apart: subtracting their
  // results gave that member's answer. Before this check both opened; now the second is refused, and
  // the builder's count says why before the co-chair tries.
  it('refuses to open an anonymous poll whose audience differs by fewer than k members from one sharing its questions, and says so first', async () => {
    const c = await createCommunity(stack, { breakdownThreshold: 5 });
    const chair = await createMember(stack, c, 'co_chair', { profession: 'PWP' });
    for (let i = 0; i < 6; i += 1) await createMember(stack, c, 'member', { profession: 'PWP' });
    await createMember(stack, c, 'member', { profession: 'EMHP' });
    const question = { kind: 'single_choice', prompt: 'Is supervision enough?', options: ['Yes', 'No'] };
    const first = await createPoll(stack, c, chair, { title: 'Supervision, spring', questions: [question] });
    await openPoll(stack, first.id, chair);

    // The same question (spacing and case aside), everyone but the one EMHP: 8 and 7 members.
    const again = await createPoll(stack, c, chair, {
      title: 'Supervision, summer',
      questions: [{ ...question, prompt: '  is supervision   ENOUGH? ' }],
      audience: { professions: ['PWP'] },
    });
    const said = await preview(chair.token, { professions: ['PWP'], pollId: again.id }, c.slug);
    expect(said.status).toBe(200);
    expect(said.body.members).toBe(7);
    expect(said.body.overlap).toMatch(/"Supervision, spring", whose audience differs from this one by only 1 member/);
    const before = await stack.query(`SELECT count(*)::int AS n FROM poll_electorate WHERE poll_id = $1`, [again.id]);
    const refused = await stack
      .http()
      .post(`/api/v1/polls/${again.id}/open`)
      .set('authorization', `Bearer ${chair.token}`)
      .send({});
    expect(refused.status).toBe(409);
    expect(refused.body.message).toBe(said.body.overlap);
    const [state] = await stack.query<{ status: string }>(`SELECT status FROM polls WHERE id = $1`, [again.id]);
    expect(state.status).toBe('draft');
    expect(await stack.query(`SELECT count(*)::int AS n FROM poll_electorate WHERE poll_id = $1`, [again.id])).toEqual(
      before,
    );

    // Started from the first poll ("start from this poll") with other wording: the lineage counts too.
    const copy = await createPoll(stack, c, chair, {
      title: 'Supervision, autumn',
      questions: [{ ...question, prompt: 'Supervision: enough?' }],
      audience: { professions: ['PWP'] },
      templateOf: first.id,
    });
    expect((await preview(chair.token, { professions: ['PWP'], pollId: copy.id }, c.slug)).body.overlap).toMatch(
      /by only 1 member/,
    );
    // Unsaved questions in the builder are compared by their text.
    expect(
      (await preview(chair.token, { professions: ['PWP'], prompts: ['Is supervision enough?'] }, c.slug)).body.overlap,
    ).toMatch(/by only 1 member/);
    // The same audience (a repeated wave), a question not shared, or a named poll: nothing to refuse.
    expect((await preview(chair.token, { prompts: ['Is supervision enough?'] }, c.slug)).body.overlap).toBeNull();
    expect(
      (await preview(chair.token, { professions: ['PWP'], prompts: ['Caseload?'] }, c.slug)).body.overlap,
    ).toBeNull();
    expect(
      (
        await preview(
          chair.token,
          { professions: ['PWP'], prompts: ['Is supervision enough?'], anonymous: false },
          c.slug,
        )
      ).body.overlap,
    ).toBeNull();
    const same = await createPoll(stack, c, chair, { title: 'Supervision, winter', questions: [question] });
    await openPoll(stack, same.id, chair);

    // Bad references: a clear 400, nothing created.
    expect((await preview(chair.token, { pollId: 'not-a-poll' }, c.slug)).status).toBe(400);
    const polls = await stack.query(`SELECT count(*)::int AS n FROM polls WHERE community_id = $1`, [c.id]);
    const foreign = await stack
      .http()
      .post(`/api/v1/communities/${c.slug}/polls`)
      .set('authorization', `Bearer ${chair.token}`)
      .send({ title: 'Copy', questions: [question], templateOf: '00000000-0000-4000-8000-000000000000' });
    expect([foreign.status, foreign.body.message]).toEqual([400, 'templateOf must be a poll of this community']);
    expect(await stack.query(`SELECT count(*)::int AS n FROM polls WHERE community_id = $1`, [c.id])).toEqual(polls);
  });

  it('lets only co-chairs and admins ask for the count, and refuses a bad audience with a clear 400', async () => {
    expect((await preview(null, {})).status).toBe(401);
    for (const who of [pwpTrainee, moderator, outsider]) expect((await preview(who.token, {})).status).toBe(403);
    expect((await preview(admin.token, {})).status).toBe(200);
    expect((await preview(coChair.token, {}, 'no-such-community')).status).toBe(404);
    for (const body of [
      { professions: ['Surgeon'] },
      { careerStages: 'trainee' },
      { regions: ['london', 'london'] },
      { colour: 'red' },
    ]) {
      const response = await preview(coChair.token, body);
      expect([response.status, body]).toEqual([400, body]);
      expect(response.body).toMatchObject({ statusCode: 400, message: expect.anything() });
    }
  });

  it('keeps planned times on a draft, shows them in UK time with the zone, and refuses times out of order', async () => {
    const poll = await createPoll(stack, community, coChair, {
      audience: { professions: ['PWP'] },
      // 01:30 on the night the clocks go back happens twice; the zone tells them apart.
      opensAt: '2030-10-27T00:30:00.000Z',
      closesAt: '2030-10-27T01:30:00.000Z',
    });
    const get = async () =>
      (await stack.http().get(`/api/v1/polls/${poll.id}`).set('authorization', `Bearer ${coChair.token}`)).body;
    const draft = await get();
    expect(draft.timesText).toEqual({
      opensAt: 'Sun 27 October 2030, 01:30 BST',
      closesAt: 'Sun 27 October 2030, 01:30 GMT',
      remindAt: null,
    });
    expect(draft.audience.professions).toEqual(['PWP']);

    const before = await stack.query(`SELECT * FROM polls WHERE id = $1`, [poll.id]);
    const patch = (body: object, token = coChair.token) =>
      stack.http().patch(`/api/v1/polls/${poll.id}`).set('authorization', `Bearer ${token}`).send(body);
    for (const body of [
      { closesAt: '2030-10-27T00:00:00.000Z' },
      { remindAt: '2030-10-27T02:00:00.000Z' },
      { remindAt: '2030-10-27T00:10:00.000Z' },
      { opensAt: 'tomorrow' },
      { questions: [{ kind: 'multiple_choice', prompt: 'P', options: ['A', 'B'], minChoices: 2, maxChoices: 1 }] },
    ]) {
      const response = await patch(body);
      expect([response.status, body]).toEqual([400, body]);
    }
    expect((await patch({ title: 'Hijacked' }, pwpTrainee.token)).status).toBe(403);
    expect((await patch({ title: 'Hijacked' }, outsider.token)).status).toBe(403);
    expect(await stack.query(`SELECT * FROM polls WHERE id = $1`, [poll.id])).toEqual(before);

    const edited = await patch({
      title: 'Edited in the builder',
      audience: { professions: ['PWP', 'MHWP'], careerStages: ['qualified'] },
      anonymous: false,
      allowChange: true,
      questions: [
        { kind: 'likert', prompt: 'Now first' },
        { kind: 'multiple_choice', prompt: 'Pick two', options: ['A', 'B', 'C'], minChoices: 1, maxChoices: 2 },
      ],
    });
    expect(edited.status).toBe(200);
    expect(edited.body).toMatchObject({
      title: 'Edited in the builder',
      anonymous: false,
      allowChange: true,
      audience: { professions: ['PWP', 'MHWP'], careerStages: ['qualified'], regions: [] },
    });
    expect(edited.body.questions.map((q: { prompt: string }) => q.prompt)).toEqual(['Now first', 'Pick two']);
    expect(edited.body.questions[1]).toMatchObject({ minChoices: 1, maxChoices: 2 });
  });

  it('schedules a draft at its planned times, after which the draft can no longer be edited', async () => {
    const now = stack.clock.now().getTime();
    const opensAt = new Date(now + 3_600_000).toISOString();
    const closesAt = new Date(now + 7_200_000).toISOString();
    const poll = await createPoll(stack, community, coChair, { opensAt, closesAt });
    const scheduled = await stack
      .http()
      .post(`/api/v1/polls/${poll.id}/schedule`)
      .set('authorization', `Bearer ${coChair.token}`)
      .send({});
    expect(scheduled.status).toBe(200);
    expect(scheduled.body).toMatchObject({ status: 'scheduled', opensAt, closesAt });
    const late = await stack
      .http()
      .patch(`/api/v1/polls/${poll.id}`)
      .set('authorization', `Bearer ${coChair.token}`)
      .send({ title: 'Too late' });
    expect(late.status).toBe(409);
  });

  it('sends each planned reminder a co-chair chooses, one after another, to whoever has not answered by then', async () => {
    const c = await createCommunity(stack);
    const chair = await createMember(stack, c, 'co_chair');
    const early = await createMember(stack, c);
    const late = await createMember(stack, c);
    const never = await createMember(stack, c);
    const poll = await createPoll(stack, c, chair);
    const t = stack.clock.now().getTime();
    await openPoll(stack, poll.id, chair, {
      remindAt: new Date(t + 3_600_000).toISOString(),
      closesAt: new Date(t + 10 * 3_600_000).toISOString(),
    });
    const q = poll.questions[0];
    const recipients = async () =>
      (
        await stack.query<{ recipient: string; n: number }>(
          `SELECT recipient, count(*)::int AS n FROM mail_outbox
            WHERE template = 'poll.reminder' AND dedupe_key LIKE $1 GROUP BY recipient`,
          [`poll-reminder-${poll.id}-%`],
        )
      ).reduce<Record<string, number>>((all, r) => ({ ...all, [r.recipient]: r.n }), {});
    const schedule = (body: object) =>
      stack.http().post(`/api/v1/polls/${poll.id}/schedule`).set('authorization', `Bearer ${chair.token}`).send(body);
    try {
      await vote(stack, poll.id, early.token, [{ questionId: q.id, optionIds: [q.options[0].id] }]).expect(201);
      stack.clock.advance(3_600_000 + 1_000);
      await stack.worker!.get(PollJobs).runOnce();
      expect(await recipients()).toEqual({ [chair.email]: 1, [late.email]: 1, [never.email]: 1 });

      // A reminder time in the past is refused and changes nothing.
      const before = await stack.query(`SELECT * FROM polls WHERE id = $1`, [poll.id]);
      const past = await schedule({ remindAt: new Date(stack.clock.now().getTime() - 60_000).toISOString() });
      expect(past.status).toBe(400);
      expect(await stack.query(`SELECT * FROM polls WHERE id = $1`, [poll.id])).toEqual(before);

      const next = await schedule({ remindAt: new Date(stack.clock.now().getTime() + 3_600_000).toISOString() });
      expect(next.status).toBe(200);
      expect(next.body.reminders.scheduledSentAt).toBeNull();
      await vote(stack, poll.id, late.token, [{ questionId: q.id, optionIds: [q.options[1].id] }]).expect(201);
      stack.clock.advance(3_600_000 + 1_000);
      await stack.worker!.get(PollJobs).runOnce();
      await stack.worker!.get(PollJobs).runOnce();
      expect(await recipients()).toEqual({ [chair.email]: 2, [late.email]: 1, [never.email]: 2 });
      await stack.smtp!.waitFor(
        (messages) =>
          messages.filter((m) => m.to.includes(never.email) && m.subject.startsWith('Reminder:')).length === 2,
        scaled(15_000),
        'both reminders to the member who never answered',
      );
    } finally {
      stack.clock.set(new Date());
    }
  });

  it('reminds only members who have not answered, once per cooldown, and never says how many', async () => {
    const poll = await createPoll(stack, community, coChair, { audience: { professions: ['PWP'] } });
    const remind = (token: string) =>
      stack.http().post(`/api/v1/polls/${poll.id}/remind`).set('authorization', `Bearer ${token}`).send();

    // Not open yet: nothing to remind about.
    expect((await remind(coChair.token)).status).toBe(409);
    await openPoll(stack, poll.id, coChair);
    const q = poll.questions[0];
    await vote(stack, poll.id, pwpTrainee.token, [{ questionId: q.id, optionIds: [q.options[0].id] }]).expect(201);

    const outbox = () => countRows(stack, ['mail_outbox', 'notifications']);
    const before = await outbox();
    for (const who of [pwpQualified, moderator, outsider]) expect((await remind(who.token)).status).toBe(403);
    expect(await outbox()).toEqual(before);

    const sent = await remind(coChair.token);
    expect(sent.status).toBe(200);
    expect(sent.body.message).toBe('Reminder sent to members who have not answered.');
    // An anonymous poll publishes its turnout only in batches: the answer carries no count at all.
    expect(JSON.stringify(sent.body)).not.toMatch(/"\w+":\s*\d/);

    const reminded = await stack.smtp!.waitForMessageTo(pwpQualified.email, 'Reminder:');
    expect(reminded.text).toContain('You have not yet answered');
    // Like every notification email: one-click unsubscribe (mailparser groups List-* headers under `list`).
    const list = reminded.headers.get('list') as { unsubscribe: { url: string }; 'unsubscribe-post': { name: string } };
    expect(list['unsubscribe-post'].name).toBe('List-Unsubscribe=One-Click');
    expect(reminded.text).toContain(`Unsubscribe from these emails: ${new URL(list.unsubscribe.url).toString()}`);
    await stack.smtp!.waitForMessageTo(mutedPwp.email, 'Reminder:');
    // Every reminder of this round is delivered, and none went to the member who had answered.
    await eventually(async () => {
      const [row] = await stack.query<{ pending: number }>(
        `SELECT count(*) FILTER (WHERE status <> 'sent')::int AS pending FROM mail_outbox WHERE template = 'poll.reminder' AND dedupe_key LIKE $1`,
        [`poll-reminder-${poll.id}-%`],
      );
      return row.pending === 0;
    }, 'the reminders to be sent');
    expect(stack.smtp!.to(pwpTrainee.email).filter((m) => m.subject.startsWith('Reminder:'))).toEqual([]);
    expect(stack.smtp!.to(mhwp.email).filter((m) => m.subject.startsWith('Reminder:'))).toEqual([]);
    const recipients = await stack.query<{ recipient: string }>(
      `SELECT recipient FROM mail_outbox WHERE template = 'poll.reminder' AND dedupe_key LIKE $1`,
      [`poll-reminder-${poll.id}-%`],
    );
    expect(recipients.map((r) => r.recipient).sort()).toEqual([pwpQualified.email, mutedPwp.email].sort());

    // A second click (or a retry) during the cooldown sends nothing and says when the next is possible.
    const afterFirst = await outbox();
    const again = await remind(coChair.token);
    expect(again.status).toBe(429);
    expect(Number(again.headers['retry-after'])).toBeGreaterThan(0);
    expect(again.body.message).toMatch(/A reminder was sent to members who have not answered at .+ (GMT|BST)\./);
    expect(await outbox()).toEqual(afterFirst);
    const view = await stack.http().get(`/api/v1/polls/${poll.id}`).set('authorization', `Bearer ${coChair.token}`);
    expect(view.body.reminders.lastSentNowAt).toBe(sent.body.sentAt);
    expect(view.body.reminders.nextAllowedAt).toBe(sent.body.nextAllowedAt);

    // After the cooldown another round goes out, to whoever still has not answered.
    await vote(stack, poll.id, pwpQualified.token, [{ questionId: q.id, optionIds: [q.options[1].id] }]).expect(201);
    stack.clock.advance(REMIND_NOW_COOLDOWN_MS + 1_000);
    try {
      expect((await remind(coChair.token)).status).toBe(200);
      const second = await stack.query<{ recipient: string }>(
        `SELECT recipient FROM mail_outbox WHERE template = 'poll.reminder' AND dedupe_key LIKE $1`,
        [`poll-reminder-${poll.id}-%`],
      );
      expect(second.filter((r) => r.recipient === mutedPwp.email)).toHaveLength(2);
      expect(second.filter((r) => r.recipient === pwpQualified.email)).toHaveLength(1);
      const audit = await stack.query<{ data: Record<string, unknown> }>(
        `SELECT data FROM audit_log WHERE target_id = $1 AND action = 'poll.reminded'`,
        [poll.id],
      );
      expect(audit).toHaveLength(2);
      expect(audit[0].data).toEqual({ by: 'co-chair' });
    } finally {
      stack.clock.set(new Date());
    }
  });
});
