/// <reference lib="dom" />
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import {
  createCommunity,
  createMember,
  scaled,
  TEST_PASSWORD,
  type TestCommunity,
  type TestUser,
} from '@cophub/testing';
import { bulkMembers, closePoll, createPoll, type CreatedPoll, openPoll, vote } from '../polls.helpers';
import { BrowserStack, checkPage, SCREENSHOTS, signIn } from './browser';

/**
 * The results page and the printable council report in a browser, on a desktop and a phone: bar
 * charts beside their tables (the tables being what a screen reader reads), percentages that add up,
 * breakdowns with hidden cells marked in words, the ranked-choice rules, labels instead of codes, and
 * a PDF to download. Axe finds nothing on either page at either size.
 */
describe('web app: poll results and the council report', () => {
  let web: BrowserStack;
  let community: TestCommunity;
  let coChair: TestUser;
  let poll: CreatedPoll;

  beforeAll(async () => {
    web = await BrowserStack.start();
    community = await createCommunity(web.stack, { name: 'North West PWP Community of Practice' });
    coChair = await createMember(web.stack, community, 'co_chair', { displayName: 'Cas Chair' });
    const members = await bulkMembers(web.stack, community, 24);
    await web.stack.query(`UPDATE users SET region = 'london' WHERE id = ANY($1::uuid[])`, [
      members.slice(16).map((m) => m.id),
    ]);
    // Four London and two Midlands respondents: both regions are under the threshold, so their rows are hidden.
    await web.stack.query(`UPDATE users SET region = 'midlands' WHERE id = ANY($1::uuid[])`, [
      members.slice(20).map((m) => m.id),
    ]);
    poll = await createPoll(web.stack, community, coChair, {
      title: 'Supervision and training',
      context: 'Your answers go to the **Workforce Council** in March.',
      questions: [
        { kind: 'single_choice', prompt: 'Do you get monthly supervision?', options: ['Yes', 'No', 'Not sure'] },
        { kind: 'ranked', prompt: 'What should the council push for?', options: ['Pay', 'Training', 'Workload'] },
        { kind: 'likert', prompt: 'My training prepared me for the role' },
        { kind: 'free_text', prompt: 'Anything else?', required: false },
      ],
    });
    await openPoll(web.stack, poll.id, coChair);
    const [single, ranked, likert, text] = poll.questions;
    const route = [0, 1, 0, 2, 1, 0, 1, 2, 0, 1, 2, 0, 1, 0, 2, 1];
    for (const [i, m] of members.slice(0, 22).entries()) {
      const answers: object[] = [
        { questionId: single.id, optionIds: [single.options[i < 16 ? route[i] : 1].id] },
        { questionId: ranked.id, ranking: [0, 1, 2].map((k) => ranked.options[(k + [0, 1, 1, 2, 0][i % 5]) % 3].id) },
        { questionId: likert.id, value: 1 + ((i * 3 + 1) % 5) },
      ];
      if (i < 6) answers.push({ questionId: text.id, text: `Comment ${i + 1}: more protected time` });
      const response = await vote(web.stack, poll.id, m.token, answers);
      if (response.status !== 201) throw new Error(`vote: ${response.status}`);
    }
    await closePoll(web.stack, poll.id, coChair);
    // Building the web app, starting Chromium and 22 ballots: slow on a loaded machine.
  }, scaled(240_000));

  afterAll(async () => {
    await web?.close();
  });

  /** Checks a page at 1280×800 and at 390×844 (axe, screenshots). */
  async function atBothSizes(page: Page, name: string) {
    await page.setViewportSize({ width: 1280, height: 800 });
    await checkPage(page, `${name}-1280x800`);
    await page.setViewportSize({ width: 390, height: 844 });
    await checkPage(page, `${name}-390x844`);
    await page.setViewportSize({ width: 1280, height: 800 });
  }

  it('shows results as tables with bars, percentages that add up, labels, hidden cells in words and the ranked rules', async () => {
    const page = await (await web.context()).newPage();
    await signIn(page, coChair.email, TEST_PASSWORD, `/polls/${poll.id}`);
    await page.getByText('22 of 25 invited members answered (88%).').waitFor();

    // The first question's table: every figure in text; the bars are hidden from assistive technology.
    const table = page.getByRole('table', { name: 'Answers to: Do you get monthly supervision?' });
    const percentages = await table.locator('tbody tr td:nth-child(3)').allTextContents();
    expect(percentages.map((p) => Math.round(parseFloat(p) * 10)).reduce((a, b) => a + b, 0)).toBe(1000);
    expect(await table.locator('.cophub-bar').count()).toBe(3);
    expect(await table.locator('td[aria-hidden="true"] .cophub-bar').count()).toBe(3);

    // Breakdowns by group, with labels and hidden cells said in words.
    await page
      .getByRole('table', { name: 'By profession' })
      .first()
      .getByRole('rowheader', { name: 'Psychological Wellbeing Practitioner (PWP)' })
      .waitFor();
    const body = (await page.locator('main').textContent()) ?? '';
    expect(body).toContain('Qualified');
    expect(body).not.toMatch(/north_west|career_stage|\bqualified\b/);
    expect(await page.getByRole('rowheader', { name: 'PWP', exact: true }).count()).toBe(0);
    expect(await page.locator('abbr.cophub-suppressed').count()).toBeGreaterThan(0);

    // How ranked questions are counted, in the API's words.
    await page.getByText('How ranked questions are counted').click();
    await page.getByText(/Borda count: with n options, a first choice earns n-1 points/).waitFor();
    await atBothSizes(page, 'poll-results');
  });

  it('prints the council report on A4 and downloads it as a PDF', async () => {
    const page = await (await web.context()).newPage();
    await signIn(page, coChair.email, TEST_PASSWORD, `/polls/${poll.id}`);
    await page.getByRole('link', { name: 'Council report (print or PDF)' }).click();
    await page.getByRole('heading', { level: 1, name: /Supervision and training/ }).waitFor();
    await page.getByRole('heading', { name: 'Method' }).waitFor();
    await page
      .getByText(/Opened\s*\w{3} \d{1,2} \w+ \d{4}, \d{2}:\d{2} (GMT|BST)/)
      .first()
      .waitFor();
    await page.getByText(/Instant runoff: in each round/).waitFor();
    expect((await page.locator('main').textContent()) ?? '').not.toMatch(/north_west|career_stage|\bqualified\b/);
    await atBothSizes(page, 'poll-report');

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Download PDF' }).click(),
    ]);
    expect(
      readFileSync((await download.path())!)
        .subarray(0, 5)
        .toString(),
    ).toBe('%PDF-');

    // In print, the navigation and buttons go and the report stays.
    await page.emulateMedia({ media: 'print' });
    expect(await page.getByRole('button', { name: 'Download PDF' }).isVisible()).toBe(false);
    expect(await page.locator('header').first().isVisible()).toBe(false);
    expect(await page.getByRole('heading', { name: 'Method' }).isVisible()).toBe(true);
    await page.screenshot({ path: join(SCREENSHOTS, 'poll-report-print.png'), fullPage: true });
  });
});
