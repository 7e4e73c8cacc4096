/// <reference lib="dom" />
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { createCommunity, createMember, TEST_PASSWORD, type TestCommunity, type TestUser } from '@cophub/testing';
import { upload } from '../resources.helpers';
import { BrowserStack, checkPage, londonDate, SCREENSHOTS, signIn, textsOnceEqual } from './browser';

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
 * What a co-chair changes after the fact, all from the web app: a resource's details and who may
 * contribute; the forum's categories (rename, order, merge) and a thread's category; an event's
 * reminder times and its cancellation with a message; an announcement to an audience.
 */
describe('web app: co-chair edits in a browser', () => {
  let web: BrowserStack;
  let community: TestCommunity;
  let coChair: TestUser;
  let member: TestUser;
  let londonMember: TestUser;
  let resourceId: string;
  let threadId: string;

  const as = (user: TestUser) => ({ Authorization: `Bearer ${user.token}` });

  beforeAll(async () => {
    web = await BrowserStack.start();
    const stack = web.stack;
    community = await createCommunity(stack, { name: 'North West PWP CoP' });
    coChair = await createMember(stack, community, 'co_chair', { displayName: 'Cleo Chair' });
    member = await createMember(stack, community, 'member', {
      displayName: 'Pat Practitioner',
      profession: 'PWP',
      region: 'north_west',
    });
    londonMember = await createMember(stack, community, 'member', {
      displayName: 'Lou London',
      profession: 'PWP',
      region: 'london',
    });
    const uploaded = await upload(
      stack,
      `/api/v1/communities/${community.slug}/resources`,
      coChair.token,
      { title: 'Supervision guide', tags: 'supervision' },
      { filename: 'guide.md', data: Buffer.from('# Guide\n\nSupervision for PWPs.') },
    );
    expect(uploaded.status).toBe(201);
    resourceId = uploaded.body.id;
    const category = async (name: string) =>
      (
        await stack
          .http()
          .post(`/api/v1/communities/${community.slug}/categories`)
          .set(as(coChair))
          .send({ name })
          .expect(201)
      ).body.id as string;
    const practice = await category('Practice');
    const old = await category('Old topics');
    await category('Wellbeing');
    const thread = async (categoryId: string, title: string) =>
      (
        await stack
          .http()
          .post(`/api/v1/communities/${community.slug}/threads`)
          .set(as(member))
          .send({ categoryId, title, body: `About ${title}` })
          .expect(201)
      ).body.id as string;
    threadId = await thread(practice, 'Rota patterns');
    await thread(old, 'Caseload sizes');
  }, 180_000);

  afterAll(async () => {
    await web?.close();
  });

  it('a co-chair edits a resource’s title and tags, and makes a member a contributor', async () => {
    const page = await (await web.context()).newPage();
    await signIn(page, coChair.email, TEST_PASSWORD, `/resources/${resourceId}`);
    await page.getByRole('link', { name: /Edit details/ }).click();
    await page.getByRole('heading', { name: 'Edit resource details', level: 1 }).waitFor();
    await checkBothSizes(page, 'resource-edit');
    await page.getByLabel('Title').fill('Supervision guide 2027');
    await page.getByLabel('Tags (optional)').fill('supervision, step 2');
    await page.getByLabel('Psychological Wellbeing Practitioner (PWP)').check();
    await page.getByRole('button', { name: 'Save changes' }).click();
    await page.getByRole('heading', { name: 'Supervision guide 2027', level: 1 }).waitFor();
    await page.getByRole('status').getByText('Your changes have been saved.').waitFor();
    await page.getByText('step 2', { exact: true }).waitFor();
    const [stored] = await web.stack.query<{ title: string; tags: string[]; professions: string[] }>(
      'SELECT title, tags, professions FROM resources WHERE id = $1',
      [resourceId],
    );
    expect(stored).toEqual({ title: 'Supervision guide 2027', tags: ['supervision', 'step 2'], professions: ['PWP'] });

    await page.goto(`/c/${community.slug}/resources`);
    await page.getByRole('link', { name: 'Choose who can add resources' }).click();
    await page.getByRole('heading', { name: 'Contributors', level: 1 }).waitFor();
    await page.getByText('No members have been made contributors yet.').waitFor();
    await checkBothSizes(page, 'resource-contributors');
    await page.getByLabel('Member', { exact: true }).selectOption({ label: 'Pat Practitioner' });
    await page.getByRole('button', { name: 'Add contributor' }).click();
    await page.getByRole('status').getByText('Pat Practitioner can now add and change resources.').waitFor();
    await page.getByRole('cell', { name: 'Pat Practitioner', exact: true }).waitFor();
    const [granted] = await web.stack.query<{ n: string }>(
      'SELECT count(*) AS n FROM resource_contributors WHERE user_id = $1',
      [member.id],
    );
    expect(Number(granted.n)).toBe(1);
    await page.getByRole('button', { name: 'Remove Pat Practitioner as a contributor' }).click();
    await page.getByRole('status').getByText('Pat Practitioner can no longer add or change resources.').waitFor();
    await page.getByText('No members have been made contributors yet.').waitFor();
  }, 180_000);

  it('a co-chair renames, reorders and merges categories, and moves a thread', async () => {
    const page = await (await web.context()).newPage();
    await signIn(page, coChair.email, TEST_PASSWORD, `/c/${community.slug}/forum`);
    await page.getByRole('link', { name: 'Manage categories' }).click();
    await page.getByRole('heading', { name: 'Manage categories', level: 1 }).waitFor();
    await checkBothSizes(page, 'forum-categories');

    await page.getByRole('button', { name: 'Rename Practice' }).click();
    await page.getByLabel('New name').fill('Practice and supervision');
    await page.getByRole('button', { name: 'Save name' }).click();
    await page.getByRole('status').getByText('Renamed "Practice" to "Practice and supervision".').waitFor();

    await page.getByRole('button', { name: 'Move down Practice and supervision' }).click();
    await page.getByRole('status').getByText('"Practice and supervision" moved down: now 2 of 3.').waitFor();
    // Focus stays with the moved category, so a keyboard user can keep moving it.
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Move down Practice and supervision');
    const reordered = ['1. Old topics', '2. Practice and supervision', '3. Wellbeing'];
    expect(await textsOnceEqual(page.locator('main ol > li h2'), reordered)).toEqual(reordered);

    await page.getByRole('button', { name: 'Merge into another (Old topics)' }).click();
    await page.getByLabel('Merge into').selectOption({ label: 'Practice and supervision' });
    await checkPage(page, 'forum-categories-merge');
    await page.getByRole('button', { name: 'Merge categories' }).click();
    await page
      .getByRole('status')
      .getByText('"Old topics" was merged into "Practice and supervision": its threads are there now.')
      .waitFor();
    const merged = ['1. Practice and supervision', '2. Wellbeing'];
    expect(await textsOnceEqual(page.locator('main ol > li h2'), merged)).toEqual(merged);
    await page.getByText('2 threads').waitFor();

    await page.goto(`/c/${community.slug}/t/${threadId}`);
    await page.getByRole('heading', { name: 'Rota patterns', level: 1 }).waitFor();
    await page.getByRole('button', { name: 'Move to another category' }).click();
    await page.getByLabel('Move to').selectOption({ label: 'Wellbeing' });
    await checkPage(page, 'thread-move');
    await page.getByRole('button', { name: 'Move thread' }).click();
    await page.getByRole('status').getByText('Thread moved to Wellbeing.').waitFor();
    await page.getByRole('navigation', { name: 'Breadcrumb' }).getByRole('link', { name: 'Wellbeing' }).waitFor();
    const [moved] = await web.stack.query<{ name: string }>(
      'SELECT c.name FROM forum_threads t JOIN forum_categories c ON c.id = t.category_id WHERE t.id = $1',
      [threadId],
    );
    expect(moved.name).toBe('Wellbeing');
  }, 180_000);

  it('a co-chair creates an event with reminder times, then cancels it with a message to attendees', async () => {
    const page = await (await web.context()).newPage();
    await signIn(page, coChair.email, TEST_PASSWORD, `/c/${community.slug}/events/new`);
    await page.getByRole('heading', { name: 'Create an event', level: 1 }).waitFor();
    await page.getByLabel('Title').fill('Step 2 supervision workshop');
    await page.getByLabel('Date').fill(londonDate(10));
    await page.getByLabel('Start time').fill('10:00');
    await page.getByLabel('End time').fill('12:00');
    await page.getByLabel('Online').check();
    // The usual times are offered; the API's defaults (a day and an hour before) start ticked.
    expect(await page.getByLabel('1 day before').isChecked()).toBe(true);
    expect(await page.getByLabel('1 hour before').isChecked()).toBe(true);
    await page.getByLabel('1 week before').check();
    await page.getByLabel('1 hour before').uncheck();
    await page.getByLabel('Another reminder (optional)').fill('0');
    await page.getByRole('button', { name: 'Create event' }).click();
    await page
      .getByRole('alert')
      .getByRole('link', { name: 'Another reminder time must be a whole number, from 5 minutes to 30 days before' })
      .waitFor();
    await checkBothSizes(page, 'event-form-reminders');
    await page.getByLabel('Another reminder (optional)').fill('3');
    await page.getByLabel('Before the start, in').selectOption('hours');
    await page.getByRole('button', { name: 'Create event' }).click();
    await page.getByRole('heading', { name: 'Step 2 supervision workshop', level: 1 }).waitFor();
    const eventId = new URL(page.url()).pathname.split('/').pop()!;
    const [stored] = await web.stack.query<{ reminder_offsets: number[] }>(
      'SELECT reminder_offsets FROM events WHERE id = $1',
      [eventId],
    );
    expect([...stored.reminder_offsets].sort((a, b) => b - a)).toEqual([10080, 1440, 180]);

    // The edit form shows the stored times, the custom one as its own box.
    await page.goto(`/events/${eventId}/edit`);
    await page.getByRole('heading', { name: 'Edit event', level: 1 }).waitFor();
    expect(await page.getByLabel('3 hours before').isChecked()).toBe(true);
    expect(await page.getByLabel('2 hours before').isChecked()).toBe(false);

    await web.stack.http().put(`/api/v1/events/${eventId}/rsvp`).set(as(member)).send({ status: 'going' }).expect(200);
    await page.goto(`/events/${eventId}`);
    await page.getByRole('button', { name: 'Cancel event' }).click();
    await page
      .getByLabel('Message to attendees (optional)')
      .fill('The trainer is unwell. We will set a new date soon.');
    await checkBothSizes(page, 'event-cancel-confirm');
    await page.getByRole('button', { name: 'Yes, cancel the event' }).click();
    await page
      .getByRole('status')
      .getByText('The event has been cancelled and everyone who replied has been emailed your message.')
      .waitFor();
    const mail = await web.stack.smtp!.waitForMessageTo(member.email, 'Cancelled: Step 2 supervision workshop');
    expect(mail.text).toContain('Their message: The trainer is unwell. We will set a new date soon.');
  }, 180_000);

  it('a co-chair sends an announcement to PWPs in the North West from the overview', async () => {
    const page = await (await web.context()).newPage();
    await signIn(page, coChair.email, TEST_PASSWORD, `/c/${community.slug}`);
    await page.getByRole('link', { name: 'Send an announcement' }).click();
    await page.getByRole('heading', { name: 'Send an announcement', level: 1 }).waitFor();
    await page.getByRole('button', { name: 'Send announcement' }).click();
    await page.getByRole('alert').getByRole('link', { name: 'Enter a title' }).waitFor();
    await checkBothSizes(page, 'announcement-form');
    await page.getByLabel('Title').fill('Council meeting: supervision ratios');
    await page.getByLabel('Announcement', { exact: true }).fill('Please send us your views by **Friday**.');
    await page.getByLabel('Psychological Wellbeing Practitioner (PWP)').check();
    await page.getByRole('checkbox', { name: 'North West' }).check();
    await page.getByText('Members who are PWP, in North West').waitFor();
    await page.getByRole('button', { name: 'Send announcement' }).click();
    await page.getByRole('heading', { name: 'Council meeting: supervision ratios', level: 1 }).waitFor();
    await page
      .getByRole('status')
      .getByText(/Announcement posted\. 1 member is being told/)
      .waitFor();
    const mail = await web.stack.smtp!.waitForMessageTo(member.email, 'Council meeting: supervision ratios');
    expect(mail.text).toContain('Please send us your views by Friday.');
    expect(web.stack.smtp!.to(londonMember.email).filter((m) => m.subject.includes('Council meeting'))).toEqual([]);
  }, 180_000);
});
