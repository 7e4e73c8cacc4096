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
import { makePdf } from '../resources.helpers';
import { BrowserStack, checkPage, signIn } from './browser';

/**
 * The library in a browser: a co-chair uploads a PDF through the form (with its progress bar), the
 * worker extracts its text, and a member finds it by a word on its second page with the match
 * highlighted, opens it and downloads the same bytes.
 */
describe('web app: resources and search in a browser', () => {
  let web: BrowserStack;
  let community: TestCommunity;
  let coChair: TestUser;
  let member: TestUser;

  beforeAll(async () => {
    web = await BrowserStack.start();
    community = await createCommunity(web.stack, { name: 'Midlands PWP Community of Practice' });
    coChair = await createMember(web.stack, community, 'co_chair', { displayName: 'Casey Chair' });
    member = await createMember(web.stack, community, 'member', { displayName: 'Morgan Member' });
  }, 90_000);

  afterAll(async () => {
    await web?.close();
  });

  it('a co-chair uploads a PDF and a member finds it by search and downloads it', async () => {
    const pdf = await makePdf([
      'Terms of reference for the Midlands Community of Practice.',
      'Members meet quarterly. Supervision arrangements follow the stepped care model for kaleidoscope cases.',
    ]);
    const chair = await (await web.context()).newPage();
    await signIn(chair, coChair.email, TEST_PASSWORD, `/c/${community.slug}/resources`);
    await checkPage(chair, 'resources-empty');
    await chair.getByRole('link', { name: 'Add a resource' }).click();
    await chair.getByRole('button', { name: 'Add resource' }).click();
    await chair.getByRole('alert').getByRole('link', { name: 'Choose a file to upload' }).waitFor();
    await checkPage(chair, 'resource-form-errors');
    await chair.getByLabel('Title').fill('Terms of reference 2025');
    await chair.getByLabel('Tags (optional)').fill('Terms of reference, governance');
    await chair.getByLabel('File', { exact: true }).setInputFiles({
      name: 'terms-of-reference.pdf',
      mimeType: 'application/pdf',
      buffer: pdf,
    });
    await chair.getByRole('button', { name: 'Add resource' }).click();
    await chair.getByRole('heading', { name: 'Terms of reference 2025' }).waitFor();
    await chair.getByText('terms-of-reference.pdf (PDF').first().waitFor();
    await checkPage(chair, 'resource-co-chair');
    const resourceId = new URL(chair.url()).pathname.split('/').pop()!;

    await eventually(async () => {
      const rows = await web.stack.query<{ status: string }>(
        `SELECT extraction_status AS status FROM resource_versions WHERE resource_id = $1`,
        [resourceId],
      );
      return rows[0]?.status === 'done';
    }, 'text extraction');

    const page = await (await web.context()).newPage();
    await signIn(page, member.email, TEST_PASSWORD, `/c/${community.slug}/resources`);
    await page.getByRole('link', { name: 'Terms of reference 2025' }).waitFor();
    await checkPage(page, 'resources');
    await page.getByLabel('Show resources tagged').selectOption('governance');
    await page.getByRole('link', { name: 'Terms of reference 2025' }).waitFor();

    await page.getByRole('link', { name: 'Search', exact: true }).first().click();
    await page.getByLabel('Search the forum, events, resources and polls').fill('kaleidoscope');
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: '1 result for “kaleidoscope”' }).waitFor();
    const mark = page.locator('.cophub-snippet mark').first();
    expect((await mark.textContent())?.toLowerCase()).toBe('kaleidoscope');
    await checkPage(page, 'search-results');

    await page.getByRole('link', { name: 'Terms of reference 2025' }).click();
    await page.getByRole('heading', { name: 'Terms of reference 2025' }).waitFor();
    await checkPage(page, 'resource');
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Download version 1' }).first().click(),
    ]);
    expect(download.suggestedFilename()).toBe('terms-of-reference.pdf');
    expect(readFileSync((await download.path())!).equals(pdf)).toBe(true);

    // Nothing found is said in words, not an empty space.
    await page.goto(`/c/${community.slug}/search?q=zyxwvut`);
    await page.getByRole('heading', { name: 'No results for “zyxwvut”' }).waitFor();
  });
});
