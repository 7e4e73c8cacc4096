import {
  addMembership,
  countRows,
  createCommunity,
  createMember,
  createUser,
  TestCommunity,
  TestStack,
  TestUser,
} from '@cophub/testing';

type Caller = 'anonymous' | 'visitor' | 'pending' | 'member' | 'moderator' | 'coChair' | 'admin';
const CALLERS: Caller[] = ['anonymous', 'visitor', 'pending', 'member', 'moderator', 'coChair', 'admin'];

/** Members-only reads: 401 signed out, 403 for signed-in outsiders (including a pending request). */
const MEMBERS_READ: Record<Caller, number> = {
  anonymous: 401,
  visitor: 403,
  pending: 403,
  member: 200,
  moderator: 200,
  coChair: 200,
  admin: 200,
};
const PUBLIC_READ: Record<Caller, number> = { ...MEMBERS_READ, anonymous: 200, visitor: 200, pending: 200 };
const CO_CHAIRS = (ok: number): Record<Caller, number> => ({
  anonymous: 401,
  visitor: 403,
  pending: 403,
  member: 403,
  moderator: 403,
  coChair: ok,
  admin: ok,
});

describe('community pages', () => {
  let stack: TestStack;
  let cop: TestCommunity;
  const users = {} as Record<Exclude<Caller, 'anonymous'>, TestUser>;
  const base = () => `/api/v1/communities/${cop.slug}/pages`;

  beforeAll(async () => {
    stack = await TestStack.start({ smtp: false });
    cop = await createCommunity(stack);
    const other = await createCommunity(stack);
    users.visitor = await createMember(stack, other, 'co_chair');
    users.pending = await createUser(stack);
    await addMembership(stack, cop, users.pending, { status: 'pending' });
    users.member = await createMember(stack, cop, 'member');
    users.moderator = await createMember(stack, cop, 'moderator');
    users.coChair = await createMember(stack, cop, 'co_chair', { displayName: 'Cath Cochair' });
    users.admin = await createUser(stack, { isAdmin: true });
  });

  afterAll(async () => {
    await stack.close();
  });

  function as(caller: Caller, request: import('supertest').Test) {
    return caller === 'anonymous' ? request : request.set('Authorization', `Bearer ${users[caller].token}`);
  }

  async function createPage(slug: string, visibility: 'members' | 'public', body = 'Line one\nLine two') {
    const res = await as('coChair', stack.http().post(base())).send({ slug, title: `Page ${slug}`, body, visibility });
    expect(res.status).toBe(201);
    return res.body as { slug: string; revision: number };
  }

  it('keeps every revision and shows what changed between two as added and removed lines', async () => {
    await createPage('terms-of-reference', 'members', '# Terms\nQuorum: 5 members\nMeet monthly');
    const edited = await as('coChair', stack.http().put(`${base()}/terms-of-reference`)).send({
      body: '# Terms\nQuorum: 4 members\nMeet monthly',
      baseRevision: 1,
      note: 'Quorum lowered',
    });
    expect(edited.status).toBe(200);
    expect(edited.body.revision).toBe(2);
    expect(edited.body.bodyHtml).toContain('Quorum: 4 members');

    const history = await as('member', stack.http().get(`${base()}/terms-of-reference/revisions`));
    expect(history.body.map((r: { revision: number }) => r.revision)).toEqual([2, 1]);
    expect(history.body[0]).toMatchObject({ editorName: 'Cath Cochair', note: 'Quorum lowered' });

    const diff = await as('member', stack.http().get(`${base()}/terms-of-reference/diff`).query({ from: 1, to: 2 }));
    expect(diff.status).toBe(200);
    expect(diff.body.lines).toEqual([
      { kind: 'same', text: '# Terms' },
      { kind: 'removed', text: 'Quorum: 5 members' },
      { kind: 'added', text: 'Quorum: 4 members' },
      { kind: 'same', text: 'Meet monthly' },
    ]);
  });

  it('refuses a save over a newer revision (409) and changes nothing', async () => {
    await createPage('about', 'public');
    await as('coChair', stack.http().put(`${base()}/about`))
      .send({ body: 'First edit', baseRevision: 1 })
      .expect(200);
    const before = await countRows(stack, ['community_page_revisions']);
    const stale = await as('admin', stack.http().put(`${base()}/about`)).send({ body: 'Lost edit', baseRevision: 1 });
    expect(stale.status).toBe(409);
    expect(await countRows(stack, ['community_page_revisions'])).toEqual(before);
    const page = await stack.http().get(`${base()}/about`);
    expect(page.body.body).toBe('First edit');
  });

  it('answers bad input with 400 and a taken address with 409', async () => {
    const bad = await as('coChair', stack.http().post(base())).send({ slug: 'Not A Slug', title: '', body: 'x' });
    expect(bad.status).toBe(400);
    await createPage('kickstarter-notes', 'members');
    const taken = await as('coChair', stack.http().post(base())).send({
      slug: 'kickstarter-notes',
      title: 'Again',
      body: 'x',
    });
    expect(taken.status).toBe(409);
    const unknownField = await as('coChair', stack.http().put(`${base()}/kickstarter-notes`)).send({
      baseRevision: 1,
      html: '<b>',
    });
    expect(unknownField.status).toBe(400);
  });

  it('sanitises the Markdown it renders', async () => {
    const page = await as('coChair', stack.http().post(base())).send({
      slug: 'sanitised',
      title: 'Sanitised',
      body: 'Hello <script>alert(1)</script> [x](javascript:alert(1))',
    });
    expect(page.body.bodyHtml).not.toContain('<script');
    expect(page.body.bodyHtml).not.toContain('javascript:');
  });

  it('lists public pages to outsiders and every page to members', async () => {
    await createPage('open-letter', 'public');
    const outsider = await stack.http().get(base());
    expect(outsider.status).toBe(200);
    const slugs = outsider.body.items.map((p: { slug: string }) => p.slug);
    expect(slugs).toContain('open-letter');
    expect(slugs).not.toContain('terms-of-reference');
    const member = await as('member', stack.http().get(base()));
    expect(member.body.items.map((p: { slug: string }) => p.slug)).toContain('terms-of-reference');
    expect(member.body.canEdit).toBe(false);
  });

  it('is found by the one search', async () => {
    await createPage('supervision-guide', 'members', 'Reflective supervision happens fortnightly');
    const res = await as(
      'member',
      stack.http().get(`/api/v1/communities/${cop.slug}/search`).query({ q: 'fortnightly' }),
    );
    expect(res.status).toBe(200);
    const hit = res.body.items.find((h: { kind: string }) => h.kind === 'page');
    expect(hit).toMatchObject({ title: 'Page supervision-guide', url: `/c/${cop.slug}/pages/supervision-guide` });
    expect(hit.snippet).toContain('<mark>fortnightly</mark>');
  });

  // Fails on the previous code, where history checked only the page's current visibility: once the page
  // below was made public, outsiders read the members-only draft's title and body through `revisions`
  // and `diff` (six leaks).
  it('shows outsiders only the revisions that were public when saved, after a page is made public', async () => {
    await createPage('consultation-response', 'members', 'DRAFT: we oppose the banding change\nShared line');
    const draftTitle = 'Page consultation-response';
    await as('coChair', stack.http().put(`${base()}/consultation-response`))
      .send({ body: 'DRAFT two: still confidential\nShared line', baseRevision: 1, note: 'Private note' })
      .expect(200);
    await as('coChair', stack.http().put(`${base()}/consultation-response`))
      .send({
        title: 'Our response',
        body: 'Final: we support the change\nShared line',
        visibility: 'public',
        baseRevision: 2,
        note: 'Published',
      })
      .expect(200);
    await as('coChair', stack.http().put(`${base()}/consultation-response`))
      .send({ body: 'Final: we support the change\nShared line\nAdded later', baseRevision: 3 })
      .expect(200);

    for (const caller of ['anonymous', 'visitor', 'pending'] as const) {
      const history = await as(caller, stack.http().get(`${base()}/consultation-response/revisions`));
      expect(history.status).toBe(200);
      expect(history.body.map((r: { revision: number }) => r.revision)).toEqual([4, 3, 2, 1]);
      expect(history.body.slice(0, 2)).toMatchObject([
        { revision: 4, title: 'Our response', visibility: 'public', editorName: 'Cath Cochair', redacted: false },
        { revision: 3, title: 'Our response', visibility: 'public', note: 'Published', redacted: false },
      ]);
      for (const draft of history.body.slice(2)) {
        expect(draft).toMatchObject({
          visibility: 'members',
          title: null,
          editorName: null,
          note: null,
          redacted: true,
        });
      }
      const text = JSON.stringify(history.body);
      expect(text).not.toContain(draftTitle);
      expect(text).not.toContain('Private note');

      // Public against public is allowed; any members-only side is refused, in either position.
      const publicDiff = await as(
        caller,
        stack.http().get(`${base()}/consultation-response/diff`).query({ from: 3, to: 4 }),
      );
      expect(publicDiff.status).toBe(200);
      expect(publicDiff.body.lines).toContainEqual({ kind: 'added', text: 'Added later' });
      const refused = caller === 'anonymous' ? 401 : 403;
      for (const [from, to] of [
        [1, 2],
        [2, 3],
        [3, 2],
        [1, 4],
      ]) {
        const res = await as(caller, stack.http().get(`${base()}/consultation-response/diff`).query({ from, to }));
        expect({ caller, from, to, status: res.status }).toEqual({ caller, from, to, status: refused });
        expect(JSON.stringify(res.body)).not.toMatch(/DRAFT|Page consultation-response/);
      }
    }

    // Members still see and compare the whole history.
    const history = await as('member', stack.http().get(`${base()}/consultation-response/revisions`));
    expect(history.body[3]).toMatchObject({
      revision: 1,
      title: draftTitle,
      editorName: 'Cath Cochair',
      redacted: false,
    });
    const memberDiff = await as(
      'member',
      stack.http().get(`${base()}/consultation-response/diff`).query({ from: 1, to: 2 }),
    );
    expect(memberDiff.status).toBe(200);
    expect(memberDiff.body.lines).toContainEqual({ kind: 'removed', text: 'DRAFT: we oppose the banding change' });
  });

  describe('authorisation matrix', () => {
    let n = 0;
    const cells: Array<{
      name: string;
      expect: Record<Caller, number>;
      run: (caller: Caller) => Promise<{ status: number }>;
    }> = [
      {
        name: 'read a members-only page',
        expect: MEMBERS_READ,
        run: async (caller) => {
          const page = await createPage(`members-${++n}`, 'members');
          return as(caller, stack.http().get(`${base()}/${page.slug}`));
        },
      },
      {
        name: 'read the history of a members-only page',
        expect: MEMBERS_READ,
        run: async (caller) => {
          const page = await createPage(`history-${++n}`, 'members');
          return as(caller, stack.http().get(`${base()}/${page.slug}/revisions`));
        },
      },
      {
        name: 'read a public page',
        expect: PUBLIC_READ,
        run: async (caller) => {
          const page = await createPage(`public-${++n}`, 'public');
          return as(caller, stack.http().get(`${base()}/${page.slug}`));
        },
      },
      {
        name: 'ask for a page that does not exist (outsiders cannot tell it from members-only)',
        expect: { ...MEMBERS_READ, member: 404, moderator: 404, coChair: 404, admin: 404 },
        run: (caller) => as(caller, stack.http().get(`${base()}/no-such-page`)),
      },
      {
        name: 'create a page',
        expect: CO_CHAIRS(201),
        run: (caller) =>
          as(caller, stack.http().post(base())).send({ slug: `created-${++n}`, title: 'New', body: 'Text' }),
      },
      {
        name: 'edit a public page',
        expect: CO_CHAIRS(200),
        run: async (caller) => {
          const page = await createPage(`edit-${++n}`, 'public');
          return as(caller, stack.http().put(`${base()}/${page.slug}`)).send({ body: 'Changed', baseRevision: 1 });
        },
      },
    ];

    for (const cell of cells) {
      for (const caller of CALLERS) {
        it(`${cell.name}: ${caller} gets ${cell.expect[caller]}`, async () => {
          const res = await cell.run(caller);
          expect(res.status).toBe(cell.expect[caller]);
        });
      }
    }

    it('a refused edit changes nothing', async () => {
      const page = await createPage(`untouched-${++n}`, 'public', 'Original');
      await as('member', stack.http().put(`${base()}/${page.slug}`))
        .send({ body: 'Vandalised', baseRevision: 1 })
        .expect(403);
      const after = await stack.http().get(`${base()}/${page.slug}`);
      expect(after.body).toMatchObject({ body: 'Original', revision: 1 });
    });
  });
});
