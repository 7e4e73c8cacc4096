import {
  addMembership,
  createCommunity,
  createMember,
  createUser,
  TestCommunity,
  TestStack,
  TestUser,
} from '@cophub/testing';

type Caller = 'anonymous' | 'unverified' | 'pending' | 'otherCommunity' | 'member' | 'moderator' | 'coChair' | 'admin';
const CALLERS: Caller[] = [
  'anonymous',
  'unverified',
  'pending',
  'otherCommunity',
  'member',
  'moderator',
  'coChair',
  'admin',
];

interface Endpoint {
  name: string;
  method: 'get' | 'post' | 'patch' | 'delete';
  path: (c: TestCommunity, target: TestUser, member: TestUser) => string;
  body?: (target: TestUser) => object;
  /** Expected status per caller. */
  expect: Record<Caller, number>;
}

const MEMBERS_ONLY: Record<Caller, number> = {
  anonymous: 401,
  unverified: 403,
  pending: 403,
  otherCommunity: 403,
  member: 200,
  moderator: 200,
  coChair: 200,
  admin: 200,
};

const CO_CHAIRS_ONLY = (ok: number): Record<Caller, number> => ({
  anonymous: 401,
  unverified: 403,
  pending: 403,
  otherCommunity: 403,
  member: 403,
  moderator: 403,
  coChair: ok,
  admin: ok,
});

/**
 * Every community endpoint against every kind of caller. Mutating endpoints run against a fresh
 * community and target per cell, so one cell's success cannot change another's answer.
 */
const ENDPOINTS: Endpoint[] = [
  {
    name: 'community summary',
    method: 'get',
    path: (c) => `/api/v1/communities/${c.slug}`,
    expect: { ...MEMBERS_ONLY, unverified: 200, pending: 200, otherCommunity: 200 },
  },
  { name: 'my standing', method: 'get', path: (c) => `/api/v1/communities/${c.slug}/me`, expect: MEMBERS_ONLY },
  { name: 'member list', method: 'get', path: (c) => `/api/v1/communities/${c.slug}/members`, expect: MEMBERS_ONLY },
  {
    name: 'pending requests',
    method: 'get',
    path: (c) => `/api/v1/communities/${c.slug}/members?status=pending`,
    expect: CO_CHAIRS_ONLY(200),
  },
  { name: 'audit log', method: 'get', path: (c) => `/api/v1/communities/${c.slug}/audit`, expect: CO_CHAIRS_ONLY(200) },
  {
    name: 'edit settings',
    method: 'patch',
    path: (c) => `/api/v1/communities/${c.slug}`,
    body: () => ({ description: 'Updated' }),
    expect: CO_CHAIRS_ONLY(200),
  },
  {
    name: 'approve a request',
    method: 'post',
    path: (c, t) => `/api/v1/communities/${c.slug}/members/${t.id}/approve`,
    expect: CO_CHAIRS_ONLY(200),
  },
  {
    name: 'reject a request',
    method: 'post',
    path: (c, t) => `/api/v1/communities/${c.slug}/members/${t.id}/reject`,
    expect: CO_CHAIRS_ONLY(200),
  },
  {
    name: 'change a role',
    method: 'patch',
    path: (c, _t, m) => `/api/v1/communities/${c.slug}/members/${m.id}/role`,
    body: () => ({ role: 'moderator' }),
    expect: CO_CHAIRS_ONLY(200),
  },
  {
    name: 'add a member directly',
    method: 'post',
    path: (c) => `/api/v1/communities/${c.slug}/members`,
    body: (t) => ({ email: t.email }),
    expect: CO_CHAIRS_ONLY(201),
  },
  {
    name: 'ask to join',
    method: 'post',
    path: (c) => `/api/v1/communities/${c.slug}/join`,
    expect: {
      anonymous: 401,
      unverified: 403,
      pending: 409,
      otherCommunity: 201,
      member: 409,
      moderator: 409,
      coChair: 409,
      admin: 201,
    },
  },
  {
    name: 'create a community',
    method: 'post',
    path: () => '/api/v1/communities',
    body: () => ({ slug: `new-${Math.random().toString(36).slice(2, 8)}`, name: 'New CoP', region: 'london' }),
    expect: {
      anonymous: 401,
      unverified: 403,
      pending: 403,
      otherCommunity: 403,
      member: 403,
      moderator: 403,
      coChair: 403,
      admin: 201,
    },
  },
];

describe('community authorisation matrix', () => {
  let stack: TestStack;

  beforeAll(async () => {
    stack = await TestStack.start({ worker: false, smtp: false });
  });

  afterAll(async () => {
    await stack?.close();
  });

  /** A community with one caller of each kind, and a pending applicant to act on. */
  async function world() {
    const community = await createCommunity(stack);
    const other = await createCommunity(stack);
    const target = await createUser(stack);
    await addMembership(stack, community, target, { status: 'pending' });
    const pending = await createUser(stack);
    await addMembership(stack, community, pending, { status: 'pending' });
    const callers: Record<Caller, TestUser | null> = {
      anonymous: null,
      unverified: await createUser(stack, { verified: false }),
      pending,
      otherCommunity: await createMember(stack, other, 'co_chair'),
      member: await createMember(stack, community, 'member'),
      moderator: await createMember(stack, community, 'moderator'),
      coChair: await createMember(stack, community, 'co_chair'),
      admin: await createUser(stack, { isAdmin: true }),
    };
    const approvedTarget = await createMember(stack, community, 'member');
    return { community, target, approvedTarget, callers };
  }

  for (const endpoint of ENDPOINTS) {
    it(`${endpoint.name}: each caller gets the right answer`, async () => {
      const results: Record<string, number> = {};
      for (const caller of CALLERS) {
        const { community, target, approvedTarget, callers } = await world();
        const user = callers[caller];
        let call = stack.http()[endpoint.method](endpoint.path(community, target, approvedTarget));
        if (user) call = call.set('Authorization', `Bearer ${user.token}`);
        const response = await (endpoint.body ? call.send(endpoint.body(target)) : call);
        results[caller] = response.status;
        if (response.status >= 400) {
          expect(response.body).toEqual(
            expect.objectContaining({
              statusCode: response.status,
              error: expect.any(String),
              message: expect.any(String),
            }),
          );
        }
      }
      expect(results).toEqual(endpoint.expect);
    });
  }

  it('a member of one community cannot read or change another community through its slug', async () => {
    const a = await createCommunity(stack);
    const b = await createCommunity(stack);
    const coChairOfA = await createMember(stack, a, 'co_chair');
    const applicantToB = await createUser(stack);
    await addMembership(stack, b, applicantToB, { status: 'pending' });
    const auth = { Authorization: `Bearer ${coChairOfA.token}` };
    await stack.http().get(`/api/v1/communities/${b.slug}/members`).set(auth).expect(403);
    await stack.http().post(`/api/v1/communities/${b.slug}/members/${applicantToB.id}/approve`).set(auth).expect(403);
    const [row] = await stack.query<{ status: string }>(
      'SELECT status FROM memberships WHERE community_id = $1 AND user_id = $2',
      [b.id, applicantToB.id],
    );
    expect(row.status).toBe('pending');
  });

  it('a suspended member is refused until reinstated', async () => {
    const community = await createCommunity(stack);
    const coChair = await createMember(stack, community, 'co_chair');
    const member = await createMember(stack, community);
    const asCoChair = { Authorization: `Bearer ${coChair.token}` };
    const asMember = { Authorization: `Bearer ${member.token}` };
    await stack.http().get(`/api/v1/communities/${community.slug}/members`).set(asMember).expect(200);
    await stack
      .http()
      .post(`/api/v1/communities/${community.slug}/members/${member.id}/suspend`)
      .set(asCoChair)
      .expect(200);
    const refused = await stack.http().get(`/api/v1/communities/${community.slug}/members`).set(asMember).expect(403);
    expect(refused.body.message).toMatch(/suspended/);
    await stack.http().post(`/api/v1/communities/${community.slug}/join`).set(asMember).expect(403);
    await stack
      .http()
      .post(`/api/v1/communities/${community.slug}/members/${member.id}/reinstate`)
      .set(asCoChair)
      .expect(200);
    await stack.http().get(`/api/v1/communities/${community.slug}/members`).set(asMember).expect(200);
    const audit = await stack.query<{ action: string }>(
      'SELECT action FROM audit_log WHERE community_id = $1 AND target_id = $2 ORDER BY id',
      [community.id, member.id],
    );
    expect(audit.map((a) => a.action)).toEqual(['membership.suspended', 'membership.reinstated']);
  });

  it('keeps at least one co-chair: the last one cannot step down, leave or be suspended', async () => {
    const community = await createCommunity(stack);
    const coChair = await createMember(stack, community, 'co_chair');
    const admin = await createUser(stack, { isAdmin: true });
    const auth = { Authorization: `Bearer ${coChair.token}` };
    const demote = await stack
      .http()
      .patch(`/api/v1/communities/${community.slug}/members/${coChair.id}/role`)
      .set(auth)
      .send({ role: 'member' })
      .expect(409);
    expect(demote.body.message).toMatch(/at least one co-chair/);
    await stack.http().delete(`/api/v1/communities/${community.slug}/membership`).set(auth).expect(409);
    await stack
      .http()
      .post(`/api/v1/communities/${community.slug}/members/${coChair.id}/suspend`)
      .set({ Authorization: `Bearer ${admin.token}` })
      .expect(409);
    const [row] = await stack.query<{ role: string; status: string }>(
      'SELECT role, status FROM memberships WHERE community_id = $1 AND user_id = $2',
      [community.id, coChair.id],
    );
    expect(row).toEqual({ role: 'co_chair', status: 'approved' });
  });

  it('two co-chairs demoting each other at the same moment leave one co-chair, not none', async () => {
    const community = await createCommunity(stack);
    const first = await createMember(stack, community, 'co_chair');
    const second = await createMember(stack, community, 'co_chair');
    const results = await Promise.all([
      stack
        .http()
        .patch(`/api/v1/communities/${community.slug}/members/${second.id}/role`)
        .set({ Authorization: `Bearer ${first.token}` })
        .send({ role: 'member' }),
      stack
        .http()
        .patch(`/api/v1/communities/${community.slug}/members/${first.id}/role`)
        .set({ Authorization: `Bearer ${second.token}` })
        .send({ role: 'member' }),
    ]);
    const [{ n }] = await stack.query<{ n: string }>(
      "SELECT count(*) AS n FROM memberships WHERE community_id = $1 AND role = 'co_chair'",
      [community.id],
    );
    expect(Number(n)).toBe(1);
    // The loser is refused either by the lock (409) or, if it arrives later, because it is no longer a co-chair (403).
    const statuses = results.map((r) => r.status).sort();
    expect(statuses[0]).toBe(200);
    expect([403, 409]).toContain(statuses[1]);
  });

  it('auto-approves members whose email is at a configured domain', async () => {
    const community = await createCommunity(stack, { autoApproveDomains: ['nhs.net'] });
    const nhs = await createUser(stack, { email: `sam.${Date.now()}@nhs.net` });
    const sub = await createUser(stack, { email: `kim.${Date.now()}@mft.nhs.net` });
    const other = await createUser(stack, { email: `lee.${Date.now()}@gmail.com` });
    const join = (u: TestUser) =>
      stack
        .http()
        .post(`/api/v1/communities/${community.slug}/join`)
        .set({ Authorization: `Bearer ${u.token}` })
        .expect(201);
    expect((await join(nhs)).body.status).toBe('approved');
    expect((await join(sub)).body.status).toBe('approved');
    expect((await join(other)).body.status).toBe('pending');
    const audit = await stack.query<{ action: string }>(
      'SELECT action FROM audit_log WHERE community_id = $1 ORDER BY id',
      [community.id],
    );
    expect(audit.map((a) => a.action)).toEqual([
      'membership.auto_approved',
      'membership.auto_approved',
      'membership.requested',
    ]);
  });
});
