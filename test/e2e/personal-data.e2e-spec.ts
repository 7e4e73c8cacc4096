import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PersonalDataRegistry, RetentionRunner } from '@cophub/core';
import { createCommunity, createMember, eventually, TEST_PASSWORD, TestStack } from '@cophub/testing';
import { compose, makeDomain, postToWebhook, signed, stubResolver } from './mail-in.helpers';
import { createPoll, openPoll } from './polls.helpers';
import { makePdf, upload } from './resources.helpers';

const DOMAIN = 'in.cophub.test';
const WEBHOOK_SECRET = 'webhook-secret-0123456789-abcdef';
const HOUR = 3_600_000;
const trust = makeDomain('trust.example');
const resolver = stubResolver([trust]);
const auth = (user: { token: string }) => ({ Authorization: `Bearer ${user.token}` });

/**
 * The tables that refer to a person: a foreign key to users, a column naming a person by id (`*_by`, `user_id`,
 * `author_id`…), or a column holding an email address. Every one must be declared by a module's personal data
 * holder (export and closing) and have a row in docs/privacy.md.
 */
const PERSONAL_TABLES_SQL = `
  WITH fk AS (
    SELECT DISTINCT kcu.table_name AS t, kcu.column_name AS c
      FROM information_schema.table_constraints tc
      JOIN information_schema.key_column_usage kcu
        ON kcu.constraint_name = tc.constraint_name AND kcu.table_schema = tc.table_schema
      JOIN information_schema.constraint_column_usage ccu
        ON ccu.constraint_name = tc.constraint_name AND ccu.table_schema = tc.table_schema
     WHERE tc.constraint_type = 'FOREIGN KEY' AND ccu.table_name = 'users' AND tc.table_schema = 'public'),
  named AS (
    SELECT table_name AS t, column_name AS c FROM information_schema.columns
     WHERE table_schema = 'public'
       AND ((udt_name = 'uuid' AND (column_name ~ '_by$' OR column_name ~ '^(user|author|actor|reporter|sender|owner|member|voter|recipient)_id$'))
         OR (udt_name IN ('text', '_text', 'varchar') AND column_name ~ '(^|_)(email|recipient|address|from|to)$')))
  SELECT t AS "table", string_agg(DISTINCT c, ', ') AS columns FROM (SELECT * FROM fk UNION SELECT * FROM named) x
   GROUP BY t ORDER BY t`;

describe('personal data: export and account closing cover everything held', () => {
  let stack: TestStack;

  beforeAll(async () => {
    stack = await TestStack.start({
      env: { MAIL_IN_DOMAIN: DOMAIN, MAIL_IN_PORT: '0', MAIL_IN_WEBHOOK_SECRET: WEBHOOK_SECRET },
      mailInResolver: resolver,
    });
  });

  afterAll(async () => {
    await stack?.close();
  });

  // Before every module registered its holder, this found polls, poll_electorate, poll_ballots, resources,
  // resource_versions, resource_contributors, community_pages, community_page_revisions, inbound_messages,
  // mail_submissions, mail_outbox, mail_suppressions, audit_log, idempotency_keys, forum_threads, forum_reactions,
  // forum_flags, forum_post_mentions, forum_post_revisions, forum_reply_tokens, events and
  // event_reminder_deliveries with no exporter or closer covering them.
  it('finds an owning holder and a docs/privacy.md row for every table that refers to a person', async () => {
    const personal = await stack.query<{ table: string; columns: string }>(PERSONAL_TABLES_SQL);
    expect(personal.length).toBeGreaterThan(20);
    const holders = stack.api.get(PersonalDataRegistry).all();
    const declared = new Map(holders.flatMap((h) => Object.keys(h.tables).map((t) => [t, h.section] as const)));
    const uncovered = personal.filter((p) => !declared.has(p.table)).map((p) => `${p.table} (${p.columns})`);
    expect(uncovered).toEqual([]);
    // A holder may not declare a table that does not exist (a rename would silently drop it from the export).
    const existing = new Set(
      (
        await stack.query<{ t: string }>(
          `SELECT table_name AS t FROM information_schema.tables WHERE table_schema = 'public'`,
        )
      ).map((r) => r.t),
    );
    expect([...declared.keys()].filter((t) => !existing.has(t))).toEqual([]);

    const record = readFileSync(join(__dirname, '..', '..', 'docs', 'privacy.md'), 'utf8');
    const rows = new Set([...record.matchAll(/^\|\s*`([a-z_]+)`\s*\|/gm)].map((m) => m[1]));
    expect(personal.map((p) => p.table).filter((t) => !rows.has(t))).toEqual([]);
    // Every part of every holder says what it is.
    for (const holder of holders) {
      expect(holder.about.length).toBeGreaterThan(10);
      for (const part of holder.parts) expect(part.about.length).toBeGreaterThan(10);
    }
  });

  it('exports every item of a member active in every module, then closing leaves no row that names them', async () => {
    const tag = randomUUID().slice(0, 6);
    const community = await createCommunity(stack);
    const chair = await createMember(stack, community, 'co_chair', { displayName: 'Chris Chair' });
    const pat = await createMember(stack, community, 'co_chair', {
      displayName: `Patience Quillfeather ${tag}`,
      email: `patience.${tag}@trust.example`,
    });
    const [{ handle }] = await stack.query<{ handle: string }>('SELECT handle FROM users WHERE id = $1', [pat.id]);

    // Two sign-ins, from two browsers.
    for (const agent of ['Firefox on the ward PC', 'Safari on my phone']) {
      await stack
        .http()
        .post('/api/v1/auth/login')
        .set('User-Agent', agent)
        .send({ email: pat.email, password: TEST_PASSWORD })
        .expect(200);
    }

    // Forum: a thread of Pat's own, a reply in the co-chair's thread, and a mention that notifies Pat by email.
    const category = await stack
      .http()
      .post(`/api/v1/communities/${community.slug}/categories`)
      .set(auth(chair))
      .send({ name: 'General' })
      .expect(201);
    await stack
      .http()
      .post(`/api/v1/communities/${community.slug}/threads`)
      .set(auth(pat))
      .send({ categoryId: category.body.id, title: `Supervision ratios ${tag}`, body: `Pat's opening words ${tag}` })
      .expect(201);
    const theirs = await stack
      .http()
      .post(`/api/v1/communities/${community.slug}/threads`)
      .set(auth(chair))
      .send({ categoryId: category.body.id, title: 'Caseloads', body: 'What are yours?' })
      .expect(201);
    await stack
      .http()
      .post(`/api/v1/threads/${theirs.body.id}/posts`)
      .set(auth(pat))
      .send({ body: `Pat's reply ${tag}` })
      .expect(201);
    await stack
      .http()
      .post(`/api/v1/threads/${theirs.body.id}/posts`)
      .set(auth(chair))
      .send({ body: `@${handle} and your team?` })
      .expect(201);
    const mention = await eventually(
      async () => stack.smtp!.to(pat.email).find((m) => m.text.includes('Caseloads')),
      'the mention email to Pat',
      30_000,
    );
    const replyTo = (mention.headers.get('reply-to') as { value: Array<{ address: string }> }).value[0].address;

    // Events: an RSVP and a CPD entry of Pat's own.
    const start = new Date(stack.clock.now().getTime() + 72 * HOUR);
    const event = await stack
      .http()
      .post(`/api/v1/communities/${community.slug}/events`)
      .set(auth(chair))
      .send({
        title: `Peer supervision ${tag}`,
        startsAt: start.toISOString(),
        endsAt: new Date(start.getTime() + HOUR).toISOString(),
        locationKind: 'online',
      })
      .expect(201);
    await stack.http().put(`/api/v1/events/${event.body.id}/rsvp`).set(auth(pat)).send({ status: 'going' }).expect(200);
    await stack
      .http()
      .post('/api/v1/me/cpd/activities')
      .set(auth(pat))
      .send({
        kind: 'reading',
        activity: `NICE NG222 ${tag}`,
        date: new Date().toISOString().slice(0, 10),
        hours: 1,
        learningOutcomes: 'stepped care',
        reflection: `My reflection ${tag}`,
      })
      .expect(201);

    // Polls: a named answer (exported) and an anonymous one (never linkable, so not exported).
    const named = await createPoll(stack, community, chair, {
      title: `Named pulse ${tag}`,
      anonymous: false,
      questions: [{ kind: 'single_choice', prompt: 'Team size?', options: ['Small named', 'Large named'] }],
    });
    await openPoll(stack, named.id, chair);
    await stack
      .http()
      .post(`/api/v1/polls/${named.id}/responses`)
      .set(auth(pat))
      .send({ answers: [{ questionId: named.questions[0].id, optionIds: [named.questions[0].options[1].id] }] })
      .expect(201);
    const secret = await createPoll(stack, community, chair, {
      title: `Anonymous pulse ${tag}`,
      questions: [{ kind: 'single_choice', prompt: 'Feeling heard?', options: ['Kestrel-yes', 'Heron-no'] }],
    });
    await openPoll(stack, secret.id, chair);
    await stack
      .http()
      .post(`/api/v1/polls/${secret.id}/responses`)
      .set(auth(pat))
      .send({ answers: [{ questionId: secret.questions[0].id, optionIds: [secret.questions[0].options[1].id] }] })
      .expect(201);

    // Resources: a PDF Pat uploads. Pages: a page Pat writes.
    const pdf = await makePdf([`Terms of reference ${tag}`]);
    const resource = await upload(
      stack,
      `/api/v1/communities/${community.slug}/resources`,
      pat.token,
      { title: `Terms ${tag}`, description: 'Agreed in March' },
      { filename: 'terms.pdf', contentType: 'application/pdf', data: pdf },
    );
    expect(resource.status).toBe(201);
    await stack
      .http()
      .post(`/api/v1/communities/${community.slug}/pages`)
      .set(auth(pat))
      .send({ slug: `welcome-${tag}`, title: `Welcome ${tag}`, body: `Written by Pat ${tag}`, visibility: 'members' })
      .expect(201);

    // Inbound mail through the provider webhook: a share and a reply, both DKIM-signed by Pat's trust.
    const webhook = async (to: string, subject: string, text: string) => {
      const raw = await signed(
        await compose({
          from: `Patience <${pat.email}>`,
          to,
          subject,
          text,
          messageId: `<${randomUUID()}@trust.example>`,
        }),
        trust,
      );
      await postToWebhook(stack, raw, { from: pat.email, to }, WEBHOOK_SECRET).expect(200);
    };
    await webhook(`share+${community.slug}@${DOMAIN}`, `Shared by mail ${tag}`, `A shared note ${tag}`);
    await webhook(replyTo, 'Re: Caseloads', `Replied by mail ${tag}`);

    const res = await stack.http().get('/api/v1/me/export').set(auth(pat)).expect(200);
    expect(res.headers['content-disposition']).toMatch(
      /^attachment; filename="cophub-personal-data-\d{4}-\d{2}-\d{2}\.json"$/,
    );
    const data = JSON.parse(res.text);
    const items = (section: string, part: string) =>
      data.sections[section][part].items as Array<Record<string, unknown>>;
    expect(data.about).toMatch(/anonymous polls are not here/);
    expect(items('identity', 'profile')[0]).toMatchObject({ email: pat.email, displayName: pat.displayName, handle });
    expect(items('identity', 'memberships')).toEqual([
      expect.objectContaining({ slug: community.slug, role: 'co_chair' }),
    ]);
    expect(items('identity', 'signIns').map((s) => s.browser)).toEqual(
      expect.arrayContaining(['Firefox on the ward PC', 'Safari on my phone']),
    );
    expect(items('forum', 'threads')).toEqual([expect.objectContaining({ title: `Supervision ratios ${tag}` })]);
    expect(items('forum', 'posts').map((p) => p.markdown)).toEqual(
      expect.arrayContaining([`Pat's opening words ${tag}`, `Pat's reply ${tag}`]),
    );
    expect(items('forum', 'mentions')).toEqual([expect.objectContaining({ handle })]);
    expect(items('events', 'rsvps')).toEqual([
      expect.objectContaining({ title: `Peer supervision ${tag}`, status: 'going' }),
    ]);
    expect(items('events', 'cpdActivities')).toEqual([expect.objectContaining({ reflection: `My reflection ${tag}` })]);
    expect(items('polls', 'invitations')).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ title: `Named pulse ${tag}`, anonymous: false, answered: true }),
        expect.objectContaining({ title: `Anonymous pulse ${tag}`, anonymous: true, answered: true }),
      ]),
    );
    expect(items('polls', 'namedAnswers')).toEqual([
      expect.objectContaining({ poll: `Named pulse ${tag}`, option: 'Large named' }),
    ]);
    expect(res.text).not.toContain('Heron-no');
    expect(items('resources', 'resourcesAdded')).toEqual([expect.objectContaining({ title: `Terms ${tag}` })]);
    expect(items('resources', 'versionsUploaded')).toEqual([expect.objectContaining({ fileName: 'terms.pdf' })]);
    expect(items('pages', 'revisions')).toEqual([
      expect.objectContaining({ title: `Welcome ${tag}`, markdown: `Written by Pat ${tag}` }),
    ]);
    expect(
      items('inboundMail', 'messages')
        .map((m) => m.kind)
        .sort(),
    ).toEqual(['reply', 'submission']);
    expect(items('inboundMail', 'submissions')).toEqual([
      expect.objectContaining({ subject: `Shared by mail ${tag}` }),
    ]);
    expect(items('notifications', 'notifications').length).toBeGreaterThanOrEqual(1);
    expect(items('mail', 'emailsSent').some((m) => String(m.text).includes('Caseloads'))).toBe(true);
    // Nobody else's account appears in Pat's export.
    expect(res.text).not.toContain(chair.email);

    await stack.http().post('/api/v1/me/close').set(auth(pat)).send({ password: TEST_PASSWORD }).expect(204);

    // Every text-like column of every table, searched for what named Pat.
    const names = [pat.email, pat.displayName, handle, `patience.${tag}`];
    const columns = await stack.query<{ table: string; column: string }>(
      `SELECT c.table_name AS "table", c.column_name AS "column" FROM information_schema.columns c
         JOIN information_schema.tables t ON t.table_name = c.table_name AND t.table_schema = c.table_schema
        WHERE c.table_schema = 'public' AND t.table_type = 'BASE TABLE'
          AND c.udt_name IN ('text', 'varchar', 'bpchar', 'jsonb', 'json', '_text', 'citext')
          AND c.table_name NOT IN ('schema_migrations', 'typeorm_metadata')`,
    );
    const found: string[] = [];
    for (const { table, column } of columns) {
      for (const name of names) {
        const [{ n }] = await stack.query<{ n: number }>(
          `SELECT count(*)::int AS n FROM "${table}" WHERE "${column}"::text ILIKE '%' || $1 || '%'`,
          [name],
        );
        if (n) found.push(`${table}.${column} ~ ${name}`);
      }
    }
    // What the record (docs/privacy.md) says is kept: words other members wrote (the co-chair's mention of Pat's
    // handle in a post, its notification and email to others) are theirs and are not rewritten.
    const keptByRecord = found.filter(
      (f) => !/^(forum_posts|forum_post_revisions|notifications|mail_outbox)\./.test(f),
    );
    expect(keptByRecord).toEqual([]);
    for (const table of [
      'refresh_tokens',
      'user_tokens',
      'memberships',
      'cpd_activities',
      'notifications',
      'notification_preferences',
      'resource_contributors',
    ]) {
      const [{ n }] = await stack.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table} WHERE user_id = $1`, [
        pat.id,
      ]);
      expect(`${table}: ${n}`).toBe(`${table}: 0`);
    }
    const [{ raw }] = await stack.query<{ raw: number }>(
      'SELECT count(*)::int AS raw FROM inbound_messages WHERE user_id = $1 AND raw IS NOT NULL',
      [pat.id],
    );
    expect(raw).toBe(0);
    // Named answers stay in the results under "Former member"; the published tallies do not change.
    const [{ ballots }] = await stack.query<{ ballots: number }>(
      'SELECT count(*)::int AS ballots FROM poll_ballots WHERE poll_id = $1',
      [named.id],
    );
    expect(ballots).toBe(1);
  });

  it('deletes finished outbox mail, old audit rows and ended sign-ins past their retention, once per cluster', async () => {
    const member = await createMember(stack, await createCommunity(stack));
    const day = 86_400_000;
    const now = stack.clock.now();
    const ago = (days: number) => new Date(now.getTime() - days * day);
    const tag = randomUUID().slice(0, 8);
    // A pending row waits for a retry a day from now, so the stack's own mail worker leaves it alone (it would
    // otherwise try it, fail on the test template and mark it dead, which retention may then delete).
    const outbox = async (status: string, created: Date) =>
      (
        await stack.query<{ id: string }>(
          `INSERT INTO mail_outbox (recipient, template, params, status, dedupe_key, created_at, next_attempt_at)
           VALUES ($1, 'test', '{}', $2, $3, $4, $5) RETURNING id`,
          [
            member.email,
            status,
            `retention-${tag}-${status}-${created.getTime()}`,
            created,
            new Date(Date.now() + day),
          ],
        )
      )[0].id;
    const oldSent = await outbox('sent', ago(91));
    const oldPending = await outbox('pending', ago(91));
    const recentSent = await outbox('sent', ago(5));
    const [{ id: oldAudit }] = await stack.query<{ id: string }>(
      `INSERT INTO audit_log (actor_id, action, target_type, target_id, created_at) VALUES ($1, 'test.old', 'user', $2, $3) RETURNING id::text`,
      [member.id, member.id, ago(731)],
    );
    const [{ id: newAudit }] = await stack.query<{ id: string }>(
      `INSERT INTO audit_log (actor_id, action, target_type, target_id, created_at) VALUES ($1, 'test.new', 'user', $2, $3) RETURNING id::text`,
      [member.id, member.id, ago(10)],
    );
    const family = async (expires: Date, revoked: Date | null) => {
      const id = randomUUID();
      await stack.query(
        `INSERT INTO refresh_tokens (family_id, user_id, token_hash, expires_at, revoked_at, created_at)
         VALUES ($1, $2, $3, $4, $5, $6)`,
        [id, member.id, `hash-${randomUUID()}`, expires, revoked, ago(100)],
      );
      return id;
    };
    const ended = await family(ago(40), null);
    const revokedLongAgo = await family(new Date(now.getTime() + 10 * day), ago(31));
    const live = await family(new Date(now.getTime() + 10 * day), null);

    const runner = stack.worker!.get(RetentionRunner);
    // Another worker holding the round: this one skips it and deletes nothing.
    const other = await stack.pg.connect();
    try {
      await other.query('SELECT pg_advisory_lock($1)', [0x7265_7431]);
      expect(await runner.runOnce(now)).toBe(-1);
      const [{ n }] = await stack.query<{ n: number }>('SELECT count(*)::int AS n FROM mail_outbox WHERE id = $1', [
        oldSent,
      ]);
      expect(n).toBe(1);
      await other.query('SELECT pg_advisory_unlock($1)', [0x7265_7431]);
    } finally {
      other.release();
    }

    expect(await runner.runOnce(now)).toBeGreaterThanOrEqual(4);
    const left = async (sql: string, ids: string[]) =>
      (await stack.query<{ id: string }>(sql, [ids])).map((r) => r.id).sort();
    expect(
      await left('SELECT id::text FROM mail_outbox WHERE id = ANY($1::uuid[])', [oldSent, oldPending, recentSent]),
    ).toEqual([oldPending, recentSent].sort());
    expect(await left('SELECT id::text FROM audit_log WHERE id = ANY($1::bigint[])', [oldAudit, newAudit])).toEqual([
      newAudit,
    ]);
    expect(
      await left('SELECT DISTINCT family_id::text AS id FROM refresh_tokens WHERE family_id = ANY($1::uuid[])', [
        ended,
        revokedLongAgo,
        live,
      ]),
    ).toEqual([live]);
  });
});
