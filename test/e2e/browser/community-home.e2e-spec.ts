/// <reference lib="dom" />
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import {
  createCommunity,
  createMember,
  createUser,
  TEST_PASSWORD,
  type TestCommunity,
  type TestUser,
} from '@cophub/testing';
import { BrowserStack, checkPage, SCREENSHOTS, signIn } from './browser';

const HOUR = 3_600_000;

/** Checks the page with axe at the desktop size, and saves it at 1280×800 and at a phone's 390×844. */
async function checkBothSizes(page: Page, name: string): Promise<void> {
  await page.setViewportSize({ width: 1280, height: 800 });
  await checkPage(page, `${name}-1280x800`);
  await page.setViewportSize({ width: 390, height: 844 });
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOTS, `${name}-390x844.png`), fullPage: true });
  await page.setViewportSize({ width: 1280, height: 800 });
}

/**
 * A phone's screen: axe finds nothing at 390×844 and the page does not scroll sideways (the
 * document is no wider than the viewport), then a screenshot.
 */
async function checkNarrow(page: Page, name: string): Promise<void> {
  await page.setViewportSize({ width: 390, height: 844 });
  await checkPage(page, `${name}-390x844`);
  const width = await page.evaluate(() => document.scrollingElement!.scrollWidth);
  expect({ page: name, fits: width <= 390, scrollWidth: width }).toMatchObject({ page: name, fits: true });
}

/**
 * A community's home on the web: the sub-navigation reaches the forum and polls in one click; the
 * overview shows a member what is new for them; a co-chair edits the Terms of Reference and a member
 * reads what changed; a member edits their own post; a visitor asks to join and sees it pending;
 * the month grid and a past year's calendar list their events.
 */
describe('web app: a community home in a browser', () => {
  let web: BrowserStack;
  let community: TestCommunity;
  let coChair: TestUser;
  let member: TestUser;
  let threadId: string;
  let eventId: string;
  let pollId: string;

  beforeAll(async () => {
    web = await BrowserStack.start();
    const stack = web.stack;
    community = await createCommunity(stack, { name: 'North East and Yorkshire CoP' });
    coChair = await createMember(stack, community, 'co_chair', { displayName: 'Cleo Chair' });
    member = await createMember(stack, community, 'member', { displayName: 'Milo Member' });
    const as = (user: TestUser) => ({ Authorization: `Bearer ${user.token}` });
    await stack
      .http()
      .patch(`/api/v1/communities/${community.slug}`)
      .set(as(coChair))
      .send({ aims: 'Share practice and shape policy.', audience: 'PWPs and MHWPs in the region.' })
      .expect(200);
    await stack
      .http()
      .put(`/api/v1/communities/${community.slug}/me/key-contact`)
      .set(as(coChair))
      .send({ listed: true })
      .expect(204);
    const category = await stack
      .http()
      .post(`/api/v1/communities/${community.slug}/categories`)
      .set(as(coChair))
      .send({ name: 'Supervision' })
      .expect(201);
    const thread = await stack
      .http()
      .post(`/api/v1/communities/${community.slug}/threads`)
      .set(as(coChair))
      .send({ categoryId: category.body.id, title: 'Group supervision formats', body: 'What works in your service?' })
      .expect(201);
    threadId = thread.body.id;
    const inHours = (h: number) => new Date(Date.now() + h * HOUR).toISOString();
    const event = await stack
      .http()
      .post(`/api/v1/communities/${community.slug}/events`)
      .set(as(coChair))
      .send({
        title: 'Quarterly CoP meeting',
        startsAt: inHours(50),
        endsAt: inHours(52),
        locationKind: 'online',
        capacity: 40,
      })
      .expect(201);
    eventId = event.body.id;
    await stack
      .http()
      .put(`/api/v1/events/${event.body.id}/rsvp`)
      .set(as(member))
      .send({ status: 'going' })
      .expect(200);
    const poll = await stack
      .http()
      .post(`/api/v1/communities/${community.slug}/polls`)
      .set(as(coChair))
      .send({
        title: 'Supervision time pulse',
        questions: [
          { kind: 'single_choice', prompt: 'Do you get protected supervision time?', options: ['Yes', 'No'] },
        ],
      })
      .expect(201);
    pollId = poll.body.id;
    await stack.http().post(`/api/v1/polls/${poll.body.id}/open`).set(as(coChair)).send({}).expect(200);
    await stack
      .http()
      .post(`/api/v1/communities/${community.slug}/pages`)
      .set(as(coChair))
      .send({
        slug: 'terms-of-reference',
        title: 'Terms of Reference',
        visibility: 'public',
        body: '# Terms of Reference\n\nQuorum: 5 members including one co-chair.\n\nWe meet every quarter.',
      })
      .expect(201);
    // A past year's event (as imported from the CoP's history), straight into the table.
    await stack.query(
      `INSERT INTO events (community_id, title, description, description_html, starts_at, ends_at, location_kind,
                           visibility, cpd_hours, check_in_code, created_by)
       VALUES ($1, 'Kickstarter event 2024', '', '', '2024-03-14T10:00:00Z', '2024-03-14T12:00:00Z', 'online', 'members', 2, 'ABC123', $2)`,
      [community.id, coChair.id],
    );
  }, 180_000);

  afterAll(async () => {
    await web?.close();
  });

  it('the overview shows a member their unread thread, upcoming event and unanswered poll; forum and polls are one click away', async () => {
    const page = await (await web.context()).newPage();
    await signIn(page, member.email, TEST_PASSWORD, `/c/${community.slug}`);
    const whatsNew = page.getByRole('region', { name: /What is new/ });
    await whatsNew.getByRole('link', { name: 'Group supervision formats' }).waitFor();
    await whatsNew.getByRole('link', { name: 'Quarterly CoP meeting' }).waitFor();
    await whatsNew.getByText('You are going').waitFor();
    await whatsNew.getByRole('link', { name: 'Supervision time pulse' }).waitFor();
    await page.getByRole('region', { name: 'Key contacts' }).getByText('Cleo Chair').waitFor();
    await page.getByText('Share practice and shape policy.').waitFor();
    const nav = page.getByRole('navigation', { name: /sections/ });
    expect(await nav.getByRole('link', { name: 'Overview' }).getAttribute('aria-current')).toBe('page');
    await checkBothSizes(page, 'community-overview');

    await nav.getByRole('link', { name: 'Forum' }).click();
    await page.getByRole('heading', { name: 'Forum', level: 1 }).waitFor();
    expect(await nav.getByRole('link', { name: 'Forum' }).getAttribute('aria-current')).toBe('page');
    await nav.getByRole('link', { name: 'Polls' }).click();
    await page.getByRole('link', { name: 'Supervision time pulse' }).waitFor();
    expect(await nav.getByRole('link', { name: 'Polls' }).getAttribute('aria-current')).toBe('page');

    await page.goto(`/c/${community.slug}/latest`);
    await page.getByRole('heading', { name: 'Latest', level: 1 }).waitFor();
    await page.getByText('In Supervision').waitFor();
    await checkPage(page, 'forum-latest');
  }, 180_000);

  it('a co-chair edits the Terms of Reference and a member sees what changed', async () => {
    const chair = await (await web.context()).newPage();
    await signIn(chair, coChair.email, TEST_PASSWORD, `/c/${community.slug}/pages/terms-of-reference`);
    await chair.getByRole('heading', { name: 'Terms of Reference', level: 1 }).first().waitFor();
    await checkBothSizes(chair, 'page-terms-of-reference');
    await chair.getByRole('link', { name: 'Edit this page' }).click();
    const body = chair.getByLabel('Page', { exact: true });
    await body.waitFor();
    await checkPage(chair, 'page-edit');
    await body.fill('# Terms of Reference\n\nQuorum: 4 members including one co-chair.\n\nWe meet every quarter.');
    await chair.getByLabel('What you changed (optional)').fill('Quorum lowered to 4');
    await chair.getByRole('button', { name: 'Save changes' }).click();
    await chair.getByText('revision 2').waitFor();

    const reader = await (await web.context()).newPage();
    await signIn(reader, member.email, TEST_PASSWORD, `/c/${community.slug}`);
    await reader.getByRole('link', { name: 'Terms of Reference' }).click();
    await reader.getByText('Quorum: 4 members including one co-chair.').waitFor();
    await reader.getByRole('link', { name: /See what changed/ }).click();
    const changes = reader.getByRole('list', { name: 'Changes from revision 1 to 2' });
    await changes.locator('del', { hasText: 'Quorum: 5 members including one co-chair.' }).waitFor();
    await changes.locator('ins', { hasText: 'Quorum: 4 members including one co-chair.' }).waitFor();
    await reader.getByRole('cell', { name: 'Quorum lowered to 4' }).waitFor();
    await checkBothSizes(reader, 'page-history');
  }, 180_000);

  it('a member edits their own post, and a half-written reply is kept with a warning before leaving', async () => {
    await web.stack
      .http()
      .post(`/api/v1/threads/${threadId}/posts`)
      .set('Authorization', `Bearer ${member.token}`)
      .send({ body: 'We run fortnightly groups of six.' })
      .expect(201);
    const page = await (await web.context()).newPage();
    await signIn(page, member.email, TEST_PASSWORD, `/c/${community.slug}/t/${threadId}`);
    await page.getByRole('link', { name: 'Supervision' }).first().waitFor();
    await page.getByRole('button', { name: 'Edit your post 2' }).click();
    await page.getByLabel('Edit post 2').fill('We run fortnightly groups of eight.');
    await page.getByRole('button', { name: 'Save changes' }).click();
    await page.getByText('Your post has been updated.').waitFor();
    await page.getByText('We run fortnightly groups of eight.').waitFor();
    // Someone else's post offers no Edit.
    expect(await page.getByRole('button', { name: 'Edit your post 1' }).count()).toBe(0);

    await page.getByLabel('Your reply').fill('A thought I have not finished');
    await page
      .getByRole('navigation', { name: /sections/ })
      .getByRole('link', { name: 'Events' })
      .click();
    await page.getByRole('heading', { name: 'Your reply has not been posted' }).waitFor();
    await checkPage(page, 'forum-thread-leave-warning');
    await page.getByRole('button', { name: 'Stay and finish my reply' }).click();
    await page.reload();
    expect(await page.getByLabel('Your reply').inputValue()).toBe('A thought I have not finished');
  }, 180_000);

  it('a visitor sees the community and asks to join; the request shows as pending', async () => {
    const visitor = await createUser(web.stack, { displayName: 'Val Visitor' });
    const page = await (await web.context()).newPage();
    await signIn(page, visitor.email, TEST_PASSWORD, `/c/${community.slug}`);
    await page.getByRole('heading', { name: 'Join this community' }).waitFor();
    await page.getByRole('link', { name: 'Terms of Reference' }).waitFor();
    await checkBothSizes(page, 'community-visitor');
    await page.getByRole('button', { name: `Ask to join ${community.name}` }).click();
    await page.getByText('Request pending').waitFor();
    await page.reload();
    await page.getByText('Your request to join is waiting for a co-chair to approve it.').waitFor();
    await checkPage(page, 'community-pending');
  }, 180_000);

  it('the month grid and a past year list their events', async () => {
    const page = await (await web.context()).newPage();
    await signIn(page, member.email, TEST_PASSWORD, `/c/${community.slug}/events`);
    await page.getByRole('link', { name: 'Show as a month grid' }).click();
    await page.getByRole('table').waitFor();
    await checkBothSizes(page, 'events-month-grid');
    await page.goto(`/c/${community.slug}/events?year=2024&month=all`);
    await page.getByRole('link', { name: 'Kickstarter event 2024' }).waitFor();
    await checkPage(page, 'events-year-2024');
  }, 180_000);

  it('item pages carry the community navigation with their section marked', async () => {
    const page = await (await web.context()).newPage();
    await signIn(page, member.email, TEST_PASSWORD, `/events/${eventId}`);
    const nav = page.getByRole('navigation', { name: `${community.name} sections` });
    const current = async () => nav.locator('[aria-current="page"]').textContent();
    await page.getByRole('heading', { name: 'Quarterly CoP meeting', level: 1 }).waitFor();
    await nav.waitFor();
    expect(await current()).toBe('Events');
    await page.goto(`/polls/${pollId}`);
    await page.getByRole('heading', { name: /Supervision time pulse/, level: 1 }).waitFor();
    await nav.waitFor();
    expect(await current()).toBe('Polls');
    await page.goto(`/c/${community.slug}/t/${threadId}`);
    await page.getByRole('heading', { name: 'Group supervision formats', level: 1 }).waitFor();
    expect(await current()).toBe('Forum');
    await page.goto(`/c/${community.slug}/pages/terms-of-reference`);
    await page.getByRole('heading', { name: 'Terms of Reference', level: 1 }).first().waitFor();
    expect(await current()).toBe('Overview');
    // Only one navigation, also where the address names the community.
    expect(await page.getByRole('navigation', { name: `${community.name} sections` }).count()).toBe(1);
  }, 180_000);

  it('every community page fits a phone: no axe violations and no sideways scrolling at 390×844', async () => {
    await web.stack
      .http()
      .post(`/api/v1/threads/${threadId}/posts`)
      .set('Authorization', `Bearer ${coChair.token}`)
      .send({ body: 'Thanks @milomember, a long unbroken address too: https://example.nhs.uk/a/very/long/path/that/should/wrap/on/a/phone/screen/without/scrolling' })
      .expect(201);
    const context = await web.context();
    const page = await context.newPage();
    await page.setViewportSize({ width: 390, height: 844 });
    await signIn(page, member.email, TEST_PASSWORD, `/c/${community.slug}`);
    await page.getByText('Share practice and shape policy.').waitFor();
    await checkNarrow(page, 'narrow-overview');
    const pages: Array<[string, string, string]> = [
      ['narrow-forum', `/c/${community.slug}/forum`, 'Forum'],
      ['narrow-thread', `/c/${community.slug}/t/${threadId}`, 'Group supervision formats'],
      ['narrow-events', `/c/${community.slug}/events`, 'Events'],
      ['narrow-event', `/events/${eventId}`, 'Quarterly CoP meeting'],
      ['narrow-resources', `/c/${community.slug}/resources`, 'Resources'],
      ['narrow-polls', `/c/${community.slug}/polls`, 'Polls'],
      ['narrow-poll', `/polls/${pollId}`, 'Supervision time pulse'],
      ['narrow-members', `/c/${community.slug}/members`, 'Members'],
      ['narrow-cpd', '/cpd', 'My CPD record'],
    ];
    for (const [name, path, heading] of pages) {
      await page.goto(path);
      await page.getByRole('heading', { name: new RegExp(heading), level: 1 }).waitFor();
      await checkNarrow(page, name);
    }
    await page.goto(`/c/${community.slug}/t/${threadId}`);
    const mention = page.getByRole('link', { name: '@milomember' });
    await mention.click();
    const card = page.getByRole('dialog', { name: 'Milo Member' });
    await card.getByText('Communities in common').waitFor();
    await checkNarrow(page, 'narrow-profile-card');
    await page.keyboard.press('Escape');
    await card.waitFor({ state: 'hidden' });
  }, 300_000);
});
