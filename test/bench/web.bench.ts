/// <reference lib="dom" />
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { chromium } from 'playwright-core';
import type { Bench } from './run';
import { BenchEnvironment, BenchRow, fmt, median, ROOT } from './harness';

const WEB_ROOT = resolve(ROOT, 'dist/web');
const LOADS = 7;

function gzipKb(path: string): number {
  return gzipSync(readFileSync(path), { level: 9 }).length / 1024;
}

/**
 * The production web build (`npm run build` makes `dist/web`): the gzipped size of the entry chunk
 * every visitor downloads (routes are split into their own chunks), and the first load of the home
 * page from the API process on localhost in Chromium, each load in a fresh profile (cold cache).
 */
export const webBench: Bench = {
  name: 'web',
  async run(): Promise<BenchRow[]> {
    const index = join(WEB_ROOT, 'index.html');
    if (!existsSync(index)) throw new Error('dist/web is missing: run npm run build');
    const html = readFileSync(index, 'utf8');
    const entry = /<script type="module"[^>]*src="\/([^"]+)"/.exec(html)?.[1];
    if (!entry) throw new Error('no entry script in dist/web/index.html');
    const mainKb = gzipKb(join(WEB_ROOT, entry));
    const css = readdirSync(join(WEB_ROOT, 'assets')).filter((f) => f.endsWith('.css'));
    const cssKb = css.reduce((sum, f) => sum + gzipKb(join(WEB_ROOT, 'assets', f)), 0);
    const chunks = readdirSync(join(WEB_ROOT, 'assets')).filter((f) => f.endsWith('.js')).length;

    const env = await BenchEnvironment.start({ WEB_ROOT });
    const browser = await chromium.launch({
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-dev-shm-usage'],
    });
    try {
      const api = await env.startApi();
      const loads: number[] = [];
      const rendered: number[] = [];
      for (let i = 0; i < LOADS; i++) {
        const context = await browser.newContext();
        const page = await context.newPage();
        const started = Date.now();
        await page.goto(`${api.url}/`, { waitUntil: 'load' });
        // The app has rendered its first heading (React mounted, lazy code for the page loaded).
        await page.locator('main h1').waitFor();
        const done = Date.now() - started;
        const timing = await page.evaluate(() => {
          const nav = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming;
          return nav.loadEventEnd - nav.startTime;
        });
        // The first load warms the server (and the OS page cache); it is not counted.
        if (i > 0) {
          loads.push(timing);
          rendered.push(done);
        }
        await context.close();
      }
      return [
        {
          figure: 'web: main bundle (entry chunk, gzipped)',
          target: '< 250 kB',
          measured: `${fmt(mainKb, 1)} kB (${chunks} chunks; CSS ${fmt(cssKb, 1)} kB gzipped)`,
          ok: mainKb < 250,
        },
        {
          figure: 'web: first page load, localhost, Chromium, cold cache (load event)',
          target: '< 1 s',
          measured: `${fmt(median(loads))} ms median, worst ${fmt(Math.max(...loads))} ms`,
          ok: median(loads) < 1000,
        },
        {
          figure: 'web: navigation to first heading rendered',
          target: '< 1 s',
          measured: `${fmt(median(rendered))} ms median`,
          ok: median(rendered) < 1000,
        },
      ];
    } finally {
      await browser.close();
      await env.close();
    }
  },
};
