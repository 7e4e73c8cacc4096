import {
  countRows,
  createCommunity,
  createMember,
  eventually,
  TestCommunity,
  TestStack,
  TestUser,
} from '@cophub/testing';

const auth = (user: TestUser) => ({ Authorization: `Bearer ${user.token}` });

describe('forum', () => {
  let stack: TestStack;
  let community: TestCommunity;
  let other: TestCommunity;
  let coChair: TestUser;
  let moderator: TestUser;
  let alice: TestUser;
  let bob: TestUser;
  let outsider: TestUser;
  let general: string;
  let announcements: string;

  beforeAll(async () => {
    stack = await TestStack.start({ worker: false, smtp: false });
    community = await createCommunity(stack);
    other = await createCommunity(stack);
    coChair = await createMember(stack, community, 'co_chair', { displayName: 'Chris Chair' });
    moderator = await createMember(stack, community, 'moderator', { displayName: 'Mo Derator' });
    alice = await createMember(stack, community, 'member', { displayName: 'Alice Archer' });
    bob = await createMember(stack, community, 'member', { displayName: "Bob O'Brien" });
    outsider = await createMember(stack, other, 'member', { displayName: 'Olive Outsider' });
    const res = await stack
      .http()
      .post(`/api/v1/communities/${community.slug}/categories`)
      .set(auth(coChair))
      .send({ name: 'General', description: 'Anything', position: 1 })
      .expect(201);
    general = res.body.id;
    const ann = await stack
      .http()
      .post(`/api/v1/communities/${community.slug}/categories`)
      .set(auth(coChair))
      .send({ name: 'Announcements', postPolicy: 'co_chairs', position: 0 })
      .expect(201);
    announcements = ann.body.id;
  });

  afterAll(async () => {
    await stack?.close();
  });

  async function newThread(user: TestUser, title = 'Supervision models for PWPs', body = 'What works for you?') {
    const res = await stack
      .http()
      .post(`/api/v1/communities/${community.slug}/threads`)
      .set(auth(user))
      .send({ categoryId: general, title, body })
      .expect(201);
    return res.body as { id: string; postCount: number };
  }

  async function reply(user: TestUser, threadId: string, body: string, extra: Record<string, unknown> = {}) {
    const res = await stack
      .http()
      .post(`/api/v1/threads/${threadId}/posts`)
      .set(auth(user))
      .send({ body, ...extra })
      .expect(201);
    return res.body as { id: string; postNumber: number; version: number; html: string };
  }

  describe('categories', () => {
    it('lists categories in order and lets only co-chairs manage them', async () => {
      const list = await stack
        .http()
        .get(`/api/v1/communities/${community.slug}/categories`)
        .set(auth(alice))
        .expect(200);
      expect(list.body.map((c: { name: string }) => c.name)).toEqual(['Announcements', 'General']);
      await stack
        .http()
        .post(`/api/v1/communities/${community.slug}/categories`)
        .set(auth(moderator))
        .send({ name: 'Mods' })
        .expect(403);
      await stack.http().patch(`/api/v1/categories/${general}`).set(auth(alice)).send({ name: 'Mine' }).expect(403);
      await stack.http().patch(`/api/v1/categories/${general}`).set(auth(outsider)).send({ name: 'Mine' }).expect(403);
      await stack
        .http()
        .post(`/api/v1/communities/${community.slug}/categories`)
        .set(auth(coChair))
        .send({ name: 'General' })
        .expect(409);
      await stack
        .http()
        .post(`/api/v1/communities/${community.slug}/categories`)
        .set(auth(coChair))
        .send({ name: 'X', colour: 'red' })
        .expect(400);
      const audit = await stack.query(`SELECT action FROM audit_log WHERE community_id = $1`, [community.id]);
      expect(audit.map((a) => a.action)).toContain('forum.category.create');
    });

    it('keeps announcement categories for co-chairs', async () => {
      const before = await countRows(stack, ['forum_threads', 'forum_posts']);
      const res = await stack
        .http()
        .post(`/api/v1/communities/${community.slug}/threads`)
        .set(auth(alice))
        .send({ categoryId: announcements, title: 'Hi', body: 'hello' })
        .expect(403);
      expect(res.body.message).toMatch(/co-chairs/);
      expect(await countRows(stack, ['forum_threads', 'forum_posts'])).toEqual(before);
      const thread = await stack
        .http()
        .post(`/api/v1/communities/${community.slug}/threads`)
        .set(auth(coChair))
        .send({ categoryId: announcements, title: 'CoP meeting on 12 March', body: 'Agenda to follow' })
        .expect(201);
      await stack
        .http()
        .post(`/api/v1/threads/${thread.body.id}/posts`)
        .set(auth(alice))
        .send({ body: 'Thanks' })
        .expect(403);
    });
  });

  describe('threads, posts and unread state', () => {
    it('numbers posts, lists them with keyset pages and jumps to the first unread', async () => {
      const thread = await newThread(alice);
      for (let i = 2; i <= 5; i += 1) await reply(i % 2 ? alice : bob, thread.id, `reply ${i}`);
      const page1 = await stack.http().get(`/api/v1/threads/${thread.id}/posts?limit=2`).set(auth(bob)).expect(200);
      expect(page1.body.items.map((p: { postNumber: number }) => p.postNumber)).toEqual([1, 2]);
      const page2 = await stack
        .http()
        .get(`/api/v1/threads/${thread.id}/posts?limit=2&cursor=${page1.body.nextCursor}`)
        .set(auth(bob))
        .expect(200);
      expect(page2.body.items.map((p: { postNumber: number }) => p.postNumber)).toEqual([3, 4]);

      // Bob posted #4, so he has read up to 4; #5 is his first unread.
      const view = await stack.http().get(`/api/v1/threads/${thread.id}`).set(auth(bob)).expect(200);
      expect(view.body).toMatchObject({
        postCount: 5,
        lastReadPostNumber: 4,
        unreadCount: 1,
        firstUnreadPostNumber: 5,
      });
      const unread = await stack
        .http()
        .get(`/api/v1/threads/${thread.id}/posts?after=${view.body.lastReadPostNumber}`)
        .set(auth(bob))
        .expect(200);
      expect(unread.body.items.map((p: { postNumber: number }) => p.postNumber)).toEqual([5]);

      // The moderator has read nothing: the list shows all 5 unread until they mark it read.
      const list = await stack
        .http()
        .get(`/api/v1/communities/${community.slug}/threads?categoryId=${general}`)
        .set(auth(moderator))
        .expect(200);
      expect(list.body.items.find((t: { id: string }) => t.id === thread.id)).toMatchObject({ unreadCount: 5 });
      await stack
        .http()
        .put(`/api/v1/threads/${thread.id}/read`)
        .set(auth(moderator))
        .send({ postNumber: 3 })
        .expect(200);
      // Read position never moves backwards, and never beyond the last post.
      await stack
        .http()
        .put(`/api/v1/threads/${thread.id}/read`)
        .set(auth(moderator))
        .send({ postNumber: 1 })
        .expect(200);
      const after = await stack
        .http()
        .put(`/api/v1/threads/${thread.id}/read`)
        .set(auth(moderator))
        .send({ postNumber: 99 })
        .expect(200);
      expect(after.body).toMatchObject({ lastReadPostNumber: 5, unreadCount: 0 });
    });

    it('lists threads by latest activity with pinned first and category unread counts; mark all read clears them', async () => {
      const fresh = await createCommunity(stack);
      const chair = await createMember(stack, fresh, 'co_chair');
      const reader = await createMember(stack, fresh, 'member');
      const cat = (
        await stack
          .http()
          .post(`/api/v1/communities/${fresh.slug}/categories`)
          .set(auth(chair))
          .send({ name: 'Talk' })
          .expect(201)
      ).body.id;
      const ids: string[] = [];
      for (let i = 0; i < 5; i += 1) {
        stack.clock.advance(1_000);
        const t = await stack
          .http()
          .post(`/api/v1/communities/${fresh.slug}/threads`)
          .set(auth(chair))
          .send({ categoryId: cat, title: `Thread ${i}`, body: 'x' })
          .expect(201);
        ids.push(t.body.id);
      }
      stack.clock.advance(1_000);
      await stack.http().post(`/api/v1/threads/${ids[0]}/posts`).set(auth(chair)).send({ body: 'bump' }).expect(201);
      await stack.http().put(`/api/v1/threads/${ids[2]}/pin`).set(auth(chair)).send({ pinned: true }).expect(200);

      const first = await stack
        .http()
        .get(`/api/v1/communities/${fresh.slug}/threads?limit=3`)
        .set(auth(reader))
        .expect(200);
      const second = await stack
        .http()
        .get(`/api/v1/communities/${fresh.slug}/threads?limit=3&cursor=${first.body.nextCursor}`)
        .set(auth(reader))
        .expect(200);
      expect(second.body.nextCursor).toBeNull();
      const order = [...first.body.items, ...second.body.items].map((t: { id: string }) => t.id);
      expect(order).toEqual([ids[2], ids[0], ids[4], ids[3], ids[1]]);

      const cats = await stack.http().get(`/api/v1/communities/${fresh.slug}/categories`).set(auth(reader)).expect(200);
      expect(cats.body[0]).toMatchObject({ threadCount: 5, unreadThreadCount: 5 });
      const marked = await stack
        .http()
        .post(`/api/v1/communities/${fresh.slug}/forum/read-all`)
        .set(auth(reader))
        .send({})
        .expect(200);
      expect(marked.body.count).toBe(5);
      const after = await stack
        .http()
        .get(`/api/v1/communities/${fresh.slug}/categories`)
        .set(auth(reader))
        .expect(200);
      expect(after.body[0]).toMatchObject({ threadCount: 5, unreadThreadCount: 0 });
    });

    it('refuses empty and oversized posts, bad cursors and unknown ids, changing nothing', async () => {
      const thread = await newThread(alice);
      const before = await countRows(stack, ['forum_threads', 'forum_posts', 'notifications']);
      for (const body of ['', '   \n  ', 'x'.repeat(20_001)]) {
        const res = await stack
          .http()
          .post(`/api/v1/threads/${thread.id}/posts`)
          .set(auth(bob))
          .send({ body })
          .expect(400);
        expect(res.body.message).toMatch(/empty|at most 20000/);
      }
      await stack
        .http()
        .post(`/api/v1/communities/${community.slug}/threads`)
        .set(auth(bob))
        .send({ categoryId: general, title: '', body: 'x' })
        .expect(400);
      await stack
        .http()
        .post(`/api/v1/communities/${community.slug}/threads`)
        .set(auth(bob))
        .send({ categoryId: general, title: 'ok', body: 'x', pinned: true })
        .expect(400);
      await stack.http().get(`/api/v1/threads/${thread.id}/posts?cursor=not-a-cursor`).set(auth(bob)).expect(400);
      await stack.http().get(`/api/v1/communities/${community.slug}/threads?cursor=WzEsMl0`).set(auth(bob)).expect(400);
      await stack.http().get(`/api/v1/threads/${thread.id}/posts?after=-1`).set(auth(bob)).expect(400);
      await stack.http().get('/api/v1/threads/00000000-0000-4000-8000-000000000000').set(auth(bob)).expect(404);
      await stack.http().get('/api/v1/threads/not-a-uuid').set(auth(bob)).expect(400);
      await stack
        .http()
        .post('/api/v1/threads/00000000-0000-4000-8000-000000000000/posts')
        .set(auth(bob))
        .send({ body: 'hello' })
        .expect(404);
      await stack
        .http()
        .patch('/api/v1/posts/00000000-0000-4000-8000-000000000000')
        .set(auth(bob))
        .send({ body: 'x' })
        .expect(404);
      await stack
        .http()
        .post(`/api/v1/communities/${community.slug}/threads`)
        .set(auth(bob))
        .send({ categoryId: '00000000-0000-4000-8000-000000000000', title: 'ok', body: 'x' })
        .expect(404);
      await stack
        .http()
        .post(`/api/v1/threads/${thread.id}/posts`)
        .set(auth(bob))
        .send({ body: 'quote', quotePostId: '00000000-0000-4000-8000-000000000000' })
        .expect(400);
      expect(await countRows(stack, ['forum_threads', 'forum_posts', 'notifications'])).toEqual(before);
    });
  });

  describe('editing and deleting', () => {
    it('keeps edit history; only the author or a moderator may edit; stale versions conflict', async () => {
      const thread = await newThread(alice, 'Edits', 'first draft');
      const [first] = (await stack.http().get(`/api/v1/threads/${thread.id}/posts`).set(auth(alice)).expect(200)).body
        .items;
      await stack.http().patch(`/api/v1/posts/${first.id}`).set(auth(bob)).send({ body: 'vandalised' }).expect(403);
      await stack
        .http()
        .patch(`/api/v1/posts/${first.id}`)
        .set(auth(outsider))
        .send({ body: 'vandalised' })
        .expect(403);
      const edited = await stack
        .http()
        .patch(`/api/v1/posts/${first.id}`)
        .set(auth(alice))
        .send({ body: 'second draft', version: 1 })
        .expect(200);
      expect(edited.body).toMatchObject({ version: 2, html: '<p>second draft</p>' });
      expect(edited.body.editedAt).toEqual(expect.any(String));
      await stack
        .http()
        .patch(`/api/v1/posts/${first.id}`)
        .set(auth(alice))
        .send({ body: 'stale', version: 1 })
        .expect(409);
      await stack
        .http()
        .patch(`/api/v1/posts/${first.id}`)
        .set(auth(moderator))
        .send({ body: 'tidied by a moderator' })
        .expect(200);
      const history = await stack.http().get(`/api/v1/posts/${first.id}/revisions`).set(auth(bob)).expect(200);
      expect(history.body.map((r: { version: number; source: string }) => [r.version, r.source])).toEqual([
        [2, 'second draft'],
        [1, 'first draft'],
      ]);
      const audit = await stack.query(`SELECT action FROM audit_log WHERE target_id = $1`, [first.id]);
      expect(audit.map((a) => a.action)).toEqual(['forum.post.edit']);
    });

    it('soft-deletes: others see a placeholder, moderators see the content, members cannot delete others', async () => {
      const thread = await newThread(alice);
      const post = await reply(bob, thread.id, 'regrettable words');
      await stack.http().delete(`/api/v1/posts/${post.id}`).set(auth(alice)).expect(403);
      await stack.http().delete(`/api/v1/posts/${post.id}`).set(auth(bob)).expect(204);
      await stack.http().delete(`/api/v1/posts/${post.id}`).set(auth(bob)).expect(409);
      const asMember = await stack.http().get(`/api/v1/posts/${post.id}`).set(auth(alice)).expect(200);
      expect(asMember.body).toMatchObject({ deleted: true, html: null, source: null });
      const asModerator = await stack.http().get(`/api/v1/posts/${post.id}`).set(auth(moderator)).expect(200);
      expect(asModerator.body).toMatchObject({ deleted: true, html: '<p>regrettable words</p>' });
      await stack.http().patch(`/api/v1/posts/${post.id}`).set(auth(bob)).send({ body: 'undo' }).expect(409);
      const [row] = await stack.query(`SELECT deleted_at FROM forum_posts WHERE id = $1`, [post.id]);
      expect(row.deleted_at).not.toBeNull();

      // A moderator deleting someone's opening post removes the thread, and the audit log says who.
      const [first] = (await stack.http().get(`/api/v1/threads/${thread.id}/posts`).set(auth(alice)).expect(200)).body
        .items;
      await stack.http().delete(`/api/v1/posts/${first.id}`).set(auth(moderator)).expect(204);
      await stack.http().get(`/api/v1/threads/${thread.id}`).set(auth(alice)).expect(404);
      await stack.http().get(`/api/v1/threads/${thread.id}`).set(auth(moderator)).expect(200);
      const audit = await stack.query(`SELECT action, actor_id FROM audit_log WHERE target_id = $1`, [thread.id]);
      expect(audit).toEqual([{ action: 'forum.thread.delete', actor_id: moderator.id }]);
    });
  });

  describe('moderation', () => {
    it('locks, pins and moves threads (moderators only), with audit rows', async () => {
      const thread = await newThread(alice, 'Locking');
      await stack.http().put(`/api/v1/threads/${thread.id}/lock`).set(auth(alice)).send({ locked: true }).expect(403);
      await stack.http().put(`/api/v1/threads/${thread.id}/pin`).set(auth(bob)).send({ pinned: true }).expect(403);
      await stack
        .http()
        .post(`/api/v1/threads/${thread.id}/move`)
        .set(auth(bob))
        .send({ categoryId: announcements })
        .expect(403);
      await stack
        .http()
        .put(`/api/v1/threads/${thread.id}/lock`)
        .set(auth(moderator))
        .send({ locked: true })
        .expect(200);
      const before = await countRows(stack, ['forum_posts']);
      const refused = await stack
        .http()
        .post(`/api/v1/threads/${thread.id}/posts`)
        .set(auth(bob))
        .send({ body: 'hello?' })
        .expect(403);
      expect(refused.body.message).toMatch(/locked/);
      expect(await countRows(stack, ['forum_posts'])).toEqual(before);
      await reply(moderator, thread.id, 'Locked while we check something.');
      await stack
        .http()
        .put(`/api/v1/threads/${thread.id}/pin`)
        .set(auth(moderator))
        .send({ pinned: true })
        .expect(200);
      const moved = await stack
        .http()
        .post(`/api/v1/threads/${thread.id}/move`)
        .set(auth(moderator))
        .send({ categoryId: announcements })
        .expect(200);
      expect(moved.body).toMatchObject({ categoryId: announcements, pinned: true, locked: true });
      await stack
        .http()
        .post(`/api/v1/threads/${thread.id}/move`)
        .set(auth(moderator))
        .send({ categoryId: '00000000-0000-4000-8000-000000000000' })
        .expect(404);
      const audit = await stack.query(`SELECT action, actor_id FROM audit_log WHERE target_id = $1 ORDER BY id`, [
        thread.id,
      ]);
      expect(audit.map((a) => a.action)).toEqual(['forum.thread.lock', 'forum.thread.pin', 'forum.thread.move']);
      expect(new Set(audit.map((a) => a.actor_id))).toEqual(new Set([moderator.id]));
    });

    it('hides a post from members but not from moderators; flags go to a queue only moderators see', async () => {
      const thread = await newThread(alice, 'Flagging');
      const post = await reply(bob, thread.id, 'something unkind');
      const flag = await stack
        .http()
        .post(`/api/v1/posts/${post.id}/flags`)
        .set(auth(alice))
        .send({ reason: 'Unkind' })
        .expect(201);
      await stack.http().post(`/api/v1/posts/${post.id}/flags`).set(auth(alice)).send({ reason: 'Again' }).expect(409);
      await stack.http().post(`/api/v1/posts/${post.id}/flags`).set(auth(alice)).send({ reason: '' }).expect(400);
      await stack.http().post(`/api/v1/posts/${post.id}/flags`).set(auth(outsider)).send({ reason: 'x' }).expect(403);
      await stack.http().get(`/api/v1/communities/${community.slug}/moderation/flags`).set(auth(alice)).expect(403);
      await stack.http().get(`/api/v1/communities/${community.slug}/moderation/flags`).set(auth(outsider)).expect(403);
      const queue = await stack
        .http()
        .get(`/api/v1/communities/${community.slug}/moderation/flags`)
        .set(auth(moderator))
        .expect(200);
      expect(queue.body.items).toEqual([
        expect.objectContaining({ id: flag.body.id, postId: post.id, reason: 'Unkind', status: 'open' }),
      ]);
      await stack.http().put(`/api/v1/posts/${post.id}/hidden`).set(auth(alice)).send({ hidden: true }).expect(403);
      await stack
        .http()
        .post(`/api/v1/communities/${community.slug}/moderation/flags/${flag.body.id}/resolve`)
        .set(auth(coChair))
        .send({ action: 'hide' })
        .expect(204);
      await stack
        .http()
        .post(`/api/v1/communities/${community.slug}/moderation/flags/${flag.body.id}/resolve`)
        .set(auth(coChair))
        .send({ action: 'dismiss' })
        .expect(409);

      const asMember = await stack.http().get(`/api/v1/threads/${thread.id}/posts`).set(auth(alice)).expect(200);
      expect(asMember.body.items[1]).toMatchObject({ id: post.id, hidden: true, html: null, source: null });
      expect(JSON.stringify(asMember.body)).not.toContain('unkind');
      const asAuthor = await stack.http().get(`/api/v1/posts/${post.id}`).set(auth(bob)).expect(200);
      expect(asAuthor.body.html).toBeNull();
      const asModerator = await stack.http().get(`/api/v1/threads/${thread.id}/posts`).set(auth(moderator)).expect(200);
      expect(asModerator.body.items[1]).toMatchObject({
        hidden: true,
        html: '<p>something unkind</p>',
        hiddenReason: 'flagged',
      });
      const open = await stack
        .http()
        .get(`/api/v1/communities/${community.slug}/moderation/flags`)
        .set(auth(moderator))
        .expect(200);
      expect(open.body.items).toEqual([]);

      await stack
        .http()
        .put(`/api/v1/posts/${post.id}/hidden`)
        .set(auth(moderator))
        .send({ hidden: false })
        .expect(200);
      const restored = await stack.http().get(`/api/v1/posts/${post.id}`).set(auth(alice)).expect(200);
      expect(restored.body).toMatchObject({ hidden: false, html: '<p>something unkind</p>' });
      const audit = await stack.query(`SELECT action FROM audit_log WHERE target_id IN ($1, $2) ORDER BY id`, [
        post.id,
        flag.body.id,
      ]);
      expect(audit.map((a) => a.action)).toEqual(['forum.post.hide', 'forum.flag.action', 'forum.post.unhide']);
    });
  });

  describe('reactions, bookmarks, subscriptions and notifications', () => {
    it('counts reactions once per member and kind', async () => {
      const thread = await newThread(alice, 'Reactions');
      const post = await reply(bob, thread.id, 'useful tip');
      await stack.http().put(`/api/v1/posts/${post.id}/reactions/like`).set(auth(alice)).expect(200);
      await stack.http().put(`/api/v1/posts/${post.id}/reactions/like`).set(auth(alice)).expect(200);
      const res = await stack.http().put(`/api/v1/posts/${post.id}/reactions/like`).set(auth(moderator)).expect(200);
      expect(res.body.reactions).toEqual({ like: 2 });
      await stack.http().put(`/api/v1/posts/${post.id}/reactions/thanks`).set(auth(alice)).expect(200);
      await stack.http().put(`/api/v1/posts/${post.id}/reactions/angry`).set(auth(alice)).expect(400);
      await stack.http().put(`/api/v1/posts/${post.id}/reactions/like`).set(auth(outsider)).expect(403);
      const removed = await stack.http().delete(`/api/v1/posts/${post.id}/reactions/like`).set(auth(alice)).expect(200);
      expect(removed.body).toMatchObject({ reactions: { like: 1, thanks: 1 }, myReactions: ['thanks'] });
      await stack.http().delete(`/api/v1/posts/${post.id}/reactions/like`).set(auth(alice)).expect(200);
      const view = await stack.http().get(`/api/v1/posts/${post.id}`).set(auth(alice)).expect(200);
      expect(view.body.reactions).toEqual({ like: 1, thanks: 1 });
    });

    it('bookmarks are private to each member', async () => {
      const thread = await newThread(alice, 'Bookmarks');
      const post = await reply(bob, thread.id, 'a resource worth keeping');
      await stack.http().put(`/api/v1/posts/${post.id}/bookmark`).set(auth(alice)).expect(204);
      await stack.http().put(`/api/v1/posts/${post.id}/bookmark`).set(auth(alice)).expect(204);
      const mine = await stack
        .http()
        .get(`/api/v1/communities/${community.slug}/bookmarks`)
        .set(auth(alice))
        .expect(200);
      expect(mine.body.items).toEqual([expect.objectContaining({ postId: post.id, threadTitle: 'Bookmarks' })]);
      const theirs = await stack
        .http()
        .get(`/api/v1/communities/${community.slug}/bookmarks`)
        .set(auth(bob))
        .expect(200);
      expect(theirs.body.items).toEqual([]);
      expect((await stack.http().get(`/api/v1/posts/${post.id}`).set(auth(alice))).body.bookmarked).toBe(true);
      await stack.http().delete(`/api/v1/posts/${post.id}/bookmark`).set(auth(alice)).expect(204);
      await stack.http().put(`/api/v1/posts/${post.id}/bookmark`).set(auth(outsider)).expect(403);
    });

    it('notifies watchers of replies, mentioned members and quoted authors once each, muted members not at all', async () => {
      // Notifications are written by the fan-out job after the reply commits: run the worker, and
      // wait for every post's fan-out (the earlier tests' too) before looking.
      await stack.startWorker();
      const fannedOut = () =>
        eventually(async () => !(await stack.query('SELECT 1 FROM forum_post_fanouts LIMIT 1')).length, 'fan-out');
      const carol = await createMember(stack, community, 'member', { displayName: 'Carol Cole' });
      const dave = await createMember(stack, community, 'member', { displayName: 'Dave Dent' });
      const thread = await newThread(alice, 'Notifications');
      const bobsPost = await reply(bob, thread.id, 'Bob here');
      await reply(dave, thread.id, 'Dave here');
      await stack
        .http()
        .put(`/api/v1/threads/${thread.id}/subscription`)
        .set(auth(dave))
        .send({ level: 'muted' })
        .expect(200);
      await stack
        .http()
        .put(`/api/v1/threads/${thread.id}/subscription`)
        .set(auth(dave))
        .send({ level: 'loud' })
        .expect(400);
      await fannedOut();
      await stack.query('DELETE FROM notifications');

      // Carol quotes Bob and mentions Alice (who also watches as the author) and an outsider.
      await reply(carol, thread.id, 'I agree with @bobobrien? No: cc @AliceArcher and @oliveoutsider', {
        quotePostId: bobsPost.id,
      });
      await fannedOut();
      const rows = await stack.query<{ user_id: string; kind: string }>(
        'SELECT user_id, kind FROM notifications ORDER BY kind',
      );
      const byUser = Object.fromEntries(rows.map((r) => [r.user_id, r.kind]));
      expect(byUser).toEqual({ [alice.id]: 'forum_mention', [bob.id]: 'forum_mention' });
      // Mentions email by default: staged in the outbox with the notification, in the job's transaction.
      const mails = await stack.query('SELECT recipient FROM mail_outbox WHERE template = $1', ['forum.notification']);
      expect(mails.map((m) => m.recipient).sort()).toEqual([alice.email, bob.email].sort());

      await stack.query('DELETE FROM notifications');
      await reply(bob, thread.id, 'Plain reply');
      await fannedOut();
      const replies = await stack.query<{ user_id: string; kind: string }>('SELECT user_id, kind FROM notifications');
      expect(replies.map((r) => r.user_id).sort()).toEqual([alice.id, carol.id].sort());
      expect(new Set(replies.map((r) => r.kind))).toEqual(new Set(['forum_reply']));

      // Carol sees it in her bell, with a link to the post.
      const inbox = await stack.http().get('/api/v1/notifications').set(auth(carol)).expect(200);
      expect(inbox.body.unread).toBe(1);
      expect(inbox.body.items[0]).toMatchObject({
        kind: 'forum_reply',
        title: `Bob O'Brien replied in "Notifications"`,
        url: expect.stringContaining(`/t/${thread.id}/`),
      });
      await stack.stopWorker();
    });
  });

  describe('search', () => {
    it('finds threads and posts with highlighted snippets, never hidden posts or other communities', async () => {
      const thread = await newThread(alice, 'Low intensity CBT waiting lists', 'How long are your waiting lists?');
      const visible = await reply(bob, thread.id, 'Our waiting lists for guided self-help are <b>twelve</b> weeks');
      const hidden = await reply(bob, thread.id, 'Secret waiting lists gossip');
      await stack
        .http()
        .put(`/api/v1/posts/${hidden.id}/hidden`)
        .set(auth(moderator))
        .send({ hidden: true })
        .expect(200);
      const foreign = await createMember(stack, other, 'co_chair');
      const otherCat = (
        await stack
          .http()
          .post(`/api/v1/communities/${other.slug}/categories`)
          .set(auth(foreign))
          .send({ name: 'G' })
          .expect(201)
      ).body.id;
      await stack
        .http()
        .post(`/api/v1/communities/${other.slug}/threads`)
        .set(auth(foreign))
        .send({ categoryId: otherCat, title: 'Waiting lists elsewhere', body: 'waiting lists' })
        .expect(201);

      const res = await stack
        .http()
        .get(`/api/v1/communities/${community.slug}/forum/search?q=${encodeURIComponent('waiting lists')}`)
        .set(auth(moderator))
        .expect(200);
      const hits = res.body.items as Array<{ kind: string; id: string; snippet: string; rank: number }>;
      expect(hits.map((h) => h.id)).toEqual(expect.arrayContaining([thread.id, visible.id]));
      expect(hits.map((h) => h.id)).not.toContain(hidden.id);
      expect(hits.every((h) => h.snippet.includes('<mark>'))).toBe(true);
      const snippet = hits.find((h) => h.id === visible.id)!.snippet;
      expect(snippet).not.toMatch(/<b>/);
      expect(JSON.stringify(hits)).not.toContain('elsewhere');
      await stack.http().get(`/api/v1/communities/${other.slug}/forum/search?q=waiting`).set(auth(alice)).expect(403);
      await stack.http().get(`/api/v1/communities/${community.slug}/forum/search?q=`).set(auth(alice)).expect(400);

      // Keyset pages over the ranked list give every hit once.
      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const page: { body: { items: Array<{ id: string }>; nextCursor: string | null } } = await stack
          .http()
          .get(
            `/api/v1/communities/${community.slug}/forum/search?q=waiting&limit=1${cursor ? `&cursor=${cursor}` : ''}`,
          )
          .set(auth(alice))
          .expect(200);
        seen.push(...page.body.items.map((i) => i.id));
        cursor = page.body.nextCursor;
      } while (cursor);
      expect(new Set(seen).size).toBe(seen.length);
      expect(seen).toEqual(expect.arrayContaining([thread.id, visible.id]));
    });
  });

  describe('authorisation', () => {
    it('refuses anonymous callers and members of other communities on every forum route', async () => {
      const thread = await newThread(alice, 'Private to the community');
      const post = await reply(bob, thread.id, 'members only');
      const routes: Array<[string, string, object?]> = [
        ['get', `/api/v1/communities/${community.slug}/categories`],
        ['get', `/api/v1/communities/${community.slug}/threads`],
        ['post', `/api/v1/communities/${community.slug}/threads`, { categoryId: general, title: 't', body: 'b' }],
        ['get', `/api/v1/threads/${thread.id}`],
        ['get', `/api/v1/threads/${thread.id}/posts`],
        ['post', `/api/v1/threads/${thread.id}/posts`, { body: 'x' }],
        ['get', `/api/v1/posts/${post.id}`],
        ['patch', `/api/v1/posts/${post.id}`, { body: 'x' }],
        ['delete', `/api/v1/posts/${post.id}`],
        ['put', `/api/v1/threads/${thread.id}/read`, { postNumber: 1 }],
      ];
      const before = await countRows(stack, ['forum_threads', 'forum_posts', 'forum_read_states']);
      for (const [method, url, body] of routes) {
        const call = (user?: TestUser) => {
          const req = (stack.http() as unknown as Record<string, (u: string) => import('supertest').Test>)[method](url);
          if (user) req.set(auth(user));
          return body ? req.send(body) : req;
        };
        expect([method, url, (await call()).status]).toEqual([method, url, 401]);
        expect([method, url, (await call(outsider)).status]).toEqual([method, url, 403]);
      }
      expect(await countRows(stack, ['forum_threads', 'forum_posts', 'forum_read_states'])).toEqual(before);
    });
  });

  it('stores and returns hostile Markdown as inert HTML', async () => {
    const corpus = [
      '<script>alert(1)</script>hello',
      '<p onmouseover="alert(1)">hi</p>',
      '<img src=x onerror=alert(1)>',
      '<svg onload=alert(1)><circle/></svg>',
      '<svg><a xlink:href="javascript:alert(1)"><text>x</text></a></svg>',
      '[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)',
      '[x](javascript:alert(1))',
      '[x](JaVaScRiPt:alert(1))',
      '<a href="jav&#x61;script:alert(1)">x</a>',
      '<a href=" java\tscript:alert(1)">x</a>',
      '<iframe src="https://evil.example"></iframe>',
      '<style>body{display:none}</style><p style="position:fixed">x</p>',
      '<scr<script>ipt>alert(1)</scr</script>ipt>',
      '<form action="https://evil.example"><input name=x><button>go</button></form>',
      '<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>',
      '<object data="data:text/html,<script>alert(1)</script>"></object>',
      '<a href="https://ok.example" onclick="alert(1)">ok</a>',
      '<details open ontoggle=alert(1)>',
      '![img](javascript:alert(1))',
      '<blockquote data-post-id="x" onmouseover="alert(1)">q</blockquote>',
    ];
    const thread = await newThread(alice, 'XSS corpus');
    const inert = (html: string | null) => {
      expect(html).not.toBeNull();
      expect(html).not.toMatch(/<(script|img|svg|math|iframe|style|form|input|button|object|details)/i);
      expect(html).not.toMatch(/\son[a-z]+\s*=/i);
      expect(html).not.toMatch(/(javascript|data|vbscript):/i);
      expect(html).not.toMatch(/style=/i);
    };
    let refused = 0;
    for (const body of corpus) {
      const res = await stack.http().post(`/api/v1/threads/${thread.id}/posts`).set(auth(bob)).send({ body });
      if (res.status === 400) {
        // Nothing left once the dangerous parts are removed: refused as an empty post.
        expect(res.body.message).toMatch(/empty/);
        refused += 1;
        continue;
      }
      expect(res.status).toBe(201);
      const post = res.body as { id: string; html: string };
      inert(post.html);
      const [stored] = await stack.query<{ body_html: string }>('SELECT body_html FROM forum_posts WHERE id = $1', [
        post.id,
      ]);
      inert(stored.body_html);
      // Quoting a hostile post stays inert too.
      const quoted = await reply(alice, thread.id, 'quoting', { quotePostId: post.id });
      inert(quoted.html);
    }
    expect(refused).toBeLessThan(corpus.length / 2);
    const links = await reply(bob, thread.id, '[guide](https://example.org/g)');
    expect(links.html).toContain('rel="nofollow noopener noreferrer"');
  });
});
