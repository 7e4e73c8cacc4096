/// <reference lib="dom" />
import { readFileSync } from 'node:fs';
import { createCommunity, createMember, TEST_PASSWORD, type TestCommunity, type TestUser } from '@cophub/testing';
import { BrowserStack, checkPage, signIn } from './browser';

/**
 * Polls in a browser: a co-chair builds and opens a poll with live results, members answer a
 * single-choice question and a ranked question (one by keyboard, moving an option up), the co-chair
 * watches the count rise without reloading, closes it, and the breakdown tables mark hidden cells.
 */
describe('web app: polls in a browser', () => {
  let web: BrowserStack;
  let community: TestCommunity;
  let coChair: TestUser;
  let members: TestUser[];

  beforeAll(async () => {
    web = await BrowserStack.start();
    community = await createCommunity(web.stack, { name: 'South West MHWP Network' });
    coChair = await createMember(web.stack, community, 'co_chair', { displayName: 'Sol Chair' });
    members = await Promise.all(
      ['Ada', 'Bo', 'Cy'].map((name, i) =>
        createMember(web.stack, community, 'member', {
          displayName: `${name} Member`,
          profession: i === 0 ? 'PWP' : 'MHWP',
        }),
      ),
    );
  }, 90_000);

  afterAll(async () => {
    await web?.close();
  });

  it('a co-chair creates and opens a poll, members answer, results appear live and breakdowns hide small cells', async () => {
    const chair = await (await web.context()).newPage();
    await signIn(chair, coChair.email, TEST_PASSWORD, `/c/${community.slug}/polls`);
    await checkPage(chair, 'polls-empty');
    await chair.getByRole('link', { name: 'Create a poll' }).click();
    await chair.getByRole('button', { name: 'Save draft' }).click();
    await chair.getByRole('alert').getByRole('link', { name: 'Question 1: choose the kind of question' }).waitFor();
    await checkPage(chair, 'poll-builder-errors');

    await chair.getByLabel('Title').fill('MHWP career progression');
    await chair.getByLabel('Why you are asking (optional)').fill('For the **Workforce Council** in March.');
    await chair.getByLabel('As answers come in').check();
    await chair.getByLabel('Kind of question').selectOption('single_choice');
    await chair.getByLabel('Question', { exact: true }).fill('Is there a clear band 5 to band 6 route?');
    await chair.getByLabel('Options').fill('Yes\nNo\nNot sure');
    await chair.getByRole('button', { name: 'Add another question' }).click();
    const second = chair.getByRole('group', { name: 'Question 2' });
    await second.getByLabel('Kind of question').selectOption('ranked');
    await second.getByLabel('Question', { exact: true }).fill('What would help most?');
    await second.getByLabel('Options').fill('Supervision time\nFunded training\nProtected CPD days');
    await chair.getByRole('button', { name: 'Save draft' }).click();
    await chair.getByRole('heading', { name: 'MHWP career progression' }).waitFor();
    await chair.getByText('Draft', { exact: true }).waitFor();
    await chair.getByRole('button', { name: 'Open the poll now' }).click();
    // Everyone approved is in the audience, the co-chair included.
    await chair.getByRole('dialog', { name: 'Open this poll and email 4 members?' }).waitFor();
    await chair.getByRole('button', { name: 'Open and email 4 members' }).click();
    await chair.getByText('The poll is open. Members have been invited.').waitFor();
    // Everyone approved when it opened is invited, the co-chair included.
    await chair.getByText('0 of 4 invited members answered (0%).').waitFor();
    await checkPage(chair, 'poll-co-chair-open');
    const pollPath = new URL(chair.url()).pathname;

    // Ada answers with the mouse-free path: radios and Move up buttons.
    const ada = await (await web.context()).newPage();
    await signIn(ada, members[0].email, TEST_PASSWORD, pollPath);
    await ada.getByRole('heading', { name: 'Your answers' }).waitFor();
    await checkPage(ada, 'poll-answer');
    await ada.getByRole('button', { name: 'Send my answers' }).click();
    await ada.getByRole('alert').getByRole('link', { name: 'Question 1: choose an answer' }).waitFor();
    await ada.getByLabel('No', { exact: true }).check();
    const moveUp = ada.getByRole('button', { name: 'Move up (Protected CPD days)' });
    await moveUp.focus();
    await ada.keyboard.press('Enter');
    await ada.getByRole('button', { name: 'Move up (Protected CPD days)' }).focus();
    await ada.keyboard.press('Enter');
    await ada.getByText('Protected CPD days is now number 1 of 3.').waitFor();
    await ada.getByRole('button', { name: 'Send my answers' }).click();
    await ada.getByText('Thank you. Your answers have been recorded.').waitFor();

    // An open anonymous poll shows how many have answered, never what; the page says how counts are shown.
    await chair
      .getByText(/Counts in anonymous results are shown from the close, only for groups of at least 5/)
      .waitFor();
    expect(
      await chair.getByText(/Answers to an anonymous poll are counted and published once/).count(),
    ).toBeGreaterThan(0);

    for (const member of members.slice(1)) {
      const page = await (await web.context()).newPage();
      await signIn(page, member.email, TEST_PASSWORD, pollPath);
      await page.getByLabel('No', { exact: true }).check();
      await page.getByRole('button', { name: 'Send my answers' }).click();
      await page.getByText('Thank you. Your answers have been recorded.').waitFor();
      await page.context().close();
    }
    await chair.getByRole('button', { name: 'Close the poll now' }).click();
    await chair
      .getByRole('dialog', { name: 'Close this poll now?' })
      .getByRole('button', { name: 'Close the poll' })
      .click();
    await chair.getByText('The poll is closed.').waitFor();
    await chair.getByText('3 of 4 invited members answered (75%).').waitFor();
    // Three respondents and a threshold of 5: no answers are published at all (decided from the turnout,
    // never from the answers), and the page says why in words.
    await chair.getByText('No answers are published, because fewer than 5 people responded.').waitFor();
    expect(await chair.getByRole('table', { name: 'By profession' }).count()).toBe(0);
    await checkPage(chair, 'poll-results-closed');

    const [csv] = await Promise.all([
      chair.waitForEvent('download'),
      chair.getByRole('button', { name: 'Download results (CSV)' }).click(),
    ]);
    const text = readFileSync((await csv.path())!, 'utf8');
    // The CSV publishes no more than the page: no counts, and the reason in words.
    expect(text).toContain('No answers are published, because fewer than 5 people responded.');
    expect(text).not.toMatch(/"Result",/);

    await ada.goto(`/c/${community.slug}/polls`);
    await ada.getByRole('link', { name: 'MHWP career progression' }).waitFor();
    await checkPage(ada, 'polls');
  });
});
