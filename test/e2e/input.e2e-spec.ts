import { randomUUID } from 'node:crypto';
import { countRows, createCommunity, createMember, TestCommunity, TestStack, TestUser } from '@cophub/testing';
import { makePdf, multipart } from './resources.helpers';

const FORUM_TABLES = ['forum_threads', 'forum_posts', 'users'];

/** Input that no route accepts: refused with a clear 400, whatever the route, and nothing changes. */
describe('bad input on any route', () => {
  let stack: TestStack;
  let community: TestCommunity;
  let member: TestUser;
  let coChair: TestUser;
  let categoryId: string;
  let threadId: string;
  const auth = () => ({ Authorization: `Bearer ${member.token}` });

  beforeAll(async () => {
    stack = await TestStack.start({ worker: false, smtp: false });
    community = await createCommunity(stack);
    coChair = await createMember(stack, community, 'co_chair');
    member = await createMember(stack, community);
    categoryId = (
      await stack
        .http()
        .post(`/api/v1/communities/${community.slug}/categories`)
        .set({ Authorization: `Bearer ${coChair.token}` })
        .send({ name: 'General' })
        .expect(201)
    ).body.id;
    threadId = (
      await stack
        .http()
        .post(`/api/v1/communities/${community.slug}/threads`)
        .set(auth())
        .send({ categoryId, title: 'Supervision', body: 'First' })
        .expect(201)
    ).body.id;
  });

  afterAll(async () => {
    await stack?.close();
  });

  it('refuses NUL and other control characters in any string field, but keeps tabs and line breaks', async () => {
    const before = await countRows(stack, FORUM_TABLES);
    for (const [field, value] of [
      ['title', 'Bad\u0000title'],
      ['body', 'bell \u0007 here'],
      ['body', 'escape \u001b[31m red'],
      ['body', 'C1 \u0085 next line'],
    ]) {
      const refused = await stack
        .http()
        .post(`/api/v1/communities/${community.slug}/threads`)
        .set(auth())
        .send({ categoryId, title: 'A fine title', body: 'A fine body', [field]: value });
      expect(refused.status).toBe(400);
      expect(refused.body.message).toMatch(/control character \(U\+00[0-9A-F]{2}\)/);
    }
    // Registration (public, another module) is refused the same way, before anything else.
    const register = await stack
      .http()
      .post('/api/v1/auth/register')
      .send({ email: 'nul@example.org', password: 'Quiet-Harbour-Lamp-7', displayName: 'N\u0000L' });
    expect(register.status).toBe(400);
    expect(await countRows(stack, FORUM_TABLES)).toEqual(before);

    await stack
      .http()
      .post(`/api/v1/threads/${threadId}/posts`)
      .set(auth())
      .send({ body: 'Line one\r\nLine two\n\n\tindented' })
      .expect(201);
  });

  it('refuses control characters in the query string and the address', async () => {
    const search = await stack.http().get(`/api/v1/communities/${community.slug}/search?q=supervision%00`).set(auth());
    expect(search.status).toBe(400);
    expect(search.body.message).toMatch(/query string\.q contains a control character/);
    const address = await stack.http().get('/api/v1/communities/cop%00x/threads').set(auth());
    expect(address.status).toBe(400);
  });

  it('refuses JSON nested more than 32 levels deep, however deep', async () => {
    const nest = (depth: number) => '{"a":'.repeat(depth) + '1' + '}'.repeat(depth);
    // 20,000 levels still fit the body size limit: the parser's result is walked without recursion.
    for (const depth of [33, 40, 20_000]) {
      const refused = await stack
        .http()
        .post(`/api/v1/threads/${threadId}/posts`)
        .set(auth())
        .set('content-type', 'application/json')
        .send(`{"body":"x","extra":${nest(depth)}}`);
      expect(refused.status).toBe(400);
      expect(refused.body.message).toMatch(/nested too deeply/);
    }
    const arrays = await stack
      .http()
      .post('/api/v1/auth/login')
      .set('content-type', 'application/json')
      .send(`{"email":${'['.repeat(40)}1${']'.repeat(40)}}`);
    expect(arrays.status).toBe(400);
  });

  it('refuses integers beyond the database integer range in the address, the query and the body', async () => {
    const version = await stack
      .http()
      .get(`/api/v1/resources/${randomUUID()}/versions/99999999999/download`)
      .set(auth());
    expect(version.status).toBe(400);
    expect(version.body.message).toMatch(/out of range/);
    // In range, the same request is simply not found.
    expect((await stack.http().get(`/api/v1/resources/${randomUUID()}/versions/1/download`).set(auth())).status).toBe(
      404,
    );
    const after = await stack.http().get(`/api/v1/threads/${threadId}/posts?after=99999999999`).set(auth());
    expect(after.status).toBe(400);
    const [post] = await stack.query<{ id: string }>('SELECT id FROM forum_posts WHERE thread_id = $1 LIMIT 1', [
      threadId,
    ]);
    const edit = await stack
      .http()
      .patch(`/api/v1/posts/${post.id}`)
      .set(auth())
      .send({ body: 'edited', version: 99999999999 });
    expect(edit.status).toBe(400);
    expect(edit.body.message).toMatch(/version is out of range/);
  });

  it('refuses control characters in multipart fields before the file is stored', async () => {
    const pdf = await makePdf(['Minutes']);
    const before = await countRows(stack, ['resources', 'resource_versions']);
    const refusedFields: Array<Record<string, string>> = [
      { title: 'Minutes\u0000' },
      { title: 'Minutes', description: 'bell \u0007' },
    ];
    for (const fields of refusedFields) {
      const { body, type } = multipart(fields, { filename: 'minutes.pdf', contentType: 'application/pdf', data: pdf });
      const refused = await stack
        .http()
        .post(`/api/v1/communities/${community.slug}/resources`)
        .set({ Authorization: `Bearer ${coChair.token}` })
        .set('Content-Type', type)
        .send(body);
      expect(refused.status).toBe(400);
      expect(refused.body.message).toMatch(/the form\.(title|description) contains a control character/);
    }
    expect(await countRows(stack, ['resources', 'resource_versions'])).toEqual(before);
    // Line breaks in a description are fine.
    const { body, type } = multipart(
      { title: 'Minutes', description: 'Line one\r\nLine two' },
      { filename: 'minutes.pdf', contentType: 'application/pdf', data: pdf },
    );
    await stack
      .http()
      .post(`/api/v1/communities/${community.slug}/resources`)
      .set({ Authorization: `Bearer ${coChair.token}` })
      .set('Content-Type', type)
      .send(body)
      .expect(201);
  });

  it('refuses out-of-range integers with 400 before asking who the caller is allowed to be', async () => {
    const other = await createCommunity(stack);
    const outsider = await createMember(stack, other);
    const before = await stack.query('SELECT name, breakdown_threshold FROM communities WHERE id = $1', [community.id]);
    // A member sending a co-chair's change, with a number no field takes: 400 (not 403), nothing changes.
    for (const body of [{ breakdownThreshold: 99_999_999_999 }, { name: 2 ** 63 }]) {
      const refused = await stack.http().patch(`/api/v1/communities/${community.slug}`).set(auth()).send(body);
      expect(refused.status).toBe(400);
      expect(refused.body.message).toMatch(/out of range/);
    }
    expect(
      await stack.query('SELECT name, breakdown_threshold FROM communities WHERE id = $1', [community.id]),
    ).toEqual(before);
    // Someone from another community asking for a page size or version no database integer holds.
    const list = await stack
      .http()
      .get(`/api/v1/communities/${community.slug}/members?limit=99999999999`)
      .set({ Authorization: `Bearer ${outsider.token}` });
    expect(list.status).toBe(400);
    expect(list.body.message).toMatch(/limit/);
    expect(
      (
        await stack
          .http()
          .get(`/api/v1/communities/${community.slug}/members?limit=10`)
          .set({ Authorization: `Bearer ${outsider.token}` })
      ).status,
    ).toBe(403);
    // A long number is still fine where text is expected.
    await stack.http().get(`/api/v1/communities/${community.slug}/search?q=12345678901`).set(auth()).expect(200);
  });
});
