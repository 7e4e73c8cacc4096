/// <reference lib="dom" />
import { readFileSync } from 'node:fs';
import {
  createCommunity,
  createMember,
  eventually,
  TEST_PASSWORD,
  type TestCommunity,
  type TestUser,
} from '@cophub/testing';
import { BrowserStack, checkPage, londonDate, signIn } from './browser';

/**
 * The CPD record with reflections: a member writes a reflection on an event they attended, adds CPD
 * that was not a CoP event, and downloads the CSV with both. Handles: a member chooses a handle on
 * their profile, another mentions them by it from the suggestions, the mention is a link that opens
 * a profile card from the keyboard, and Escape closes it.
 */
describe('web app: CPD reflections and member handles in a browser', () => {
  let web: BrowserStack;
  let community: TestCommunity;
  let coChair: TestUser;
  let sam: TestUser;
  let carol: TestUser;
  let threadId: string;

  beforeAll(async () => {
    web = await BrowserStack.start();
    const stack = web.stack;
    community = await createCommunity(stack, { name: 'South West MHWP CoP' });
    coChair = await createMember(stack, community, 'co_chair', { displayName: 'Cleo Chair' });
    sam = await createMember(stack, community, 'member', {
      displayName: "Sam O'Neill",
      profession: 'MHWP',
      careerStage: 'qualified',
      region: 'south_west',
    });
    carol = await createMember(stack, community, 'member', { displayName: 'Carol Cole' });
    // An event Sam attended two days ago (attendance as a co-chair would have recorded it).
    const [event] = await stack.query<{ id: string }>(
      `INSERT INTO events (community_id, title, description, description_html, starts_at, ends_at, location_kind,
                           visibility, cpd_hours, check_in_code, created_by)
       VALUES ($1, 'Supervision skills day', '', '', now() - interval '2 days', now() - interval '2 days' + interval '3 hours',
               'online', 'members', 3, 'SKL123', $2) RETURNING id`,
      [community.id, coChair.id],
    );
    await stack.query(
      `INSERT INTO event_attendance (event_id, user_id, community_id, method, title, starts_at, ends_at, cpd_hours,
                                     profession, career_stage, marked_by)
       SELECT e.id, $2, e.community_id, 'marked', e.title, e.starts_at, e.ends_at, e.cpd_hours, 'MHWP', 'qualified', $3
         FROM events e WHERE e.id = $1`,
      [event.id, sam.id, coChair.id],
    );
    const category = await stack
      .http()
      .post(`/api/v1/communities/${community.slug}/categories`)
      .set('Authorization', `Bearer ${coChair.token}`)
      .send({ name: 'Practice' })
      .expect(201);
    const thread = await stack
      .http()
      .post(`/api/v1/communities/${community.slug}/threads`)
      .set('Authorization', `Bearer ${coChair.token}`)
      .send({ categoryId: category.body.id, title: 'Caseload sizes', body: 'How many do you hold?' })
      .expect(201);
    threadId = thread.body.id;
  }, 180_000);

  afterAll(async () => {
    await web?.close();
  });

  it('a member reflects on an event, adds CPD that was not an event, and downloads both in the CSV', async () => {
    const page = await (await web.context()).newPage();
    await signIn(page, sam.email, TEST_PASSWORD, '/cpd');
    await page.getByRole('heading', { name: 'Supervision skills day' }).waitFor();
    await page.getByText('Total: 3 hours').waitFor();

    await page.getByRole('button', { name: 'Add a reflection on Supervision skills day' }).click();
    const form = page.getByRole('form', { name: 'Reflection on Supervision skills day' });
    await form.getByLabel('What I learned (learning outcomes)').fill('Structuring group supervision around cases');
    await form.getByLabel('How it changes my practice (reflection)').fill('I will bring one case a month to group');
    await form.getByLabel('Evidence link (optional)').fill('not a link');
    await form.getByRole('button', { name: 'Save reflection' }).click();
    await form.getByRole('alert').getByRole('link', { name: /evidence link/ }).waitFor();
    await form.getByLabel('Evidence link (optional)').fill('https://portfolio.example.nhs.uk/skills-day');
    await form.getByRole('button', { name: 'Save reflection' }).click();
    await page.getByText('Your reflection on Supervision skills day has been saved.').waitFor();
    await page.getByText('I will bring one case a month to group').waitFor();

    // The form refuses an empty entry, then takes a reading entry.
    await page.getByRole('button', { name: 'Add to my CPD record' }).click();
    await page.getByRole('alert').getByRole('link', { name: 'Choose what kind of CPD it was' }).waitFor();
    await checkPage(page, 'cpd-add-errors');
    await page.getByLabel('Reading').check();
    await page.getByLabel('Activity').fill('NICE NG222: depression in adults');
    await page.getByLabel('Date').fill(londonDate(-5));
    await page.getByLabel('CPD hours').fill('1.5');
    const add = page.getByRole('form', { name: 'Add CPD that was not a CoP event' });
    await add.getByLabel('How it changes my practice (reflection)').fill('=SUM(1) changes how I explain options');
    await page.getByRole('button', { name: 'Add to my CPD record' }).click();
    await page.getByText('NICE NG222: depression in adults has been added to your CPD record.').waitFor();
    await page.getByRole('heading', { name: 'NICE NG222: depression in adults' }).waitFor();
    await page.getByText('Total: 4.5 hours').waitFor();
    await checkPage(page, 'cpd-reflections');

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Download as a spreadsheet (CSV)' }).click(),
    ]);
    expect(download.suggestedFilename()).toBe('cpd-record.csv');
    const csv = readFileSync((await download.path())!, 'utf8');
    expect(csv.charCodeAt(0)).toBe(0xfeff);
    expect(csv).toContain('"Supervision skills day","CoP event"');
    expect(csv).toContain('"I will bring one case a month to group"');
    expect(csv).toContain('"NICE NG222: depression in adults","Reading"');
    expect(csv).toContain(`"'=SUM(1) changes how I explain options"`);
  }, 240_000);

  it('a member chooses a handle; another mentions them by it and opens their profile card from the keyboard', async () => {
    const samPage = await (await web.context()).newPage();
    await signIn(samPage, sam.email, TEST_PASSWORD, '/profile');
    const handle = samPage.getByLabel('Handle for mentions');
    expect(await handle.inputValue()).toBe('samoneill');
    await handle.fill('admin');
    await samPage.getByRole('button', { name: 'Save handle' }).click();
    await samPage.getByRole('alert').getByRole('link', { name: /reserved/ }).waitFor();
    await checkPage(samPage, 'profile-handle-error');
    await samPage.getByRole('button', { name: 'Suggest one from my name' }).click();
    await samPage.getByText('Suggested handle: @samoneill.').waitFor();
    await handle.fill('sam-o');
    await samPage.getByRole('button', { name: 'Save handle' }).click();
    await samPage.getByText('Your handle is now @sam-o.').waitFor();

    const page = await (await web.context()).newPage();
    await signIn(page, carol.email, TEST_PASSWORD, `/c/${community.slug}/t/${threadId}`);
    const reply = page.getByLabel('Your reply');
    await reply.fill('About twelve. What about you @sa');
    await reply.press('ArrowRight');
    await reply.pressSequentially('m');
    await page.getByRole('button', { name: /@sam-o/ }).click();
    expect(await reply.inputValue()).toBe('About twelve. What about you @sam-o ');
    await page.getByRole('button', { name: 'Post reply' }).click();
    await page.getByText('Your reply has been posted.').waitFor();

    const mention = page.getByRole('article', { name: 'Post 2 by Carol Cole' }).getByRole('link', { name: '@sam-o' });
    await mention.focus();
    await page.keyboard.press('Enter');
    const card = page.getByRole('dialog', { name: "Sam O'Neill" });
    await card.getByText('Mental Health and Wellbeing Practitioner').waitFor();
    await card.getByRole('link', { name: community.name }).waitFor();
    await checkPage(page, 'profile-card');
    await page.keyboard.press('Escape');
    await card.waitFor({ state: 'hidden' });
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('@sam-o');

    const notified = await eventually(
      async () =>
        (
          await web.stack.query<{ kind: string }>('SELECT kind FROM notifications WHERE user_id = $1', [sam.id])
        ).find((n) => n.kind === 'forum_mention'),
      'the mention notification',
    );
    expect(notified).toEqual({ kind: 'forum_mention' });
  }, 240_000);
});
