/// <reference lib="dom" />
import { randomUUID } from 'node:crypto';
import type { Page } from 'playwright-core';
import { createCommunity, createMember, TEST_PASSWORD, type TestCommunity } from '@cophub/testing';
import { BrowserStack, checkPage, signIn } from './browser';

/**
 * A member whose mail hard-bounced sees in the app that CoP Hub stopped emailing them, and why, and
 * asks for the confirmation email from there.
 */
describe('web app: paused email', () => {
  let web: BrowserStack;
  let community: TestCommunity;

  beforeAll(async () => {
    web = await BrowserStack.start();
    community = await createCommunity(web.stack, { name: 'North West Psychological Practitioner CoP' });
  }, 90_000);

  afterAll(async () => {
    await web?.close();
  });

  async function newPage(): Promise<Page> {
    return (await web.context()).newPage();
  }

  it('the notification settings say mail is paused, why, and send the confirmation email', async () => {
    const member = await createMember(web.stack, community, 'member', {
      displayName: 'Pat Paused',
      email: `pat.${randomUUID().slice(0, 6)}@example.nhs.net`,
    });
    // As the bounce handling records a hard bounce reported at a message's return path.
    await web.stack.query(
      `INSERT INTO mail_suppressions (address, reason, status, diagnostic)
       VALUES ($1, 'hard_bounce', '5.2.2', 'smtp; 552 5.2.2 Mailbox full')`,
      [member.email],
    );
    const page = await newPage();
    await signIn(page, member.email, TEST_PASSWORD, '/settings/notifications');
    await page.getByRole('heading', { name: 'Notification settings' }).waitFor();
    await page.getByText('Your email is paused').waitFor();
    await page.getByText(/status 5\.2\.2: "smtp; 552 5\.2\.2 Mailbox full"/).waitFor();
    await checkPage(page, 'notification-settings-paused');

    await page.getByRole('button', { name: 'Send me a confirmation email' }).click();
    await page.getByText(`We sent a confirmation link to ${member.email}.`).waitFor();
    await web.stack.smtp!.waitForMessageTo(member.email, 'Confirm your email address still works');

    // A member whose mail is not paused sees no warning.
    const other = await createMember(web.stack, community, 'member', { displayName: 'Olu Okay' });
    const second = await newPage();
    await signIn(second, other.email, TEST_PASSWORD, '/settings/notifications');
    await second.getByRole('button', { name: 'Save choices' }).waitFor();
    expect(await second.getByText('Your email is paused').count()).toBe(0);
  });
});
