import { DataSource } from 'typeorm';
import {
  RESERVED_HANDLE_WORDS,
  ReservedHandleLookalikes1795910000000,
} from '../../libs/identity/src/db/migrations/1795910000000-ReservedHandleLookalikes';
import { isReservedHandle, RESERVED_HANDLES } from '@cophub/identity';
import { MailReconciler } from '../../libs/mail/src/jobs/mail-reconciler.service';
import {
  addMembership,
  createCommunity,
  createMember,
  createUser,
  eventually,
  TestCommunity,
  TestStack,
  TestUser,
} from '@cophub/testing';

describe('member handles and mentions', () => {
  let stack: TestStack;
  let community: TestCommunity;
  let elsewhere: TestCommunity;
  let sam: TestUser;
  let carol: TestUser;
  let outsider: TestUser;
  let categoryId: string;

  const as = (user: TestUser) => ({ Authorization: `Bearer ${user.token}` });
  const handleOf = async (user: TestUser) =>
    (await stack.query<{ handle: string }>('SELECT handle FROM users WHERE id = $1', [user.id]))[0].handle;
  const fannedOut = () =>
    eventually(async () => !(await stack.query('SELECT 1 FROM forum_post_fanouts LIMIT 1')).length, 'fan-out');

  beforeAll(async () => {
    stack = await TestStack.start({ worker: true, smtp: false });
    community = await createCommunity(stack, { name: 'North West PWP CoP' });
    elsewhere = await createCommunity(stack, { name: 'London EMHP CoP' });
    const coChair = await createMember(stack, community, 'co_chair');
    sam = await createMember(stack, community, 'member', {
      displayName: "Sam O'Neill",
      profession: 'MHWP',
      careerStage: 'trainee',
      region: 'london',
    });
    await addMembership(stack, elsewhere, sam);
    carol = await createMember(stack, community, 'member', { displayName: 'Carol Cole' });
    outsider = await createMember(stack, elsewhere, 'member', { displayName: 'Olive Outsider' });
    const { body } = await stack
      .http()
      .post(`/api/v1/communities/${community.slug}/categories`)
      .set(as(coChair))
      .send({ name: 'General' })
      .expect(201);
    categoryId = body.id;
  });

  afterAll(async () => {
    await stack?.close();
  });

  it('gives every account a handle from its display name, and suggests a free one', async () => {
    const { body: me } = await stack.http().get('/api/v1/me').set(as(sam)).expect(200);
    expect(me.handle).toBe('samoneill');
    // A second Sam O'Neill gets a different handle, and is offered a free one.
    const twin = await createUser(stack, { displayName: "Sam O'Neill" });
    expect(await handleOf(twin)).toMatch(/^samoneill\d+$/);
    const { body: suggestion } = await stack.http().get('/api/v1/me/handle-suggestion').set(as(twin)).expect(200);
    expect(suggestion.handle).toMatch(/^samoneill\d+$/);
    expect(suggestion.handle).not.toBe('samoneill');
    // A name that is a reserved word does not become that handle.
    const admin = await createUser(stack, { displayName: 'Admin' });
    expect(await handleOf(admin)).toMatch(/^admin\d+$/);
  });

  it('lets a member choose a handle; another may not take it in any case or look-alike spelling', async () => {
    const { body } = await stack.http().patch('/api/v1/me').set(as(sam)).send({ handle: 'Sam-ONeill' }).expect(200);
    expect(body.handle).toBe('Sam-ONeill');
    for (const taken of ['sam-oneill', 'SAM-ONEILL', 'sam_oneill', 'sam-0neill', 'sam-oneIll']) {
      const response = await stack.http().patch('/api/v1/me').set(as(carol)).send({ handle: taken });
      expect({ taken, status: response.status }).toEqual({ taken, status: 409 });
      expect(response.body.message).toMatch(/taken/);
    }
    expect(await handleOf(carol)).toBe('carolcole');
  });

  it('refuses invalid handles with a 400 and keeps the old one', async () => {
    const invalid: unknown[] = [
      'ab',
      'x'.repeat(31),
      'sam oneill',
      'sam\u200boneill',
      'sаm', // Cyrillic a
      'sam😀',
      '-sam',
      '_sam',
      'sam.oneill',
      'admin',
      'Everyone',
      'co-chair',
      '',
      42,
    ];
    for (const handle of invalid) {
      const response = await stack.http().patch('/api/v1/me').set(as(carol)).send({ handle });
      expect({ handle, status: response.status }).toEqual({ handle, status: 400 });
      expect(response.body.message).toBeTruthy();
    }
    expect(await handleOf(carol)).toBe('carolcole');
  });

  // Fails on the previous code, which compared the reserved words before normalisation: every one of
  // these was accepted (200) and became the member's handle.
  it('refuses handles that read as reserved words (digits for letters, case, separators) with a 400', async () => {
    const lookalikes = [
      'adm1n',
      'ADM1N',
      'Adm_In',
      '4dmin',
      'c0chair',
      'co_cha1r',
      'C0-CHAIR',
      'every0ne',
      'Every-One',
      'ev3ryb0dy',
      'f0rmer-member',
      'former_memb3r',
      'm0d',
      'rnod',
      'sup-p0rt',
      'r00t',
      'n-h-s',
      'he1p',
      'a11',
      'cophu8',
      'anonym0us',
      'n0-rep1y',
      'n0tificati0ns',
    ];
    for (const handle of lookalikes) {
      const response = await stack.http().patch('/api/v1/me').set(as(carol)).send({ handle });
      expect({ handle, status: response.status }).toEqual({ handle, status: 400 });
      expect(response.body.message).toMatch(/reserved/);
    }
    expect(await handleOf(carol)).toBe('carolcole');

    // The database reads handles the same way as the app (pick_handle relies on it), over the same words.
    expect(RESERVED_HANDLE_WORDS).toEqual(RESERVED_HANDLES);
    const ordinary = ['ali', 'admin12', 'carolcole', 'sam-oneill', 'modest', 'chanel', 'hereford', 'nhs-leeds'];
    for (const handle of [...lookalikes, ...RESERVED_HANDLES, ...ordinary]) {
      const [row] = await stack.query<{ reserved: boolean }>('SELECT handle_is_reserved($1) AS reserved', [handle]);
      expect({ handle, reserved: row.reserved }).toEqual({ handle, reserved: isReservedHandle(handle) });
    }
    for (const handle of ordinary)
      expect({ handle, reserved: isReservedHandle(handle) }).toEqual({ handle, reserved: false });
    await stack.http().patch('/api/v1/me').set(as(carol)).send({ handle: 'ali' }).expect(200);
    await stack.http().patch('/api/v1/me').set(as(carol)).send({ handle: 'carolcole' }).expect(200);

    // A new account named like a reserved word gets a numbered handle, and is not offered the look-alike.
    const named = await createUser(stack, { displayName: 'Every0ne' });
    expect(await handleOf(named)).toMatch(/^every0ne\d+$/);
    const { body: suggestion } = await stack.http().get('/api/v1/me/handle-suggestion').set(as(named)).expect(200);
    expect(suggestion.handle).toMatch(/^every0ne\d+$/);
  });

  // Fails on the previous code: there was no such migration, and accounts that already held a
  // look-alike of a reserved word kept it.
  it('renames existing handles that read as reserved words and tells each owner, in the bell and by email', async () => {
    const holders = [await createMember(stack, community, 'member', { displayName: 'Adm1n' }), await createUser(stack)];
    const bystander = await createMember(stack, community, 'member', { displayName: 'Bea Bystander' });
    // Handles given before reserved words were compared as they read (the check constraint allows them).
    await stack.query('UPDATE users SET handle = $2 WHERE id = $1', [holders[0].id, 'adm1n']);
    await stack.query('UPDATE users SET handle = $2 WHERE id = $1', [holders[1].id, 'C0-Chair']);
    const bystanderHandle = await handleOf(bystander);
    const [{ n: outboxBefore }] = await stack.query<{ n: number }>('SELECT count(*)::int AS n FROM mail_outbox');

    const runMigration = async () => {
      const runner = stack.api.get(DataSource, { strict: false }).createQueryRunner();
      await runner.connect();
      try {
        await runner.startTransaction();
        await new ReservedHandleLookalikes1795910000000().up(runner);
        await runner.commitTransaction();
      } finally {
        await runner.release();
      }
    };
    await runMigration();

    const renamed = [await handleOf(holders[0]), await handleOf(holders[1])];
    expect(renamed[0]).toMatch(/^adm1n\d+$/);
    expect(renamed.every((handle) => !isReservedHandle(handle))).toBe(true);
    expect(await handleOf(bystander)).toBe(bystanderHandle);
    for (const [i, old] of ['adm1n', 'C0-Chair'].entries()) {
      const { body: bell } = await stack.http().get('/api/v1/notifications').set(as(holders[i])).expect(200);
      expect(bell.items).toEqual([
        expect.objectContaining({ kind: 'account', title: `Your handle is now @${renamed[i]}`, url: '/profile' }),
      ]);
      expect(bell.items[0].body).toContain(`@${old}`);
      const mail = await stack.query<{ template: string; params: Record<string, string> }>(
        'SELECT template, params FROM mail_outbox WHERE recipient = $1',
        [holders[i].email],
      );
      expect(mail).toEqual([
        {
          template: 'identity.handle-changed',
          params: expect.objectContaining({ oldHandle: old, newHandle: renamed[i] }),
        },
      ]);
    }
    // The worker sends the staged emails like any other outbox row (its reconciler picks up pending rows).
    await stack.worker!.get(MailReconciler).runOnce();
    await eventually(async () => {
      const sent = await stack.query<{ status: string; subject: string; body_text: string }>(
        "SELECT status, subject, body_text FROM mail_outbox WHERE template = 'identity.handle-changed' AND recipient = $1",
        [holders[0].email],
      );
      return sent[0]?.status === 'sent' && sent[0].subject === `Your CoP Hub handle is now @${renamed[0]}`
        ? sent[0].body_text.includes('@adm1n')
        : false;
    }, 'handle-changed email sent');
    const { body: bystanderBell } = await stack.http().get('/api/v1/notifications').set(as(bystander)).expect(200);
    expect(bystanderBell.items).toEqual([]);

    // Running it again renames and tells no one twice.
    await runMigration();
    expect([await handleOf(holders[0]), await handleOf(holders[1])]).toEqual(renamed);
    const [{ n: outboxAfter }] = await stack.query<{ n: number }>('SELECT count(*)::int AS n FROM mail_outbox');
    expect(outboxAfter - outboxBefore).toBe(2);
    const [{ n: notices }] = await stack.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM notifications WHERE kind = 'account'",
    );
    expect(notices).toBe(2);
  });

  it('settles a race for one handle in the database: one member gets it, the others a 409', async () => {
    const racers = await Promise.all(Array.from({ length: 6 }, () => createMember(stack, community)));
    const responses = await Promise.all(
      racers.map((racer) => stack.http().patch('/api/v1/me').set(as(racer)).send({ handle: 'first-come' })),
    );
    const statuses = responses.map((r) => r.status).sort();
    expect(statuses).toEqual([200, 409, 409, 409, 409, 409]);
    const holders = await stack.query("SELECT id FROM users WHERE lower(handle) = 'first-come'");
    expect(holders).toHaveLength(1);
  });

  it('notifies the member a mention names, links it to them, and keeps it theirs after a change of handle', async () => {
    const { body: thread } = await stack
      .http()
      .post(`/api/v1/communities/${community.slug}/threads`)
      .set(as(carol))
      .send({
        categoryId,
        title: 'Supervision ratios',
        body: 'What does @sam-oneill think? cc @oliveoutsider @nobody-here',
      })
      .expect(201);
    await fannedOut();
    const notified = await stack.query<{ user_id: string; kind: string }>(
      "SELECT user_id, kind FROM notifications WHERE data->>'threadId' = $1",
      [thread.id],
    );
    // Sam only: the outsider is not a member here, and no one has the last handle.
    expect(notified).toEqual([{ user_id: sam.id, kind: 'forum_mention' }]);

    const page = async () =>
      (await stack.http().get(`/api/v1/threads/${thread.id}/posts`).set(as(carol)).expect(200)).body.items[0]
        .html as string;
    expect(await page()).toContain(`<a class="mention" href="/u/Sam-ONeill" data-user-id="${sam.id}">@Sam-ONeill</a>`);
    expect(await page()).toContain('@oliveoutsider');
    expect(await page()).not.toContain('href="/u/oliveoutsider"');

    // Sam changes handle: the old post now shows the new one, still pointing at Sam.
    await stack.http().patch('/api/v1/me').set(as(sam)).send({ handle: 'sam_o' }).expect(200);
    expect(await page()).toContain(`<a class="mention" href="/u/sam_o" data-user-id="${sam.id}">@sam_o</a>`);
    expect(await page()).not.toContain('Sam-ONeill');

    // Someone else may now take the old handle; a new mention of it reaches them, not Sam.
    await stack.http().patch('/api/v1/me').set(as(carol)).send({ handle: 'sam-oneill' }).expect(200);
    await stack.query('DELETE FROM notifications');
    const { body: second } = await stack
      .http()
      .post(`/api/v1/threads/${thread.id}/posts`)
      .set(as(sam))
      .send({ body: 'Asking @sam-oneill too' })
      .expect(201);
    expect(second.html).toContain(`data-user-id="${carol.id}">@sam-oneill</a>`);
    await fannedOut();
    const mentioned = await stack.query<{ user_id: string }>(
      "SELECT user_id FROM notifications WHERE kind = 'forum_mention' AND data->>'postId' = $1",
      [second.id],
    );
    expect(mentioned).toEqual([{ user_id: carol.id }]);
  });

  it('notifies members an edit newly mentions, once per post, and not those it already mentioned', async () => {
    const dora = await createMember(stack, community, 'member', { displayName: 'Dora Dean' });
    const [samHandle, doraHandle, outsiderHandle] = [
      await handleOf(sam),
      await handleOf(dora),
      await handleOf(outsider),
    ];
    const { body: thread } = await stack
      .http()
      .post(`/api/v1/communities/${community.slug}/threads`)
      .set(as(carol))
      .send({ categoryId, title: 'Step-up criteria', body: `Thoughts, @${samHandle}?` })
      .expect(201);
    await fannedOut();
    const postId = (await stack.http().get(`/api/v1/threads/${thread.id}/posts`).set(as(carol)).expect(200)).body
      .items[0].id as string;
    const mentions = () =>
      stack.query<{ user_id: string }>(
        "SELECT user_id FROM notifications WHERE kind = 'forum_mention' AND data->>'postId' = $1 ORDER BY user_id",
        [postId],
      );
    const edit = (body: string) =>
      stack.http().patch(`/api/v1/posts/${postId}`).set(as(carol)).send({ body }).expect(200);
    expect(await mentions()).toEqual([{ user_id: sam.id }]);

    // Dora is newly mentioned; Sam was already, the outsider is not a member here.
    await edit(`Thoughts, @${samHandle}? And @${doraHandle}, cc @${outsiderHandle}`);
    expect(await mentions()).toEqual(
      [{ user_id: sam.id }, { user_id: dora.id }].sort((a, b) => a.user_id.localeCompare(b.user_id)),
    );
    const [notice] = await stack.query<{ title: string; url: string }>(
      "SELECT title, url FROM notifications WHERE kind = 'forum_mention' AND user_id = $1 AND data->>'postId' = $2",
      [dora.id, postId],
    );
    expect(notice.title).toBe('Carol Cole mentioned you in "Step-up criteria"');
    expect(notice.url).toBe(`/c/${community.slug}/t/${thread.id}/1`);

    // Taking Dora out and putting her back does not notify her again; nor does a bad edit.
    await edit(`Thoughts, @${samHandle}?`);
    await edit(`Thoughts, @${samHandle}? And @${doraHandle} again`);
    await stack.http().patch(`/api/v1/posts/${postId}`).set(as(carol)).send({ body: '' }).expect(400);
    const counts = await stack.query<{ user_id: string; n: number }>(
      `SELECT user_id, count(*)::int AS n FROM notifications WHERE data->>'postId' = $1 GROUP BY user_id`,
      [postId],
    );
    expect(new Map(counts.map((c) => [c.user_id, c.n]))).toEqual(
      new Map([
        [sam.id, 1],
        [dora.id, 1],
      ]),
    );
  });

  it('shows a profile card only to members who share a community, with only the communities in common', async () => {
    const { body: card } = await stack.http().get('/api/v1/profiles/SAM_O').set(as(carol)).expect(200);
    expect(card).toEqual({
      userId: sam.id,
      handle: 'sam_o',
      displayName: "Sam O'Neill",
      profession: 'MHWP',
      careerStage: 'trainee',
      region: 'london',
      communitiesInCommon: [{ slug: community.slug, name: 'North West PWP CoP' }],
    });
    expect(JSON.stringify(card)).not.toContain('@');
    const { body: fromElsewhere } = await stack.http().get('/api/v1/profiles/sam_o').set(as(outsider)).expect(200);
    expect(fromElsewhere.communitiesInCommon).toEqual([{ slug: elsewhere.slug, name: 'London EMHP CoP' }]);
    // Carol and Olive share no community: the card is "not found", as for a handle no one has.
    await stack.http().get('/api/v1/profiles/carolcole').set(as(outsider)).expect(404);
    await stack.http().get('/api/v1/profiles/no-such-person').set(as(carol)).expect(404);
    await stack.http().get('/api/v1/profiles/a%20b').set(as(carol)).expect(400);
    await stack.http().get('/api/v1/profiles/sam_o').expect(401);
  });
});
