import { countRows, createCommunity, createMember, TestCommunity, TestStack, TestUser } from '@cophub/testing';
import { upload } from './resources.helpers';

/**
 * What co-chairs change after the fact: resource details, the forum's categories (rename, order,
 * merge, delete) and thread placement, and what attendees are told when an event changes.
 */
describe('co-chair edits', () => {
  let stack: TestStack;
  let community: TestCommunity;
  let coChair: TestUser;
  let member: TestUser;
  let contributor: TestUser;
  let outsider: TestUser;

  const auth = (u: TestUser) => ({ Authorization: `Bearer ${u.token}` });
  const http = () => stack.http();

  beforeAll(async () => {
    stack = await TestStack.start();
    community = await createCommunity(stack);
    coChair = await createMember(stack, community, 'co_chair');
    member = await createMember(stack, community);
    contributor = await createMember(stack, community);
    outsider = await createMember(stack, await createCommunity(stack), 'co_chair');
    await http()
      .put(`/api/v1/communities/${community.slug}/resource-contributors/${contributor.id}`)
      .set(auth(coChair))
      .expect(204);
  });

  afterAll(async () => {
    await stack?.close();
  });

  async function newResource(): Promise<string> {
    const res = await upload(
      stack,
      `/api/v1/communities/${community.slug}/resources`,
      coChair.token,
      { title: 'Supervision guide', tags: 'supervision' },
      { filename: 'guide.md', data: Buffer.from('# Guide\n\nSupervision for PWPs.') },
    );
    expect(res.status).toBe(201);
    return res.body.id as string;
  }

  async function newEvent(title = 'Quarterly CoP meeting'): Promise<string> {
    const start = stack.clock.now().getTime() + 48 * 3_600_000;
    const res = await http()
      .post(`/api/v1/communities/${community.slug}/events`)
      .set(auth(coChair))
      .send({
        title,
        startsAt: new Date(start).toISOString(),
        endsAt: new Date(start + 2 * 3_600_000).toISOString(),
        locationKind: 'online',
        joinUrl: 'https://meet.example.nhs.uk/quarterly',
      });
    expect(res.status).toBe(201);
    return res.body.id as string;
  }

  describe('resources', () => {
    it('lets a co-chair change title, description, tags, audience and event link, and unlink the event', async () => {
      const id = await newResource();
      const eventId = await newEvent('Kickstarter event');
      const edited = await http()
        .patch(`/api/v1/resources/${id}`)
        .set(auth(coChair))
        .send({
          title: 'Supervision guide 2027',
          description: 'Updated for **2027**',
          tags: ['supervision', 'Step 2'],
          professions: ['PWP', 'CYWP'],
          careerStages: ['trainee'],
          eventId,
        });
      expect(edited.status).toBe(200);
      expect(edited.body).toMatchObject({
        title: 'Supervision guide 2027',
        descriptionHtml: expect.stringContaining('<strong>2027</strong>'),
        tags: ['supervision', 'step 2'],
        professions: ['PWP', 'CYWP'],
        careerStages: ['trainee'],
        eventId,
      });
      const read = await http().get(`/api/v1/resources/${id}`).set(auth(member));
      expect(read.body).toMatchObject({ title: 'Supervision guide 2027', eventId, canContribute: false });

      const unlinked = await http().patch(`/api/v1/resources/${id}`).set(auth(coChair)).send({ eventId: null });
      expect(unlinked.status).toBe(200);
      expect(unlinked.body.eventId).toBeNull();
      expect(unlinked.body.title).toBe('Supervision guide 2027');
    });

    it('edits: member 403, contributor 200, co-chair 200, outsider 404, and refusals change nothing', async () => {
      const id = await newResource();
      const title = async () =>
        (await stack.query<{ title: string }>('SELECT title FROM resources WHERE id = $1', [id]))[0].title;
      const got: Record<string, number> = {};
      for (const [name, user] of Object.entries({ member, outsider })) {
        got[name] = (
          await http()
            .patch(`/api/v1/resources/${id}`)
            .set(auth(user))
            .send({ title: `By ${name}` })
        ).status;
        got[`${name} archive`] = (await http().post(`/api/v1/resources/${id}/archive`).set(auth(user))).status;
      }
      expect(await title()).toBe('Supervision guide');
      for (const [name, user] of Object.entries({ contributor, coChair })) {
        got[name] = (
          await http()
            .patch(`/api/v1/resources/${id}`)
            .set(auth(user))
            .send({ title: `By ${name}` })
        ).status;
        expect(await title()).toBe(`By ${name}`);
      }
      got.anonymous = (await http().patch(`/api/v1/resources/${id}`).send({ title: 'x' })).status;
      expect(got).toEqual({
        member: 403,
        'member archive': 403,
        outsider: 404,
        'outsider archive': 404,
        contributor: 200,
        coChair: 200,
        anonymous: 401,
      });
    });

    it('archives and restores for a contributor', async () => {
      const id = await newResource();
      const archived = await http().post(`/api/v1/resources/${id}/archive`).set(auth(contributor));
      expect(archived.status).toBe(200);
      expect(archived.body.archivedAt).not.toBeNull();
      const restored = await http().post(`/api/v1/resources/${id}/restore`).set(auth(contributor));
      expect(restored.status).toBe(200);
      expect(restored.body.archivedAt).toBeNull();
    });

    it('refuses bad edits with a 400 and keeps the resource as it was', async () => {
      const id = await newResource();
      const details = async () => {
        const { title, description, tags, professions, careerStages, eventId, updatedAt } = (
          await http().get(`/api/v1/resources/${id}`).set(auth(coChair))
        ).body;
        return { title, description, tags, professions, careerStages, eventId, updatedAt };
      };
      const before = await details();
      const bad: Array<Record<string, unknown>> = [
        { title: '' },
        { title: 'x'.repeat(201) },
        { tags: ['<script>'] },
        { professions: ['Plumber'] },
        { careerStages: ['retired'] },
        { eventId: 'not-a-uuid' },
        { colour: 'red' },
      ];
      for (const body of bad) {
        const res = await http().patch(`/api/v1/resources/${id}`).set(auth(coChair)).send(body);
        expect({ body, status: res.status }).toEqual({ body, status: 400 });
      }
      expect(await details()).toEqual(before);
    });

    it('lists, grants and revokes contributors for co-chairs only', async () => {
      const helper = await createMember(stack, community);
      const path = `/api/v1/communities/${community.slug}/resource-contributors`;
      expect((await http().get(path).set(auth(member))).status).toBe(403);
      expect((await http().get(path).set(auth(contributor))).status).toBe(403);
      expect((await http().get(path).set(auth(outsider))).status).toBe(403);
      await http().put(`${path}/${helper.id}`).set(auth(coChair)).expect(204);
      const list = await http().get(path).set(auth(coChair));
      expect(list.body.map((c: { userId: string }) => c.userId)).toEqual([contributor.id, helper.id]);
      expect((await http().delete(`${path}/${helper.id}`).set(auth(member))).status).toBe(403);
      await http().delete(`${path}/${helper.id}`).set(auth(coChair)).expect(204);
      const after = await http().get(path).set(auth(coChair));
      expect(after.body.map((c: { userId: string }) => c.userId)).toEqual([contributor.id]);
    });
  });

  describe('categories', () => {
    const categoriesPath = () => `/api/v1/communities/${community.slug}/categories`;
    const createCategory = async (name: string) => {
      const res = await http().post(categoriesPath()).set(auth(coChair)).send({ name });
      expect(res.status).toBe(201);
      return res.body.id as string;
    };
    const createThread = async (categoryId: string, title: string) => {
      const res = await http()
        .post(`/api/v1/communities/${community.slug}/threads`)
        .set(auth(member))
        .send({ categoryId, title, body: `About ${title}` });
      expect(res.status).toBe(201);
      return res.body.id as string;
    };
    const names = async () =>
      ((await http().get(categoriesPath()).set(auth(member))).body as Array<{ name: string }>).map((c) => c.name);

    it('adds new categories last and reorders them for co-chairs only', async () => {
      await stack.query('DELETE FROM forum_categories WHERE community_id = $1', [community.id]);
      const a = await createCategory('Practice');
      const b = await createCategory('Training');
      const c = await createCategory('Wellbeing');
      expect(await names()).toEqual(['Practice', 'Training', 'Wellbeing']);

      const order = `${categoriesPath()}/order`;
      expect(
        (
          await http()
            .put(order)
            .set(auth(member))
            .send({ categoryIds: [c, a, b] })
        ).status,
      ).toBe(403);
      expect(
        (
          await http()
            .put(order)
            .set(auth(outsider))
            .send({ categoryIds: [c, a, b] })
        ).status,
      ).toBe(403);
      expect(await names()).toEqual(['Practice', 'Training', 'Wellbeing']);

      const moved = await http()
        .put(order)
        .set(auth(coChair))
        .send({ categoryIds: [c, a, b] });
      expect(moved.status).toBe(200);
      expect(moved.body.map((x: { name: string }) => x.name)).toEqual(['Wellbeing', 'Practice', 'Training']);
      expect(await names()).toEqual(['Wellbeing', 'Practice', 'Training']);

      // Incomplete, repeated or foreign lists are refused and change nothing.
      for (const categoryIds of [[a, b], [a, a, b, c], [a, b, c, '00000000-0000-4000-8000-000000000000'], [], ['x']]) {
        const res = await http().put(order).set(auth(coChair)).send({ categoryIds });
        expect({ categoryIds, status: res.status }).toEqual({ categoryIds, status: 400 });
      }
      expect(await names()).toEqual(['Wellbeing', 'Practice', 'Training']);

      const renamed = await http()
        .patch(`/api/v1/categories/${b}`)
        .set(auth(coChair))
        .send({ name: 'Training and CPD' });
      expect(renamed.status).toBe(200);
      expect((await http().patch(`/api/v1/categories/${b}`).set(auth(member)).send({ name: 'Mine' })).status).toBe(403);
      expect(await names()).toEqual(['Wellbeing', 'Practice', 'Training and CPD']);
    });

    it('refuses to delete a category with threads (409 says to merge), deletes an empty one', async () => {
      const full = await createCategory('Has threads');
      const empty = await createCategory('Empty one');
      await createThread(full, 'Kept thread');
      const before = await countRows(stack, ['forum_categories', 'forum_threads']);
      const refused = await http().delete(`/api/v1/categories/${full}`).set(auth(coChair));
      expect(refused.status).toBe(409);
      expect(refused.body.message).toMatch(/merge it into another category/);
      expect((await http().delete(`/api/v1/categories/${empty}`).set(auth(member))).status).toBe(403);
      expect((await http().delete(`/api/v1/categories/${empty}`).set(auth(outsider))).status).toBe(403);
      expect(await countRows(stack, ['forum_categories', 'forum_threads'])).toEqual(before);
      await http().delete(`/api/v1/categories/${empty}`).set(auth(coChair)).expect(204);
      expect(await names()).not.toContain('Empty one');
    });

    it('merges one category into another: threads move, caches show it, the source goes', async () => {
      const from = await createCategory('Old topics');
      const into = await createCategory('Current topics');
      const moved = [await createThread(from, 'Caseloads'), await createThread(from, 'Rotas')];
      const stays = await createThread(into, 'Already here');
      const listOf = async (categoryId: string) =>
        (
          (await http().get(`/api/v1/communities/${community.slug}/threads?categoryId=${categoryId}`).set(auth(member)))
            .body.items as Array<{ id: string; categoryId: string }>
        ).map((t) => t.id);
      // Warm the thread-list and thread caches before the merge.
      expect((await listOf(into)).sort()).toEqual([stays]);
      expect((await listOf(from)).sort()).toEqual([...moved].sort());
      const threadBefore = await http().get(`/api/v1/threads/${moved[0]}`).set(auth(member));
      expect(threadBefore.body.categoryId).toBe(from);

      // Refusals first: nothing changes.
      const before = await countRows(stack, ['forum_categories', 'forum_threads']);
      const refusals: Array<[TestUser, unknown, number]> = [
        [member, { into }, 403],
        [outsider, { into }, 403],
        [coChair, { into: from }, 400],
        [coChair, { into: 'nope' }, 400],
        [coChair, {}, 400],
        [coChair, { into: '00000000-0000-4000-8000-000000000000' }, 404],
      ];
      for (const [user, body, status] of refusals) {
        const res = await http()
          .post(`/api/v1/categories/${from}/merge`)
          .set(auth(user))
          .send(body as object);
        expect({ body, status: res.status }).toEqual({ body, status });
      }
      expect(await countRows(stack, ['forum_categories', 'forum_threads'])).toEqual(before);
      expect((await listOf(from)).sort()).toEqual([...moved].sort());

      const merged = await http().post(`/api/v1/categories/${from}/merge`).set(auth(coChair)).send({ into });
      expect(merged.status).toBe(200);
      expect(merged.body).toMatchObject({ id: into, name: 'Current topics', threadCount: 3 });
      expect((await listOf(into)).sort()).toEqual([...moved, stays].sort());
      expect((await http().get(`/api/v1/threads/${moved[0]}`).set(auth(member))).body.categoryId).toBe(into);
      expect(await names()).not.toContain('Old topics');
      const [audit] = await stack.query<{ data: { threads: number } }>(
        "SELECT data FROM audit_log WHERE action = 'forum.category.merge' AND target_id = $1",
        [from],
      );
      expect(audit.data.threads).toBe(2);
      // Merging into a category of another community is a 404.
      const other = await createCommunity(stack);
      const otherChair = await createMember(stack, other, 'co_chair');
      const foreign = await http()
        .post(`/api/v1/communities/${other.slug}/categories`)
        .set(auth(otherChair))
        .send({ name: 'Theirs' });
      const cross = await http()
        .post(`/api/v1/categories/${into}/merge`)
        .set(auth(coChair))
        .send({ into: foreign.body.id });
      expect(cross.status).toBe(404);
      expect(await listOf(into)).toHaveLength(3);
    });

    it('moves a thread to another category for moderators and co-chairs, not members', async () => {
      const from = await createCategory('Move from');
      const to = await createCategory('Move to');
      const thread = await createThread(from, 'To be moved');
      expect(
        (await http().post(`/api/v1/threads/${thread}/move`).set(auth(member)).send({ categoryId: to })).status,
      ).toBe(403);
      const moved = await http().post(`/api/v1/threads/${thread}/move`).set(auth(coChair)).send({ categoryId: to });
      expect(moved.status).toBe(200);
      expect(moved.body.categoryId).toBe(to);
    });
  });

  describe('events', () => {
    it('tells attendees what changed: title, place and joining link, before and after', async () => {
      const id = await newEvent('Spring CoP meeting');
      await http().put(`/api/v1/events/${id}/rsvp`).set(auth(member)).send({ status: 'going' }).expect(200);
      const changed = await http().patch(`/api/v1/events/${id}`).set(auth(coChair)).send({
        title: 'Spring CoP meeting (in person)',
        locationKind: 'in_person',
        venue: 'Manchester Central Library',
      });
      expect(changed.status).toBe(200);
      const mail = await stack.smtp!.waitForMessageTo(member.email, 'Changed: Spring CoP meeting (in person)');
      expect(mail.text).toContain('Title: Spring CoP meeting → Spring CoP meeting (in person)');
      expect(mail.text).toContain('Place: Online → Manchester Central Library');

      const relinked = await newEvent('Online catch-up');
      await http().put(`/api/v1/events/${relinked}/rsvp`).set(auth(member)).send({ status: 'going' }).expect(200);
      await http()
        .patch(`/api/v1/events/${relinked}`)
        .set(auth(coChair))
        .send({ joinUrl: 'https://meet.example.nhs.uk/new-room' })
        .expect(200);
      const linkMail = await stack.smtp!.waitForMessageTo(member.email, 'Changed: Online catch-up');
      expect(linkMail.text).toContain('Joining link:');
    });

    it('cancels with a message that reaches attendees', async () => {
      const id = await newEvent('Cancelled meeting');
      await http().put(`/api/v1/events/${id}/rsvp`).set(auth(member)).send({ status: 'going' }).expect(200);
      expect((await http().post(`/api/v1/events/${id}/cancel`).set(auth(member)).send({ message: 'No' })).status).toBe(
        403,
      );
      const cancelled = await http()
        .post(`/api/v1/events/${id}/cancel`)
        .set(auth(coChair))
        .send({ message: 'The speaker is unwell; we will rearrange.' });
      expect(cancelled.status).toBeLessThan(300);
      const mail = await stack.smtp!.waitForMessageTo(member.email, 'Cancelled: Cancelled meeting');
      expect(mail.text).toContain('Their message: The speaker is unwell; we will rearrange.');
    });
  });
});
