/// <reference lib="dom" />
import {
  createCommunity,
  createMember,
  linkToken,
  TEST_PASSWORD,
  type TestCommunity,
  type TestUser,
} from '@cophub/testing';
import { BrowserStack, checkPage, signIn } from './browser';

const HOUR = 3_600_000;

/**
 * The member who only reads email: links in emails land where they should in a real browser. A
 * signed-out reader's event reminder leads through sign-in back to the event; an expired verification
 * link leads to a new email and then to sign-in with the address filled in; a reported post reaches a
 * moderator's bell while they are using the app.
 */
describe('web app: following email links', () => {
  let web: BrowserStack;
  let community: TestCommunity;
  let coChair: TestUser;
  let moderator: TestUser;
  let member: TestUser;

  beforeAll(async () => {
    web = await BrowserStack.start({ RATE_LIMIT_REGISTER_PER_IP_PER_HOUR: '1000' });
    community = await createCommunity(web.stack, { name: 'North West Psychological Practitioner CoP' });
    coChair = await createMember(web.stack, community, 'co_chair', { displayName: 'Cara Chair' });
    moderator = await createMember(web.stack, community, 'moderator', { displayName: 'Mo Reyes' });
    member = await createMember(web.stack, community, 'member', { displayName: 'Priya Shah' });
  }, 90_000);

  afterAll(async () => {
    await web?.close();
  });

  const auth = (user: TestUser) => ({ Authorization: `Bearer ${user.token}` });

  it('a signed-out reader follows an event-reminder link, signs in and lands on the event', async () => {
    const stack = web.stack;
    const startsAt = new Date(stack.clock.now().getTime() + 24 * HOUR + 4_000);
    const event = await stack
      .http()
      .post(`/api/v1/communities/${community.slug}/events`)
      .set(auth(coChair))
      .send({
        title: 'Role clarity workshop',
        description: 'Bring one example from your service.',
        startsAt: startsAt.toISOString(),
        endsAt: new Date(startsAt.getTime() + HOUR).toISOString(),
        locationKind: 'online',
        joinUrl: 'https://meet.example.nhs.uk/role-clarity',
        reminderOffsets: [1440],
      })
      .expect(201);
    await stack
      .http()
      .put(`/api/v1/events/${event.body.id}/rsvp`)
      .set(auth(member))
      .send({ status: 'going' })
      .expect(200);
    const reminder = await stack.smtp!.waitForMessageTo(member.email, 'Reminder: Role clarity workshop', 30_000);
    const link = new URL(/View the event: (\S+)/.exec(reminder.text)![1]);
    expect(link.pathname).toBe(`/events/${event.body.id}`);

    // A browser with nobody signed in, as when the email is opened on another device.
    const page = await (await web.context()).newPage();
    await page.goto(link.pathname);
    await page.waitForURL((url) => url.pathname === '/sign-in');
    expect(new URL(page.url()).searchParams.get('next')).toBe(link.pathname);
    await checkPage(page, 'email-link-sign-in');
    await page.getByLabel('Email address').fill(member.email);
    await page.getByLabel('Password', { exact: true }).fill(TEST_PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL((url) => url.pathname === link.pathname);
    await page.getByRole('heading', { name: 'Role clarity workshop', level: 1 }).waitFor();
    // The same time, in the same words and zone, as the email said.
    const when = /starts in 1 day: (.+)\./.exec(reminder.text)![1];
    await page.getByText(when, { exact: true }).waitFor();
    await page.getByText('Going', { exact: true }).waitFor();
    await page.getByRole('link', { name: /Add to Google Calendar/ }).waitFor();
    await checkPage(page, 'email-link-event');
  });

  it('an expired verification link leads to a new email, then to sign-in with the address filled in', async () => {
    const stack = web.stack;
    const email = 'late-reader@example.org';
    const password = 'Willow-Beacon-Harbour-5';
    await stack
      .http()
      .post('/api/v1/auth/register')
      .send({
        email,
        password,
        displayName: 'Lee Late',
        profession: 'CYWP',
        careerStage: 'qualified',
        region: 'north_west',
      })
      .expect(202);
    const first = linkToken((await stack.smtp!.waitForMessageTo(email, 'Confirm')).text, '/verify-email');

    const page = await (await web.context()).newPage();
    stack.clock.advance(49 * HOUR); // past the 48-hour lifetime
    try {
      await page.goto(`/verify-email?token=${first}`);
      await page.getByRole('heading', { name: 'We could not confirm your email address' }).waitFor();
      await page
        .getByText(/expired/)
        .first()
        .waitFor();
      await checkPage(page, 'verify-expired');
      // Empty submit: the error summary links to the field.
      await page.getByRole('button', { name: 'Send a new link' }).click();
      await page
        .getByRole('alert')
        .getByRole('link', { name: /Enter an email address/ })
        .waitFor();
      await page.getByLabel('Email address').fill(email);
      await page.getByRole('button', { name: 'Send a new link' }).click();
      await page.getByRole('heading', { name: 'Check your email' }).waitFor();
      await checkPage(page, 'verify-resent');
    } finally {
      stack.clock.advance(-49 * HOUR);
    }
    await stack.smtp!.waitFor((m) => m.filter((x) => x.to.includes(email)).length === 2, 30_000, 'a second link');
    const second = linkToken(stack.smtp!.to(email)[1].text, '/verify-email');
    expect(second).not.toBe(first);

    await page.goto(`/verify-email?token=${second}`);
    await page.waitForURL((url) => url.pathname === '/sign-in');
    await page.getByText('Your email address is confirmed. Sign in to continue.').waitFor();
    expect(await page.getByLabel('Email address').inputValue()).toBe(email);
    await checkPage(page, 'verify-sign-in');
    await page.getByLabel('Password', { exact: true }).fill(password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL((url) => url.pathname === '/communities');
  });

  it("a reported post reaches a moderator's bell while they use the app", async () => {
    const stack = web.stack;
    const category = await stack
      .http()
      .post(`/api/v1/communities/${community.slug}/categories`)
      .set(auth(coChair))
      .send({ name: 'Practice' })
      .expect(201);
    const thread = await stack
      .http()
      .post(`/api/v1/communities/${community.slug}/threads`)
      .set(auth(coChair))
      .send({ categoryId: category.body.id, title: 'Caseload weighting', body: 'How does your service weight cases?' })
      .expect(201);
    await stack
      .http()
      .post(`/api/v1/threads/${thread.body.id}/posts`)
      .set(auth(member))
      .send({ body: 'Our team names the client in the spreadsheet, which is handy.' })
      .expect(201);

    // The moderator is reading the forum; nothing is waiting for them yet.
    const mod = await (await web.context()).newPage();
    await signIn(mod, moderator.email, TEST_PASSWORD, `/c/${community.slug}/forum`);
    const bell = mod.getByRole('link', { name: /^Notifications/ });
    expect(await bell.textContent()).toBe('Notifications');

    const reader = await (await web.context()).newPage();
    await signIn(reader, coChair.email, TEST_PASSWORD, `/c/${community.slug}/t/${thread.body.id}`);
    await reader.getByRole('button', { name: 'Report post 2' }).click();
    await reader.getByLabel('Why should a moderator look at post #2?').fill('Names a client');
    await reader.getByRole('button', { name: 'Send to moderators' }).click();
    await reader.getByText('Thank you. A moderator will look at this post.').waitFor();

    // The bell counts it without a reload (the notification is pushed over the socket).
    await mod.getByRole('link', { name: 'Notifications 1 unread' }).waitFor({ timeout: 10_000 });
    await bell.click();
    const item = mod.getByRole('link', { name: 'A post was reported in "Caseload weighting"' });
    await item.waitFor();
    await checkPage(mod, 'moderator-bell');
    await item.click();
    await mod.waitForURL((url) => url.pathname === `/c/${community.slug}/moderation`);
    await mod.getByRole('link', { name: 'Caseload weighting, post #2' }).waitFor();
    await mod.getByText('Our team names the client in the spreadsheet, which is handy.').first().waitFor();
    await mod.getByText('Names a client').waitFor();
    await checkPage(mod, 'moderation-queue-items');
  });
});
