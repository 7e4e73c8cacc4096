/// <reference lib="dom" />
import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { createCommunity, createMember, TEST_PASSWORD, type TestCommunity, type TestUser } from '@cophub/testing';
import { BrowserStack, checkPage, londonDate, signIn } from './browser';

/** Accessibility checked and screenshots taken on a laptop (1280×800) and a phone (390×844). */
async function checkBothSizes(page: Page, name: string): Promise<void> {
  await page.setViewportSize({ width: 1280, height: 800 });
  await checkPage(page, `${name}-1280x800`);
  await page.setViewportSize({ width: 390, height: 844 });
  await checkPage(page, `${name}-390x844`);
  await page.setViewportSize({ width: 1280, height: 800 });
}

/**
 * The co-chair's survey builder in a browser: an audience with its live count, times in UK time
 * (the repeated autumn hour asked about), questions of several kinds reordered with buttons, a
 * preview that checks answers without sending them, editing the draft, scheduling and opening after
 * confirmations that say how many members will be emailed, members in and out of the audience,
 * closing after a confirmation, and the CSV and PDF exports.
 */
describe('web app: the poll builder in a browser', () => {
  let web: BrowserStack;
  let community: TestCommunity;
  let coChair: TestUser;
  let pwps: TestUser[];
  let mhwp: TestUser;

  beforeAll(async () => {
    web = await BrowserStack.start();
    community = await createCommunity(web.stack, { name: 'North West PWP Community of Practice' });
    coChair = await createMember(web.stack, community, 'co_chair', {
      displayName: 'Cass Chair',
      profession: 'MHWP',
      careerStage: 'senior',
    });
    pwps = await Promise.all(
      ['Pia', 'Pat'].map((name) =>
        createMember(web.stack, community, 'member', { displayName: `${name} Member`, profession: 'PWP' }),
      ),
    );
    mhwp = await createMember(web.stack, community, 'member', { displayName: 'Max Member', profession: 'MHWP' });
  }, 90_000);

  afterAll(async () => {
    await web?.close();
  });

  it('a co-chair builds, previews, edits, schedules and opens a PWP-only survey after confirming the count, then closes it and exports the results', async () => {
    const chair = await (await web.context()).newPage();
    await chair.setViewportSize({ width: 1280, height: 800 });
    await signIn(chair, coChair.email, TEST_PASSWORD, `/c/${community.slug}/polls/new`);
    await chair.getByText('Everyone: 4 members today, all of them invited by email.').waitFor();
    await checkBothSizes(chair, 'poll-builder-new');

    await chair.getByLabel('Title').fill('PWP supervision survey');
    await chair.getByLabel('Why you are asking (optional)').fill('For the **Workforce Council** in March.');
    // The audience: PWPs only, counted live.
    await chair.getByLabel('Psychological Wellbeing Practitioner (PWP)').check();
    await chair.getByText('This audience: 2 members today, all of them invited by email.').waitFor();
    await chair.getByText(/You cannot see who answered what, or who has answered/).waitFor();

    // Times are UK time; on the night the clocks go back, 01:30 happens twice and the builder asks which.
    await chair.getByRole('group', { name: 'When does it open?' }).getByLabel('At a set time').check();
    await chair.locator('#opens-date').fill('2030-10-27');
    await chair.locator('#opens-time').fill('01:30');
    const which = chair.getByRole('group', { name: /Which 01:30\?/ });
    await which.getByLabel('01:30 GMT, the second time (an hour later)').check();
    await chair.getByText('That is Sun 27 October 2030, 01:30 GMT.').waitFor();
    // The real schedule: opens in two days at 09:00, closes in four at 17:00.
    await chair.locator('#opens-date').fill(londonDate(2));
    await chair.locator('#opens-time').fill('09:00');
    await chair.getByRole('group', { name: 'When does it close?' }).getByLabel('At a set time').check();
    await chair.locator('#closes-date').fill(londonDate(4));
    await chair.locator('#closes-time').fill('17:00');
    expect(await chair.getByText(/^That is .+, 17:00 (GMT|BST)\.$/).count()).toBe(1);

    // Three questions of different kinds; the last is moved to the top with the keyboard.
    await chair.getByLabel('Kind of question').selectOption('single_choice');
    await chair.getByLabel('Question', { exact: true }).fill('Do you get monthly clinical supervision?');
    await chair.getByLabel('Options').fill('Yes\nNo\nSometimes');
    await chair.getByRole('button', { name: 'Add another question' }).click();
    const second = chair.getByRole('group', { name: 'Question 2' });
    await second.getByLabel('Kind of question').selectOption('multiple_choice');
    await second.getByLabel('Question', { exact: true }).fill('What would help most?');
    await second.getByLabel('Options').fill('Protected time\nGroup supervision\nA named supervisor');
    await second.getByLabel('Most choices').fill('2');
    await chair.getByRole('button', { name: 'Add another question' }).click();
    const third = chair.getByRole('group', { name: 'Question 3' });
    await third.getByLabel('Kind of question').selectOption('likert');
    await third.getByLabel('Question', { exact: true }).fill('Supervision helps me in my role');
    await chair.getByRole('button', { name: 'Move up question 3' }).focus();
    await chair.keyboard.press('Enter');
    await chair.getByText('Question moved to position 2 of 3.').waitFor();
    await chair.getByRole('button', { name: 'Move up question 2' }).focus();
    await chair.keyboard.press('Enter');
    await chair.getByText('Question moved to position 1 of 3.').waitFor();
    expect(
      await chair.getByRole('group', { name: 'Question 1' }).getByLabel('Question', { exact: true }).inputValue(),
    ).toBe('Supervision helps me in my role');
    await checkBothSizes(chair, 'poll-builder-filled');
    await chair.getByRole('button', { name: 'Save draft' }).click();
    await chair.getByRole('heading', { name: 'PWP supervision survey' }).waitFor();
    await chair.getByText('Draft', { exact: true }).waitFor();
    const pollPath = new URL(chair.url()).pathname;

    // The preview is the member's page: same form, same checks, nothing sent.
    await chair.getByRole('link', { name: 'Preview as members will see it' }).click();
    await chair.getByText('This is how members will see the poll.', { exact: false }).waitFor();
    await chair.getByRole('group', { name: /Supervision helps me in my role/ }).waitFor();
    await checkBothSizes(chair, 'poll-preview');
    await chair.getByRole('button', { name: 'Send my answers' }).click();
    await chair.getByRole('alert').getByRole('link', { name: 'Question 1: choose an answer' }).waitFor();
    await chair.getByLabel('Agree', { exact: true }).check();
    await chair.getByLabel('Sometimes').check();
    for (const option of ['Protected time', 'Group supervision', 'A named supervisor']) {
      await chair.getByLabel(option).check();
    }
    await chair.getByRole('button', { name: 'Send my answers' }).click();
    await chair.getByRole('alert').getByRole('link', { name: 'Question 3: choose no more than 2' }).waitFor();
    await chair.getByLabel('A named supervisor').uncheck();
    await chair.getByRole('button', { name: 'Send my answers' }).click();
    await chair.getByText('These answers pass every check. This is a preview, so nothing was sent.').waitFor();
    const [stored] = await web.stack.query<{ n: number }>(
      `SELECT (SELECT count(*) FROM poll_ballots) + (SELECT count(*) FROM poll_sealed_ballots) AS n`,
    );
    expect(Number(stored.n)).toBe(0);

    // Edit the draft: the saved settings and times come back, and a change is kept.
    await chair.getByRole('link', { name: 'Edit this draft' }).click();
    await chair.getByRole('heading', { name: 'Edit a draft poll' }).waitFor();
    expect(await chair.getByLabel('Psychological Wellbeing Practitioner (PWP)').isChecked()).toBe(true);
    expect(await chair.locator('#closes-time').inputValue()).toBe('17:00');
    await chair.getByLabel('Title').fill('PWP supervision survey 2026');
    await chair.getByRole('button', { name: 'Save draft' }).click();
    await chair.getByRole('heading', { name: 'PWP supervision survey 2026' }).waitFor();
    await chair.getByText(/^Planned opening$/).waitFor();

    // Scheduling asks first, and says how many will be emailed.
    await chair.getByRole('button', { name: 'Schedule the poll' }).click();
    const schedule = chair.getByRole('dialog', { name: /Schedule this poll to open on .+, 09:00 (GMT|BST)\?/ });
    await schedule.getByText(/When it opens, 2 members will be emailed/).waitFor();
    await schedule.getByRole('button', { name: 'Schedule the poll' }).click();
    await chair.getByText('The poll is scheduled. Members will be invited when it opens.').waitFor();
    await chair.getByText('Upcoming', { exact: true }).waitFor();

    // Opening now, after the confirmation with the count; cancelling first changes nothing.
    await chair.getByRole('button', { name: 'Open the poll now' }).click();
    const open = chair.getByRole('dialog', { name: 'Open this poll and email 2 members?' });
    await open.waitFor();
    await checkBothSizes(chair, 'poll-open-confirmation');
    await open.getByRole('button', { name: 'Cancel' }).click();
    await open.waitFor({ state: 'hidden' });
    expect((await web.stack.query<{ status: string }>(`SELECT status FROM polls`))[0].status).toBe('scheduled');
    await chair.getByRole('button', { name: 'Open the poll now' }).click();
    await chair.getByRole('button', { name: 'Open and email 2 members' }).click();
    await chair.getByText('The poll is open. Members have been invited.').waitFor();
    await chair.getByText('0 of 2 invited members answered (0%).').waitFor();
    // The invitations go through the outbox to the two PWPs only.
    for (const member of pwps) await web.stack.smtp!.waitForMessageTo(member.email, 'PWP supervision survey 2026');
    expect(web.stack.smtp!.to(mhwp.email)).toEqual([]);

    // Members in the audience answer; the MHWP outside it is told so in words.
    for (const member of pwps) {
      const page = await (await web.context()).newPage();
      await signIn(page, member.email, TEST_PASSWORD, pollPath);
      await page.getByRole('heading', { name: 'Your answers' }).waitFor();
      await page.getByLabel('Agree', { exact: true }).check();
      await page.getByLabel('Protected time').check();
      await page.getByLabel('No', { exact: true }).check();
      await page.getByRole('button', { name: 'Send my answers' }).click();
      await page.getByText('Thank you. Your answers have been recorded.').waitFor();
      await page.context().close();
    }
    const outside = await (await web.context()).newPage();
    await signIn(outside, mhwp.email, TEST_PASSWORD, pollPath);
    await outside.getByRole('heading', { name: 'This poll is not open to you' }).waitFor();
    await outside.getByText(/You are not in that group, so you cannot see or answer this poll/).waitFor();
    await checkPage(outside, 'poll-not-in-audience');
    await outside.context().close();

    // Remind now: only a sentence, never who or how many.
    await chair.getByRole('button', { name: 'Remind now' }).click();
    await chair.getByText('Reminder sent to members who have not answered.', { exact: true }).waitFor();
    await chair.getByText(/You can send another reminder from/).waitFor();
    // And the next reminder at a chosen time.
    await chair.locator('#next-remind-date').fill(londonDate(3));
    await chair.locator('#next-remind-time').fill('12:00');
    await chair.getByRole('button', { name: 'Plan the reminder' }).click();
    await chair.getByText(/^A reminder is planned for .+, 12:00 (GMT|BST)\.$/).waitFor();
    await checkBothSizes(chair, 'poll-open-manage');

    // Closing asks first.
    await chair.getByRole('button', { name: 'Close the poll now' }).click();
    const close = chair.getByRole('dialog', { name: 'Close this poll now?' });
    await close.getByText('Members will no longer be able to answer. Closing cannot be undone.').waitFor();
    await close.getByRole('button', { name: 'Close the poll' }).click();
    await chair.getByText('The poll is closed.').waitFor();
    await chair.getByText('2 of 2 invited members answered (100%).').waitFor();

    const [csv] = await Promise.all([
      chair.waitForEvent('download'),
      chair.getByRole('button', { name: 'Download results (CSV)' }).click(),
    ]);
    const text = readFileSync((await csv.path())!, 'utf8');
    // Two respondents, under the threshold of 5: nothing is published (decided from the turnout, never from the
    // answers), and the export says why.
    expect(text).toContain('No answers are published, because fewer than 5 people responded.');
    expect(text).not.toMatch(/"Result",/);

    await chair.getByRole('link', { name: 'Council report (print or PDF)' }).click();
    const [pdf] = await Promise.all([
      chair.waitForEvent('download'),
      chair.getByRole('button', { name: 'Download PDF' }).click(),
    ]);
    const report = readFileSync((await pdf.path())!);
    expect(report.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(pdf.suggestedFilename()).toMatch(/\.pdf$/);

    await chair.goBack();
    // A closed poll can seed a new draft with the same questions and settings.
    await chair.getByRole('link', { name: 'Use this poll as a template' }).click();
    await chair.getByRole('heading', { name: 'Create a poll from a template' }).waitFor();
    expect(await chair.getByLabel('Title').inputValue()).toBe('PWP supervision survey 2026');
    expect(await chair.getByLabel('Psychological Wellbeing Practitioner (PWP)').isChecked()).toBe(true);
    expect(await chair.getByRole('group', { name: 'Question 3' }).getByLabel('Most choices').inputValue()).toBe('2');
  });
});
