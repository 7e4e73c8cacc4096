/// <reference lib="dom" />
import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { createCommunity, createMember, TEST_PASSWORD, type TestCommunity, type TestUser } from '@cophub/testing';
import { BrowserStack, checkPage, linkFromMail, londonDate, signIn } from './browser';

/**
 * The web app in a real Chromium against the real API, PostgreSQL, Redis, worker and SMTP: a member
 * registers, confirms their email from the message that arrived over SMTP, asks to join, a co-chair
 * approves; a co-chair creates an event, members RSVP into the places and the waiting list, download
 * the .ics, and every page passes axe-core at WCAG 2.2 AA.
 */
describe('web app: identity, communities and events in a browser', () => {
  let web: BrowserStack;
  let community: TestCommunity;
  let coChair: TestUser;

  beforeAll(async () => {
    web = await BrowserStack.start();
    community = await createCommunity(web.stack, { name: 'North West Psychological Practitioner CoP' });
    coChair = await createMember(web.stack, community, 'co_chair', { displayName: 'Chris Cochair' });
  }, 90_000);

  afterAll(async () => {
    await web?.close();
  });

  async function newPage(): Promise<Page> {
    return (await web.context()).newPage();
  }

  it('registers, confirms the email from the link in the message, asks to join and is approved by a co-chair', async () => {
    const page = await newPage();
    await page.goto('/');
    await checkPage(page, 'home-signed-out');

    await page.getByRole('link', { name: 'Create an account' }).first().click();
    await page.getByRole('heading', { name: 'Create an account' }).waitFor();
    // Submitting nothing shows an error summary whose links take focus to each field.
    await page.getByRole('button', { name: 'Create account' }).click();
    const summary = page.getByRole('alert');
    await summary.getByText('There is a problem').waitFor();
    await checkPage(page, 'register-errors');
    await summary.getByRole('link', { name: 'Select your region' }).click();
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('region');

    const email = 'sam.patel@example.nhs.net';
    await page.getByLabel('Email address').fill(email);
    await page.getByLabel('Create a password').fill('Kestrel-Harbour-Lamp-9');
    await page.getByLabel('Your name').fill('Sam Patel');
    await page.getByLabel('Psychological Wellbeing Practitioner (PWP)').check();
    await page.getByLabel('Qualified').check();
    await page.getByLabel('Region').selectOption('north_west');
    await page.getByLabel('Organisation (optional)').fill('Pennine Care NHS Foundation Trust');
    await page.getByRole('button', { name: 'Create account' }).click();
    await page.getByRole('heading', { name: 'Check your email' }).waitFor();

    await web.stack.smtp!.waitForMessageTo(email);
    // Confirming goes straight to sign-in, the address filled in.
    await page.goto(linkFromMail(web.stack, email, '/verify-email?token='));
    await page.getByText('Your email address is confirmed. Sign in to continue.').waitFor();
    await checkPage(page, 'verify-email');
    expect(await page.getByLabel('Email address').inputValue()).toBe(email);
    await page.getByLabel('Password', { exact: true }).fill('Kestrel-Harbour-Lamp-9');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL('**/communities');
    await checkPage(page, 'communities');

    await page.getByRole('button', { name: `Ask to join ${community.name}` }).click();
    await page.getByText(`Your request to join ${community.name} has been sent to its co-chairs.`).waitFor();
    await page.getByText('Request pending').waitFor();

    // The co-chair follows the link in the email they were sent and approves.
    const chair = await newPage();
    await web.stack.smtp!.waitForMessageTo(coChair.email);
    const reviewPath = linkFromMail(web.stack, coChair.email, `/c/${community.slug}/members`);
    await signIn(chair, coChair.email, TEST_PASSWORD, reviewPath);
    await chair.getByRole('heading', { name: 'Requests to join' }).waitFor();
    await chair.getByRole('cell', { name: /^Sam Patel/ }).waitFor();
    await checkPage(chair, 'members-requests');
    await chair.getByRole('button', { name: 'Approve Sam Patel' }).click();
    await chair.getByText('Sam Patel is now a member.').waitFor();

    await page.reload();
    await page.getByRole('link', { name: `Open ${community.name}` }).click();
    await page.getByRole('heading', { name: community.name }).waitFor();
    await checkPage(page, 'community');
    expect(
      await web.stack.query(`SELECT status FROM memberships m JOIN users u ON u.id = m.user_id WHERE u.email = $1`, [
        email,
      ]),
    ).toEqual([{ status: 'approved' }]);

    // Profile: edit the organisation and see it saved.
    await page.goto('/profile');
    await page.getByLabel('Organisation (optional)').fill('Greater Manchester Mental Health NHS FT');
    await page.getByRole('button', { name: 'Save profile' }).click();
    await page.getByText('Your profile has been saved.').waitFor();
    await checkPage(page, 'profile');
    expect(await web.stack.query(`SELECT organisation FROM users WHERE email = $1`, [email])).toEqual([
      { organisation: 'Greater Manchester Mental Health NHS FT' },
    ]);
  });

  it('a co-chair creates an event; members take the place and the waiting list, and download the .ics', async () => {
    const alex = await createMember(web.stack, community, 'member', { displayName: 'Alex Going' });
    const jo = await createMember(web.stack, community, 'member', { displayName: 'Jo Waiting' });
    const date = londonDate(10);

    const chair = await newPage();
    await signIn(chair, coChair.email, TEST_PASSWORD, `/c/${community.slug}/events`);
    await checkPage(chair, 'calendar-month');
    await chair.getByRole('link', { name: 'Create an event' }).click();
    await chair.getByRole('button', { name: 'Create event' }).click();
    await chair.getByRole('alert').getByRole('link', { name: 'Enter the date of the event' }).waitFor();
    await checkPage(chair, 'event-form-errors');

    await chair.getByLabel('Title').fill('MHWP outcomes workshop');
    await chair.getByLabel('Description (optional)').fill('Bring **one** outcome measure you use.');
    await chair.getByLabel('Date').fill(date);
    await chair.getByLabel('Start time').fill('10:00');
    await chair.getByLabel('End time').fill('12:00');
    await chair.getByLabel('Online').check();
    await chair.getByLabel('Join link (optional)').fill('https://meet.example.nhs.net/mhwp');
    await chair.getByLabel('Number of places (optional)').fill('1');
    await chair.getByLabel('CPD hours (optional)').fill('2');
    await chair.getByRole('button', { name: 'Create event' }).click();
    await chair.getByRole('heading', { name: 'MHWP outcomes workshop' }).waitFor();
    await chair.getByText('Check-in code').waitFor();
    await checkPage(chair, 'event-co-chair');
    const eventId = new URL(chair.url()).pathname.split('/').pop()!;
    const [stored] = await web.stack.query<{ starts_at: Date; capacity: number }>(
      `SELECT starts_at, capacity FROM events WHERE id = $1`,
      [eventId],
    );
    expect(stored.capacity).toBe(1);
    // Entered as 10:00 UK time, stored as the right instant whatever the season.
    expect(
      new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/London', hour: '2-digit', minute: '2-digit' }).format(
        stored.starts_at,
      ),
    ).toBe('10:00');

    const alexPage = await newPage();
    await signIn(alexPage, alex.email, TEST_PASSWORD, `/events/${eventId}`);
    await alexPage.getByRole('button', { name: "I'm going" }).click();
    await alexPage.getByText('You are going. We have saved your place.').waitFor();
    await alexPage.getByText('0 of 1 left').waitFor();
    await checkPage(alexPage, 'event-going');
    const [download] = await Promise.all([
      alexPage.waitForEvent('download'),
      alexPage.getByRole('button', { name: /Download calendar file/ }).click(),
    ]);
    expect(download.suggestedFilename()).toBe('MHWP-outcomes-workshop.ics');
    const ics = readFileSync((await download.path())!, 'utf8');
    expect(ics).toContain('BEGIN:VCALENDAR');
    expect(ics).toContain('SUMMARY:MHWP outcomes workshop');
    // Someone going gets the join link in their calendar.
    expect(ics.replace(/\r\n[ \t]/g, '')).toContain('https://meet.example.nhs.net/mhwp');

    const joPage = await newPage();
    await signIn(joPage, jo.email, TEST_PASSWORD, `/events/${eventId}`);
    await joPage.getByRole('button', { name: 'Join the waiting list' }).click();
    await joPage.getByText('The event is full. You are number 1 on the waiting list.').waitFor();
    await checkPage(joPage, 'event-waitlisted');

    // Alex gives up the place; Jo is promoted and sees it without reloading (live event room).
    await alexPage.getByRole('button', { name: 'Give up my place' }).click();
    await alexPage.getByText('You have said you are not going.').waitFor();
    await joPage.getByText('You have a place.').waitFor();

    // Before the event starts, attendance is refused with a reason on the page.
    await chair.reload();
    await chair.getByLabel('Jo Waiting').check();
    await chair.getByRole('button', { name: 'Mark as attended' }).click();
    await chair.getByRole('alert').waitFor();
    // On the day (server time moved on), the co-chair records Jo; it lands on Jo's CPD record.
    web.stack.clock.advance(11 * 86_400_000);
    try {
      await chair.getByRole('button', { name: 'Mark as attended' }).click();
      await chair.getByText('Attendance recorded for 1 person.').waitFor();
      await chair.getByText('Attended', { exact: true }).waitFor();
      await checkPage(chair, 'event-attendance');
    } finally {
      web.stack.clock.set(new Date());
    }
    await joPage.goto('/cpd');
    await joPage.getByRole('heading', { name: 'MHWP outcomes workshop' }).waitFor();
    await joPage.getByText('Total: 2 hours').waitFor();
    await checkPage(joPage, 'cpd');

    // The month view of the calendar lists the event on its day.
    const [year, month] = date.split('-').map(Number);
    await joPage.goto(`/c/${community.slug}/events?year=${year}&month=${month}`);
    await joPage.getByRole('link', { name: 'MHWP outcomes workshop' }).waitFor();
    await joPage.goto(`/c/${community.slug}/events?year=${year}&month=all`);
    await joPage
      .getByRole('heading', { name: `${year}`, exact: false })
      .first()
      .waitFor();
    await checkPage(joPage, 'calendar-year');

    // Private feed link.
    await joPage.getByRole('button', { name: 'Get my calendar feed link' }).click();
    const feedUrl = await joPage.getByLabel('Your private calendar feed').inputValue();
    expect(feedUrl).toMatch(/\/api\/v1\/calendar\/feeds\/.+\.ics$/);
    const feed = await web.stack.http().get(new URL(feedUrl).pathname).expect(200);
    expect(feed.text).toContain('SUMMARY:MHWP outcomes workshop');
  });

  it('notifications and their settings are reachable and accessible; sign out ends the session', async () => {
    const member = await createMember(web.stack, community, 'member', { displayName: 'Nia Notes' });
    const page = await newPage();
    await signIn(page, member.email, TEST_PASSWORD, '/notifications');
    await checkPage(page, 'notifications');
    await page.getByRole('link', { name: 'Choose which notifications you get, and how' }).click();
    await page.getByRole('heading', { name: 'Notification settings' }).waitFor();
    await page.getByRole('group', { name: 'Event reminders' }).getByLabel('Daily email summary').check();
    await page.getByRole('button', { name: 'Save choices' }).click();
    await page.getByText('Your notification choices have been saved.').waitFor();
    await checkPage(page, 'notification-settings');
    const prefs = await web.stack
      .http()
      .get('/api/v1/me/notification-preferences')
      .set('Authorization', `Bearer ${member.token}`);
    expect(prefs.body.event_reminder).toBe('digest');

    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('heading', { name: 'You have signed out' }).waitFor();
    await page.goto('/profile');
    await page.waitForURL('**/sign-in?next=%2Fprofile');
    await checkPage(page, 'sign-in');
  });

  it('works with the keyboard alone: skip link, sign in and RSVP', async () => {
    const member = await createMember(web.stack, community, 'member', { displayName: 'Kim Keys' });
    const page = await newPage();
    await page.goto('/sign-in');
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Skip to main content');
    await page.keyboard.press('Enter');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('maincontent');
    // The focused element is visibly outlined (WCAG 2.4.7).
    await page.getByLabel('Email address').focus();
    const outline = await page.evaluate(() => {
      const style = getComputedStyle(document.activeElement!);
      return `${style.outlineStyle} ${style.boxShadow}`;
    });
    expect(outline).not.toBe('none none');
    await page.keyboard.type(member.email);
    await page.keyboard.press('Tab');
    await page.keyboard.type(TEST_PASSWORD);
    await page.keyboard.press('Enter');
    await page.waitForURL((url) => url.pathname === '/');

    const day = londonDate(5);
    const { body: event } = await web.stack
      .http()
      .post(`/api/v1/communities/${community.slug}/events`)
      .set('Authorization', `Bearer ${coChair.token}`)
      .send({
        title: 'Keyboard coffee morning',
        startsAt: `${day}T09:00:00Z`,
        endsAt: `${day}T10:00:00Z`,
        locationKind: 'online',
      })
      .expect(201);
    await page.goto(`/events/${event.id}`);
    const button = page.getByRole('button', { name: /I'm going|Join the waiting list/ });
    await button.focus();
    await page.keyboard.press('Enter');
    await page
      .getByText(/You are going|waiting list/)
      .first()
      .waitFor();
  });
});
