/// <reference lib="dom" />
import { createCommunity, createMember, TEST_PASSWORD, type TestCommunity, type TestUser } from '@cophub/testing';
import { BrowserStack, checkPage, signIn } from './browser';

/**
 * The forum in two browsers at once: one member starts a thread and another, already reading it,
 * sees each reply arrive without reloading (socket.io through the real gateway); mention suggestions,
 * preview, quote, reactions, bookmarks and watching work from the page; a report reaches the
 * co-chair's moderation queue, and hiding the post there hides it for members.
 */
describe('web app: forum in a browser', () => {
  let web: BrowserStack;
  let community: TestCommunity;
  let coChair: TestUser;
  let asha: TestUser;
  let ben: TestUser;
  let categoryId: string;

  beforeAll(async () => {
    web = await BrowserStack.start();
    community = await createCommunity(web.stack, { name: 'East of England EMHP CoP' });
    coChair = await createMember(web.stack, community, 'co_chair', { displayName: 'Cara Chair' });
    asha = await createMember(web.stack, community, 'member', { displayName: 'Asha Khan' });
    ben = await createMember(web.stack, community, 'member', { displayName: 'Ben Okafor' });
    const { body } = await web.stack
      .http()
      .post(`/api/v1/communities/${community.slug}/categories`)
      .set('Authorization', `Bearer ${coChair.token}`)
      .send({ name: 'Supervision', description: 'Case management and clinical supervision' })
      .expect(201);
    categoryId = body.id;
  }, 90_000);

  afterAll(async () => {
    await web?.close();
  });

  it('a reply appears live in a second browser, with mentions, preview, quote, reactions and moderation', async () => {
    const a = await (await web.context()).newPage();
    await signIn(a, asha.email, TEST_PASSWORD, `/c/${community.slug}/forum`);
    await checkPage(a, 'forum-categories');
    await a.getByRole('link', { name: 'Supervision' }).click();
    await a.getByRole('button', { name: 'Post thread' }).click();
    await a.getByRole('alert').getByRole('link', { name: 'Enter a title' }).waitFor();
    await checkPage(a, 'forum-new-thread-errors');
    await a.getByLabel('Title').fill('Group supervision for EMHP trainees');
    await a.getByLabel('Your post').fill('How often do your **trainees** get group supervision?');
    await a.getByRole('button', { name: 'Preview' }).click();
    await a.locator('strong', { hasText: 'trainees' }).waitFor();
    await a.getByRole('button', { name: 'Write' }).click();
    await a.getByRole('button', { name: 'Post thread' }).click();
    await a.getByRole('heading', { name: 'Group supervision for EMHP trainees' }).waitFor();
    await checkPage(a, 'forum-thread');
    const threadPath = new URL(a.url()).pathname;

    // Ben's category page shows the thread as unread; he opens it and stays on it.
    const b = await (await web.context()).newPage();
    await signIn(b, ben.email, TEST_PASSWORD, `/c/${community.slug}/forum/${categoryId}`);
    await b.getByText('1 unread').waitFor();
    await checkPage(b, 'forum-threads');
    await b.getByRole('link', { name: 'Group supervision for EMHP trainees' }).click();
    await b.getByRole('article', { name: 'Post 1 by Asha Khan' }).waitFor();

    // Asha replies, mentioning Ben from the suggestions; Ben sees it arrive without reloading.
    const reply = a.getByLabel('Your reply');
    await reply.fill('Fortnightly here. What about you @be');
    await reply.press('ArrowRight'); // the caret event: suggestions follow what is typed
    await reply.pressSequentially('n');
    await a.getByRole('button', { name: /@benokafor/ }).click();
    expect(await reply.inputValue()).toBe('Fortnightly here. What about you @benokafor ');
    await a.getByRole('button', { name: 'Post reply' }).click();
    await a.getByText('Your reply has been posted.').waitFor();
    const live = b.getByRole('article', { name: 'Post 2 by Asha Khan' });
    await live.waitFor({ timeout: 5_000 });
    expect(await live.textContent()).toContain('Fortnightly here.');
    expect(b.url()).toContain(threadPath);

    // Ben quotes Asha, reacts and bookmarks; Asha sees the reaction count change live.
    await b.getByRole('button', { name: 'Quote post 2' }).click();
    await b.getByText('Quoting post #2 by Asha Khan.').waitFor();
    await b.getByLabel('Your reply').fill('Weekly, in small groups.');
    await b.getByRole('button', { name: 'Post reply' }).click();
    await b.getByRole('article', { name: 'Post 3 by Ben Okafor' }).locator('blockquote').waitFor();
    await b.getByRole('article', { name: 'Post 2 by Asha Khan' }).getByRole('button', { name: 'Thanks (0)' }).click();
    await b
      .getByRole('article', { name: 'Post 2 by Asha Khan' })
      .getByRole('button', { name: 'Thanks (1)', pressed: true })
      .waitFor();
    await a.getByRole('article', { name: 'Post 2 by Asha Khan' }).getByRole('button', { name: 'Thanks (1)' }).waitFor();
    await a.getByRole('article', { name: 'Post 3 by Ben Okafor' }).waitFor();
    await b.getByRole('button', { name: 'Bookmark post 1' }).click();
    await b.getByText('Post bookmarked.').waitFor();
    await b.getByRole('button', { name: 'Watch this thread' }).click();
    await b.getByText('You are watching this thread.').waitFor();
    await checkPage(b, 'forum-thread-member');
    expect(
      await web.stack.query(`SELECT kind FROM notifications WHERE user_id = $1 ORDER BY created_at`, [ben.id]),
    ).toEqual([{ kind: 'forum_mention' }]);

    // Ben reports post 1; the co-chair hides it from the queue; members then see it hidden.
    await b.getByRole('button', { name: 'Report post 1' }).click();
    await b.getByLabel('Why should a moderator look at post #1?').fill('Contains a service user’s name');
    await b.getByRole('button', { name: 'Send to moderators' }).click();
    await b.getByText('Thank you. A moderator will look at this post.').waitFor();
    const chair = await (await web.context()).newPage();
    await signIn(chair, coChair.email, TEST_PASSWORD, `/c/${community.slug}/moderation`);
    await chair.getByText('Contains a service user’s name').waitFor();
    await checkPage(chair, 'forum-moderation');
    await chair.getByRole('button', { name: 'Hide post #1' }).click();
    await chair.getByText('The post is hidden.').waitFor();
    await b.getByRole('article', { name: 'Post 1 by Asha Khan' }).getByText('This post has been hidden.').waitFor();

    await b.goto(`/c/${community.slug}/bookmarks`);
    await b.getByRole('link', { name: /Group supervision for EMHP trainees, post #1/ }).waitFor();
    await checkPage(b, 'forum-bookmarks');
  });
});
