import { createCommunity, createMember, createUser, TestCommunity, TestStack, TestUser } from '@cophub/testing';
import { upload } from './resources.helpers';

type Caller = 'anonymous' | 'otherCommunity' | 'member' | 'moderator' | 'contributor' | 'coChair' | 'admin';
const CALLERS: Caller[] = ['anonymous', 'otherCommunity', 'member', 'moderator', 'contributor', 'coChair', 'admin'];

const READERS = (ok: number, outsider = 404): Record<Caller, number> => ({
  anonymous: 401,
  otherCommunity: outsider,
  member: ok,
  moderator: ok,
  contributor: ok,
  coChair: ok,
  admin: ok,
});

const CONTRIBUTORS = (ok: number, outsider = 404): Record<Caller, number> => ({
  ...READERS(ok, outsider),
  member: 403,
  moderator: 403,
});

interface Cell {
  name: string;
  run: (as: () => string, resourceId: string) => Promise<{ status: number }>;
  expect: Record<Caller, number>;
}

describe('resources authorisation matrix', () => {
  let stack: TestStack;
  let cop: TestCommunity;
  const users = {} as Record<Exclude<Caller, 'anonymous'>, TestUser>;

  beforeAll(async () => {
    stack = await TestStack.start({ smtp: false });
    cop = await createCommunity(stack);
    const other = await createCommunity(stack);
    users.otherCommunity = await createMember(stack, other, 'co_chair');
    users.member = await createMember(stack, cop, 'member');
    users.moderator = await createMember(stack, cop, 'moderator');
    users.coChair = await createMember(stack, cop, 'co_chair');
    users.contributor = await createMember(stack, cop, 'member');
    users.admin = await createUser(stack, { isAdmin: true });
    const granted = await stack
      .http()
      .put(`/api/v1/communities/${cop.slug}/resource-contributors/${users.contributor.id}`)
      .set('Authorization', `Bearer ${users.coChair.token}`);
    expect(granted.status).toBe(204);
  });

  afterAll(async () => {
    await stack.close();
  });

  /** A fresh resource per cell, so one cell's change cannot alter another's answer. */
  async function freshResource(): Promise<string> {
    const res = await upload(
      stack,
      `/api/v1/communities/${cop.slug}/resources`,
      users.coChair.token,
      { title: 'Guide' },
      {
        filename: 'guide.md',
        data: Buffer.from('# Guide\n\nSupervision guide for PWPs.'),
      },
    );
    expect(res.status).toBe(201);
    return res.body.id;
  }

  const http = () => stack.http();
  const auth = (token: string) => (token ? { Authorization: `Bearer ${token}` } : {});

  const CELLS: Cell[] = [
    {
      name: 'list resources',
      run: (as) => http().get(`/api/v1/communities/${cop.slug}/resources`).set(auth(as())),
      expect: READERS(200, 403),
    },
    {
      name: 'upload a resource',
      run: (as) =>
        upload(
          stack,
          `/api/v1/communities/${cop.slug}/resources`,
          as(),
          { title: 'Slides' },
          {
            filename: 'slides.txt',
            data: Buffer.from('Slides from the kickstarter event'),
          },
        ),
      expect: CONTRIBUTORS(201, 403),
    },
    {
      name: 'read a resource',
      run: (as, id) => http().get(`/api/v1/resources/${id}`).set(auth(as())),
      expect: READERS(200),
    },
    {
      name: 'download a version',
      run: (as, id) => http().get(`/api/v1/resources/${id}/versions/1/download`).set(auth(as())),
      expect: READERS(200),
    },
    {
      name: 'edit a resource',
      run: (as, id) => http().patch(`/api/v1/resources/${id}`).set(auth(as())).send({ title: 'Renamed' }),
      expect: CONTRIBUTORS(200),
    },
    {
      name: 'add a version',
      run: (as, id) =>
        upload(
          stack,
          `/api/v1/resources/${id}/versions`,
          as(),
          {},
          {
            filename: 'guide.md',
            data: Buffer.from('# Guide v2'),
          },
        ),
      expect: CONTRIBUTORS(201),
    },
    {
      name: 'archive a resource',
      run: (as, id) => http().post(`/api/v1/resources/${id}/archive`).set(auth(as())),
      expect: CONTRIBUTORS(200),
    },
    {
      name: 'search the community',
      run: (as) => http().get(`/api/v1/communities/${cop.slug}/search?q=guide`).set(auth(as())),
      expect: READERS(200, 403),
    },
    {
      name: 'grant contributor rights',
      run: (as) =>
        http().put(`/api/v1/communities/${cop.slug}/resource-contributors/${users.member.id}`).set(auth(as())),
      expect: { ...CONTRIBUTORS(204, 403), contributor: 403 },
    },
  ];

  for (const cell of CELLS) {
    it(`${cell.name}: ${CALLERS.map((c) => `${c} ${cell.expect[c]}`).join(', ')}`, async () => {
      const got: Record<string, number> = {};
      for (const caller of CALLERS) {
        const resourceId = await freshResource();
        const token = caller === 'anonymous' ? '' : users[caller].token;
        const res = await cell.run(() => token, resourceId);
        got[caller] = res.status;
        // Undo a grant so the next caller meets the same state.
        await stack.query('DELETE FROM resource_contributors WHERE user_id = $1', [users.member.id]);
      }
      expect(got).toEqual(cell.expect);
    });
  }

  it('a revoked contributor can no longer upload', async () => {
    const helper = await createMember(stack, cop, 'member');
    const coChair = { Authorization: `Bearer ${users.coChair.token}` };
    await http().put(`/api/v1/communities/${cop.slug}/resource-contributors/${helper.id}`).set(coChair).expect(204);
    const body = { filename: 'a.txt', data: Buffer.from('notes') };
    expect(
      (await upload(stack, `/api/v1/communities/${cop.slug}/resources`, helper.token, { title: 'A' }, body)).status,
    ).toBe(201);
    await http().delete(`/api/v1/communities/${cop.slug}/resource-contributors/${helper.id}`).set(coChair).expect(204);
    expect(
      (await upload(stack, `/api/v1/communities/${cop.slug}/resources`, helper.token, { title: 'B' }, body)).status,
    ).toBe(403);
    const outsider = await createUser(stack);
    const refused = await http()
      .put(`/api/v1/communities/${cop.slug}/resource-contributors/${outsider.id}`)
      .set(coChair);
    expect(refused.status).toBe(422);
    const [audit] = await stack.query<{ n: string }>(
      `SELECT count(*) AS n FROM audit_log WHERE target_id = $1 AND action LIKE 'resource.contributor_%'`,
      [helper.id],
    );
    expect(Number(audit.n)).toBe(2);
  });
});
