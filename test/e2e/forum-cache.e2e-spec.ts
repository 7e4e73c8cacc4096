import { randomUUID } from 'node:crypto';
import { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { ForumCache } from '@cophub/forum';
import { createCommunity, createMember, TEST_PASSWORD, TestCommunity, TestStack, TestUser } from '@cophub/testing';

const auth = (user: TestUser) => ({ Authorization: `Bearer ${user.token}` });

interface PostItem {
  id: string;
  postNumber: number;
  html: string | null;
  author: { displayName: string };
  reactions: Record<string, number>;
  myReactions: string[];
  bookmarked: boolean;
  hidden: boolean;
  deleted: boolean;
}

interface ThreadItem {
  id: string;
  postCount: number;
  pinned: boolean;
  locked: boolean;
  unreadCount: number;
  subscription: string | null;
}

/**
 * Thread pages and thread lists are cached per instance (and shared through Redis) by the thread's
 * version. Every kind of write made through instance B must show on the very next read through
 * instance A, whose cache already holds the page from before the write; an unchanged page is a 304.
 */
describe('forum pages cached across two API instances', () => {
  let stack: TestStack;
  let second: INestApplication;
  let b: () => request.Agent;
  let community: TestCommunity;
  let author: TestUser;
  let reader: TestUser;
  let moderator: TestUser;
  let categoryId: string;
  let otherCategoryId: string;
  let threadId: string;

  beforeAll(async () => {
    stack = await TestStack.start({ worker: false, smtp: false, env: { FORUM_CACHE_REDIS: 'true' } });
    const instance = await stack.startApi();
    second = instance.app;
    const secondUrl = instance.url;
    b = () => request(secondUrl) as unknown as request.Agent;
    community = await createCommunity(stack);
    const chair = await createMember(stack, community, 'co_chair');
    moderator = await createMember(stack, community, 'moderator');
    author = await createMember(stack, community, 'member', { displayName: 'Ada Author' });
    reader = await createMember(stack, community, 'member', { displayName: 'Rita Reader' });
    const category = (name: string) =>
      stack
        .http()
        .post(`/api/v1/communities/${community.slug}/categories`)
        .set(auth(chair))
        .send({ name })
        .expect(201)
        .then((res) => res.body.id as string);
    categoryId = await category('Cached');
    otherCategoryId = await category('Elsewhere');
    threadId = (
      await stack
        .http()
        .post(`/api/v1/communities/${community.slug}/threads`)
        .set(auth(author))
        .send({ categoryId, title: 'Cached thread', body: 'first post' })
        .expect(201)
    ).body.id;
  });

  afterAll(async () => {
    await stack?.close();
  });

  const pagePath = () => `/api/v1/threads/${threadId}/posts?limit=20`;
  const listPath = () => `/api/v1/communities/${community.slug}/threads?categoryId=${categoryId}`;

  /** Reads through A, warm (the page is read twice so A's cache surely holds it), and returns it with its ETag. */
  async function readOnA(user: TestUser, path = pagePath()) {
    await stack.http().get(path).set(auth(user)).expect(200);
    const res = await stack.http().get(path).set(auth(user)).expect(200);
    return { etag: res.headers.etag as string, body: res.body as { items: unknown[] } };
  }

  /** After a write through B: A must answer the old ETag with the new page, not a 304 or the cached one. */
  async function changedOnA(user: TestUser, before: string, path = pagePath()) {
    const res = await stack.http().get(path).set(auth(user)).set('If-None-Match', before).expect(200);
    expect(res.headers.etag).not.toBe(before);
    return res.body as { items: unknown[] };
  }

  const posts = (body: { items: unknown[] }) => body.items as PostItem[];
  const threads = (body: { items: unknown[] }) => body.items as ThreadItem[];

  it('serves a repeated page from the cache and answers 304 while nothing changed', async () => {
    const cache = stack.api.get(ForumCache);
    const { etag } = await readOnA(reader);
    expect(etag).toMatch(/^W\/".+"$/);
    const loads = cache.stats.loads;
    await stack.http().get(pagePath()).set(auth(reader)).expect(200);
    expect(cache.stats.loads).toBe(loads);
    const notModified = await stack.http().get(pagePath()).set(auth(reader)).set('If-None-Match', etag).expect(304);
    expect(notModified.text).toBe('');
    // The other instance finds the page in Redis rather than PostgreSQL.
    const shared = second.get(ForumCache).stats.sharedHits;
    await b().get(pagePath()).set(auth(reader)).expect(200);
    expect(second.get(ForumCache).stats.sharedHits).toBe(shared + 1);
    // Another member's page has its own ETag: it carries their own marks and permissions.
    const theirs = await stack.http().get(pagePath()).set(auth(author)).expect(200);
    expect(theirs.headers.etag).not.toBe(etag);
  });

  it('shows replies, edits, reactions, hiding and deleting made through B on the next read through A', async () => {
    let { etag } = await readOnA(reader);
    const reply = (
      await b().post(`/api/v1/threads/${threadId}/posts`).set(auth(author)).send({ body: 'second' }).expect(201)
    ).body as PostItem;
    let page = await changedOnA(reader, etag);
    expect(posts(page).map((p) => p.html)).toEqual(['<p>first post</p>', '<p>second</p>']);

    ({ etag } = await readOnA(reader));
    await b().patch(`/api/v1/posts/${reply.id}`).set(auth(author)).send({ body: 'second, edited' }).expect(200);
    page = await changedOnA(reader, etag);
    expect(posts(page)[1].html).toBe('<p>second, edited</p>');

    ({ etag } = await readOnA(reader));
    await b().put(`/api/v1/posts/${reply.id}/reactions/thanks`).set(auth(moderator)).expect(200);
    page = await changedOnA(reader, etag);
    expect(posts(page)[1]).toMatchObject({ reactions: { thanks: 1 }, myReactions: [] });

    ({ etag } = await readOnA(reader));
    await b().put(`/api/v1/posts/${reply.id}/hidden`).set(auth(moderator)).send({ hidden: true }).expect(200);
    page = await changedOnA(reader, etag);
    expect(posts(page)[1]).toMatchObject({ hidden: true, html: null });
    // Moderators read the same cached version and still see the content.
    const modPage = await stack.http().get(pagePath()).set(auth(moderator)).expect(200);
    expect(posts(modPage.body)[1]).toMatchObject({ hidden: true, html: '<p>second, edited</p>' });

    ({ etag } = await readOnA(reader));
    await b().put(`/api/v1/posts/${reply.id}/hidden`).set(auth(moderator)).send({ hidden: false }).expect(200);
    page = await changedOnA(reader, etag);
    expect(posts(page)[1]).toMatchObject({ hidden: false, html: '<p>second, edited</p>' });

    ({ etag } = await readOnA(reader));
    await b().delete(`/api/v1/posts/${reply.id}`).set(auth(author)).expect(204);
    page = await changedOnA(reader, etag);
    expect(posts(page)[1]).toMatchObject({ deleted: true, html: null });
  });

  it("changes only the reader's own page when they react or bookmark through B", async () => {
    const own = await readOnA(reader);
    const others = await readOnA(author);
    const firstPost = posts(own.body)[0].id;
    await b().put(`/api/v1/posts/${firstPost}/bookmark`).set(auth(reader)).expect(204);
    const page = await changedOnA(reader, own.etag);
    expect(posts(page)[0].bookmarked).toBe(true);
    // Bookmarks are private: the author's page is unchanged.
    await stack.http().get(pagePath()).set(auth(author)).set('If-None-Match', others.etag).expect(304);

    const { etag } = await readOnA(reader);
    await b().put(`/api/v1/posts/${firstPost}/reactions/like`).set(auth(reader)).expect(200);
    const reacted = await changedOnA(reader, etag);
    expect(posts(reacted)[0]).toMatchObject({ reactions: { like: 1 }, myReactions: ['like'] });
  });

  it("shows an author's new name, and 'Former member' once they close their account", async () => {
    const writer = await createMember(stack, community, 'member', { displayName: 'Wendy Writer' });
    await b().post(`/api/v1/threads/${threadId}/posts`).set(auth(writer)).send({ body: 'by Wendy' }).expect(201);
    let { etag, body } = await readOnA(reader);
    expect(posts(body).at(-1)!.author.displayName).toBe('Wendy Writer');

    await b().patch('/api/v1/me').set(auth(writer)).send({ displayName: 'Wendy Renamed' }).expect(200);
    let page = await changedOnA(reader, etag);
    expect(posts(page).at(-1)!.author.displayName).toBe('Wendy Renamed');

    ({ etag, body } = await readOnA(reader));
    await b().post('/api/v1/me/close').set(auth(writer)).send({ password: TEST_PASSWORD }).expect(204);
    page = await changedOnA(reader, etag);
    expect(posts(page).at(-1)!.author.displayName).toBe('Former member');
  });

  it('shows new replies, pins, locks, moves and read positions in thread lists on the next read through A', async () => {
    const first = await readOnA(reader, listPath());
    let { etag } = first;
    const body = first.body;
    const before = threads(body).find((t) => t.id === threadId)!;

    await b().post(`/api/v1/threads/${threadId}/posts`).set(auth(author)).send({ body: 'list me' }).expect(201);
    let list = await changedOnA(reader, etag, listPath());
    let after = threads(list).find((t) => t.id === threadId)!;
    expect(after.postCount).toBe(before.postCount + 1);
    expect(after.unreadCount).toBe(before.unreadCount + 1);

    ({ etag } = await readOnA(reader, listPath()));
    await b()
      .put(`/api/v1/threads/${threadId}/read`)
      .set(auth(reader))
      .send({ postNumber: after.postCount })
      .expect(200);
    list = await changedOnA(reader, etag, listPath());
    expect(threads(list).find((t) => t.id === threadId)!.unreadCount).toBe(0);

    ({ etag } = await readOnA(reader, listPath()));
    await b().put(`/api/v1/threads/${threadId}/pin`).set(auth(moderator)).send({ pinned: true }).expect(200);
    list = await changedOnA(reader, etag, listPath());
    expect(threads(list)[0]).toMatchObject({ id: threadId, pinned: true });

    ({ etag } = await readOnA(reader, listPath()));
    await b().put(`/api/v1/threads/${threadId}/lock`).set(auth(moderator)).send({ locked: true }).expect(200);
    list = await changedOnA(reader, etag, listPath());
    after = threads(list).find((t) => t.id === threadId)!;
    expect(after.locked).toBe(true);

    ({ etag } = await readOnA(reader, listPath()));
    await b()
      .post(`/api/v1/threads/${threadId}/move`)
      .set(auth(moderator))
      .send({ categoryId: otherCategoryId })
      .expect(200);
    list = await changedOnA(reader, etag, listPath());
    expect(threads(list).map((t) => t.id)).not.toContain(threadId);
    const moved = await stack
      .http()
      .get(`/api/v1/communities/${community.slug}/threads?categoryId=${otherCategoryId}`)
      .set(auth(reader))
      .expect(200);
    expect(threads(moved.body).map((t) => t.id)).toContain(threadId);
  });

  it('shows writes made through B in GET /threads/:id and the category list on the next read through A', async () => {
    const chair = await createMember(stack, community, 'co_chair');
    const outsider = await createMember(stack, await createCommunity(stack));
    const categoriesPath = `/api/v1/communities/${community.slug}/categories`;
    const categoryOnA = async (id: string) => {
      const res = await stack.http().get(categoriesPath).set(auth(reader)).expect(200);
      return (res.body as Array<{ id: string }>).find((c) => c.id === id);
    };
    const threadOnA = async (id: string) =>
      (await stack.http().get(`/api/v1/threads/${id}`).set(auth(reader)).expect(200)).body as Record<string, unknown>;

    const category = (await b().post(categoriesPath).set(auth(chair)).send({ name: 'Listed' }).expect(201)).body;
    expect(await categoryOnA(category.id)).toMatchObject({ name: 'Listed', threadCount: 0, unreadThreadCount: 0 });
    const thread = (
      await b()
        .post(`/api/v1/communities/${community.slug}/threads`)
        .set(auth(author))
        .send({ categoryId: category.id, title: 'Counted', body: 'one' })
        .expect(201)
    ).body;
    expect(await categoryOnA(category.id)).toMatchObject({ threadCount: 1, unreadThreadCount: 1 });
    expect(await threadOnA(thread.id)).toMatchObject({ postCount: 1, unreadCount: 1, subscription: null });
    expect(await threadOnA(thread.id)).toMatchObject({ postCount: 1, unreadCount: 1, subscription: null });

    await b().put(`/api/v1/threads/${thread.id}/read`).set(auth(reader)).send({ postNumber: 1 }).expect(200);
    expect(await threadOnA(thread.id)).toMatchObject({ unreadCount: 0, lastReadPostNumber: 1 });
    expect(await categoryOnA(category.id)).toMatchObject({ threadCount: 1, unreadThreadCount: 0 });

    await b().post(`/api/v1/threads/${thread.id}/posts`).set(auth(author)).send({ body: 'two' }).expect(201);
    expect(await threadOnA(thread.id)).toMatchObject({ postCount: 2, unreadCount: 1, firstUnreadPostNumber: 2 });
    expect(await categoryOnA(category.id)).toMatchObject({ threadCount: 1, unreadThreadCount: 1 });

    await b()
      .put(`/api/v1/threads/${thread.id}/subscription`)
      .set(auth(reader))
      .send({ level: 'watching' })
      .expect(200);
    await b().put(`/api/v1/threads/${thread.id}/lock`).set(auth(moderator)).send({ locked: true }).expect(200);
    expect(await threadOnA(thread.id)).toMatchObject({ locked: true, subscription: 'watching' });

    await b()
      .patch(`/api/v1/categories/${category.id}`)
      .set(auth(chair))
      .send({ name: 'Renamed list', postPolicy: 'co_chairs' })
      .expect(200);
    expect(await categoryOnA(category.id)).toMatchObject({ name: 'Renamed list', postPolicy: 'co_chairs' });
    // Bad input is refused and changes nothing.
    await b().patch(`/api/v1/categories/${category.id}`).set(auth(chair)).send({ name: '' }).expect(400);
    expect(await categoryOnA(category.id)).toMatchObject({ name: 'Renamed list', threadCount: 1 });

    await b()
      .post(`/api/v1/threads/${thread.id}/move`)
      .set(auth(moderator))
      .send({ categoryId: otherCategoryId })
      .expect(200);
    expect(await categoryOnA(category.id)).toMatchObject({ threadCount: 0, unreadThreadCount: 0 });
    expect(await threadOnA(thread.id)).toMatchObject({ categoryId: otherCategoryId });
    const elsewhere = (await categoryOnA(otherCategoryId)) as unknown as { threadCount: number };

    const first = (await stack.http().get(`/api/v1/threads/${thread.id}/posts`).set(auth(reader)).expect(200)).body;
    await b()
      .delete(`/api/v1/posts/${posts(first)[0].id}`)
      .set(auth(moderator))
      .expect(204);
    await stack.http().get(`/api/v1/threads/${thread.id}`).set(auth(reader)).expect(404);
    expect(await categoryOnA(otherCategoryId)).toMatchObject({ threadCount: elsewhere.threadCount - 1 });
    await stack.http().get(`/api/v1/threads/${thread.id}`).set(auth(outsider)).expect(403);
  });

  it('answers GET /threads/:id and the category list with an ETag: 304 while unchanged, 200 after a write through B', async () => {
    const categoriesPath = `/api/v1/communities/${community.slug}/categories`;
    const thread = (
      await b()
        .post(`/api/v1/communities/${community.slug}/threads`)
        .set(auth(author))
        .send({ categoryId: otherCategoryId, title: 'Tagged', body: 'one' })
        .expect(201)
    ).body;
    const threadPath = `/api/v1/threads/${thread.id}`;
    for (const path of [threadPath, categoriesPath]) {
      const first = await stack.http().get(path).set(auth(reader)).expect(200);
      const etag = first.headers.etag as string;
      expect(etag).toMatch(/^W\/"[\w-]+"$/);
      expect(first.headers['cache-control']).toBe('private, no-cache');
      const unchanged = await stack.http().get(path).set(auth(reader)).set('If-None-Match', etag).expect(304);
      expect(unchanged.text).toBe('');
      // The author's view of the thread and the lists differs (read state): their tag is their own.
      const theirs = await stack.http().get(path).set(auth(author)).set('If-None-Match', etag).expect(200);
      expect(theirs.headers.etag).not.toBe(etag);
    }

    const threadTag = (await stack.http().get(threadPath).set(auth(reader)).expect(200)).headers.etag as string;
    const listTag = (await stack.http().get(categoriesPath).set(auth(reader)).expect(200)).headers.etag as string;
    await b().post(`${threadPath}/posts`).set(auth(author)).send({ body: 'two' }).expect(201);
    const fresh = await stack.http().get(threadPath).set(auth(reader)).set('If-None-Match', threadTag).expect(200);
    expect(fresh.body).toMatchObject({ postCount: 2 });
    expect(fresh.headers.etag).not.toBe(threadTag);
    // A reply to a thread the reader has not read yet leaves every count of the list as it was: still 304.
    await stack.http().get(categoriesPath).set(auth(reader)).set('If-None-Match', listTag).expect(304);
    // A new thread through B changes the category's counts, so its tag.
    await b()
      .post(`/api/v1/communities/${community.slug}/threads`)
      .set(auth(author))
      .send({ categoryId: otherCategoryId, title: 'Another', body: 'three' })
      .expect(201);
    const list = await stack.http().get(categoriesPath).set(auth(reader)).set('If-None-Match', listTag).expect(200);
    expect(list.headers.etag).not.toBe(listTag);
    // Outsiders and unknown threads are refused before any tag is compared.
    await stack.http().get(`/api/v1/threads/${randomUUID()}`).set(auth(reader)).set('If-None-Match', '*').expect(404);
  });

  it("shows a member's own profile and role changes made through B on the next GET /me through A", async () => {
    const chair = await createMember(stack, community, 'co_chair');
    const member = await createMember(stack, community, 'member', { displayName: 'Mo Member' });
    const me = async () => (await stack.http().get('/api/v1/me').set(auth(member)).expect(200)).body;
    expect(await me()).toMatchObject({
      displayName: 'Mo Member',
      memberships: [{ slug: community.slug, role: 'member' }],
    });

    await b()
      .patch('/api/v1/me')
      .set(auth(member))
      .send({ displayName: 'Mo Renamed', organisation: 'North Trust' })
      .expect(200);
    expect(await me()).toMatchObject({ displayName: 'Mo Renamed', organisation: 'North Trust' });

    await b()
      .patch(`/api/v1/communities/${community.slug}/members/${member.id}/role`)
      .set(auth(chair))
      .send({ role: 'moderator' })
      .expect(200);
    expect((await me()).memberships).toEqual([expect.objectContaining({ slug: community.slug, role: 'moderator' })]);

    // A refused change leaves the profile as it was.
    await b().patch('/api/v1/me').set(auth(member)).send({ displayName: 'x' }).expect(400);
    expect((await me()).displayName).toBe('Mo Renamed');
  });

  it('still refuses outsiders and unknown threads before anything is cached or compared', async () => {
    const outsider = await createMember(stack, await createCommunity(stack));
    const { etag } = await readOnA(reader);
    await stack.http().get(pagePath()).set(auth(outsider)).set('If-None-Match', etag).expect(403);
    await stack.http().get('/api/v1/threads/00000000-0000-4000-8000-000000000000/posts').set(auth(reader)).expect(404);
  });
  it('answers readers of one page at the same moment each with their own view, and shows writes through B on the next read', async () => {
    const chair = await createMember(stack, community, 'co_chair');
    const plain = await createMember(stack, community, 'member', { displayName: 'Pat Plain' });
    const alsoPlain = await createMember(stack, community, 'member', { displayName: 'Quinn Plain' });
    const marker = await createMember(stack, community, 'member', { displayName: 'Mark Marker' });
    const outsider = await createMember(stack, await createCommunity(stack));
    const thread = (
      await b()
        .post(`/api/v1/communities/${community.slug}/threads`)
        .set(auth(author))
        .send({ categoryId, title: 'Read together', body: 'opening post' })
        .expect(201)
    ).body as { id: string };
    const path = `/api/v1/threads/${thread.id}/posts?limit=20`;
    const hidden = (
      await b().post(`/api/v1/threads/${thread.id}/posts`).set(auth(chair)).send({ body: 'to be hidden' }).expect(201)
    ).body as PostItem;
    await b().put(`/api/v1/posts/${hidden.id}/hidden`).set(auth(moderator)).send({ hidden: true }).expect(200);
    const firstPost = (await b().get(path).set(auth(plain)).expect(200)).body.items[0].id as string;
    await b().put(`/api/v1/posts/${firstPost}/bookmark`).set(auth(marker)).expect(204);

    /** Everyone reads through A at once, twice (the second round is served from A's warm cache). */
    const readTogether = async () => {
      const [plainRes, alsoPlainRes, markerRes, authorRes, moderatorRes, outsiderRes] = await Promise.all(
        [plain, alsoPlain, marker, author, moderator, outsider].map((user) => stack.http().get(path).set(auth(user))),
      );
      expect(outsiderRes.status).toBe(403);
      for (const res of [plainRes, alsoPlainRes, markerRes, authorRes, moderatorRes]) {
        expect(res.status).toBe(200);
        expect(res.headers['content-type']).toMatch(/^application\/json/);
      }
      // Readers with nothing of their own on the page get the very same bytes, but not the same ETag.
      expect(alsoPlainRes.text).toBe(plainRes.text);
      expect(alsoPlainRes.headers.etag).not.toBe(plainRes.headers.etag);
      const view = (res: { body: { items: unknown[] } }) =>
        posts(res.body) as Array<PostItem & { source: string | null }>;
      expect(view(plainRes)[0]).toMatchObject({ bookmarked: false, source: null });
      expect(view(plainRes)[1]).toMatchObject({ hidden: true, html: null });
      expect(view(markerRes)[0]).toMatchObject({ bookmarked: true });
      expect(view(authorRes)[0].source).not.toBeNull();
      expect(view(moderatorRes)[1]).toMatchObject({ hidden: true, html: '<p>to be hidden</p>' });
      return view(plainRes);
    };
    await readTogether();
    expect((await readTogether()).map((p) => p.html)).toEqual(['<p>opening post</p>', null]);

    await b().patch(`/api/v1/posts/${firstPost}`).set(auth(author)).send({ body: 'opening post, edited' }).expect(200);
    expect((await readTogether())[0].html).toBe('<p>opening post, edited</p>');
    await b().post(`/api/v1/threads/${thread.id}/posts`).set(auth(marker)).send({ body: 'a reply' }).expect(201);
    expect((await readTogether()).map((p) => p.html)).toEqual(['<p>opening post, edited</p>', null, '<p>a reply</p>']);
    // A suspension through B counts on A's next read: the suspended member is refused.
    await b().post(`/api/v1/communities/${community.slug}/members/${plain.id}/suspend`).set(auth(chair)).expect(200);
    await stack.http().get(path).set(auth(plain)).expect(403);
    expect((await stack.http().get(path).set(auth(alsoPlain)).expect(200)).body.items).toHaveLength(3);
  });
});
