/// <reference lib="dom" />
import { mkdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Locator, type Page } from 'playwright-core';
import { scaled, TestStack } from '@cophub/testing';
import { webBuild } from './web-build';

const ROOT = resolve(__dirname, '../../..');
export const SCREENSHOTS = join(ROOT, 'artifacts/screenshots');
const AXE_SOURCE = readFileSync(join(ROOT, 'node_modules/axe-core/axe.min.js'), 'utf8');
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** The real product (API + worker + SMTP sink) serving the production web build, and a Chromium. */
export class BrowserStack {
  private constructor(
    readonly stack: TestStack,
    readonly browser: Browser,
  ) {}

  static async start(env: Record<string, string> = {}): Promise<BrowserStack> {
    const [webRoot, browser] = await Promise.all([
      webBuild(),
      chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-dev-shm-usage'] }),
    ]);
    const stack = await TestStack.start({ env: { WEB_ROOT: webRoot, ...env } });
    return new BrowserStack(stack, browser);
  }

  /** A fresh browser profile (its own storage) pointed at the app. */
  async context(): Promise<BrowserContext> {
    const context = await this.browser.newContext({ baseURL: this.stack.url, acceptDownloads: true, locale: 'en-GB' });
    // Generous: on a busy machine an upload or a lazy chunk can take many seconds; a wait ends as soon
    // as its condition holds, so this costs nothing when things are quick.
    context.setDefaultTimeout(scaled(30_000));
    return context;
  }

  async close(): Promise<void> {
    await this.browser.close().catch(() => undefined);
    await this.stack.close();
  }
}

/**
 * The texts of every element a locator matches, once they equal `expected` (after a change, the list
 * is refetched: reading it at once can see the previous answer). Returns what was last seen, so a
 * failing `toEqual` shows the difference.
 */
export async function textsOnceEqual(locator: Locator, expected: string[]): Promise<string[]> {
  const deadline = Date.now() + scaled(30_000);
  let seen = await locator.allTextContents();
  while (JSON.stringify(seen) !== JSON.stringify(expected) && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    seen = await locator.allTextContents();
  }
  return seen;
}

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: Array<{ target: string[]; failureSummary?: string }>;
}

/**
 * Runs axe-core in the page against WCAG 2.2 AA (and the A/AA rules of 2.0 and 2.1) and returns the
 * violations in a readable form, so a failing assertion says what and where.
 */
export async function axeViolations(page: Page): Promise<string[]> {
  const loaded = await page.evaluate(() => typeof (window as unknown as { axe?: unknown }).axe !== 'undefined');
  // Evaluated over the DevTools protocol: the app's CSP (no inline scripts) stays on for the test.
  if (!loaded) await page.evaluate(AXE_SOURCE);
  const violations = await page.evaluate(async () => {
    const axe = (
      window as unknown as { axe: { run: (ctx: unknown, opts: unknown) => Promise<{ violations: unknown[] }> } }
    ).axe;
    const result = await axe.run(document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'] },
    });
    return result.violations;
  });
  return (violations as AxeViolation[]).map(
    (v) => `${v.id} (${v.impact}): ${v.help} at ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`,
  );
}

/** Checks accessibility and saves a full-page screenshot named after the page. */
export async function checkPage(page: Page, name: string): Promise<void> {
  await page.waitForLoadState('load');
  // Let lazy chunks and data settle: no "Loading…" status left on the page.
  // Settled: a heading, no API request in flight, no "Loading…" left (checked twice, a frame apart).
  const settled = () =>
    Boolean(document.querySelector('main h1')) &&
    (document.documentElement.dataset.pending ?? '0') === '0' &&
    !Array.from(document.querySelectorAll('main [role="status"]')).some((el) => el.textContent?.endsWith('…'));
  for (let i = 0; i < 2; i++) {
    await page.waitForFunction(settled, null, { timeout: scaled(10_000) });
    await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => setTimeout(r, 50))));
  }
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
  expect(await axeViolations(page)).toEqual([]);
}

/** The link in the latest email to `to` whose path starts with `path`. */
export function linkFromMail(stack: TestStack, to: string, path: string): string {
  const mail = [...(stack.smtp?.messages ?? [])].reverse().find((m) => m.to.includes(to.toLowerCase()));
  if (!mail) throw new Error(`no mail to ${to}`);
  const match = new RegExp(`https?://[^\\s"<>]+${path.replace(/[/?]/g, '\\$&')}[^\\s"<>]*`).exec(mail.text);
  if (!match) throw new Error(`no ${path} link in mail "${mail.subject}"`);
  const url = new URL(match[0]);
  return url.pathname + url.search;
}

/** Signs in through the form, as a person would. */
export async function signIn(page: Page, email: string, password: string, next = '/'): Promise<void> {
  await page.goto(`/sign-in?next=${encodeURIComponent(next)}`);
  await page.getByLabel('Email address').fill(email);
  await page.getByLabel('Password', { exact: true }).fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL((url) => url.pathname === next.split('?')[0]);
}

/** A London calendar date `days` from now, as the date input wants it (YYYY-MM-DD). */
export function londonDate(days: number): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/London' }).format(
    new Date(Date.now() + days * 86_400_000),
  );
}
