/**
 * Before/after benchmarks in one run on one machine: `npm run bench:compare -- <git ref> [section ...]`.
 *
 * Checks out <ref> into a temporary folder, installs and builds it, builds this checkout, then runs each bench
 * section alternately (before, after, before, after: two rounds by default, BENCH_COMPARE_ROUNDS to change) so
 * that the machine's noise falls on both sides alike. Prints one table: each figure's median before and after
 * and the change in its first number, marked "worse" when it moves against the target by more than 5%.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT } from './harness';

interface Row {
  figure: string;
  target: string;
  measured: string;
}

const SECTIONS = [
  'platform',
  'identity',
  'mail',
  'mail-in',
  'forum',
  'events',
  'polls',
  'polls-property',
  'polls-council',
  'resources',
  'vote-rsvp',
  'web',
];

/** Rows of the markdown table `test/bench/run.ts` prints. */
export function parseTable(output: string): Row[] {
  const rows: Row[] = [];
  for (const line of output.split('\n')) {
    if (!line.startsWith('| ') || line.startsWith('| figure') || line.startsWith('|-')) continue;
    const cells = line
      .slice(1, -1)
      .split(' | ')
      .map((c) => c.trim());
    if (cells.length >= 3) rows.push({ figure: cells[0], target: cells[1], measured: cells[2] });
  }
  return rows;
}

/** The first number of a measured cell ("83.3 / 240.4 ms" → 83.3), or NaN. */
export function firstNumber(text: string): number {
  const match = /-?\d[\d,]*(\.\d+)?/.exec(text);
  return match ? Number(match[0].replace(/,/g, '')) : NaN;
}

/** +1 when a larger number is better (a floor such as "≥ 80"), −1 when smaller is better, 0 when unknown. */
export function direction(target: string): number {
  if (/^\s*(≥|>=|>)/.test(target)) return 1;
  if (/^\s*(≤|<=|<)/.test(target) || /\b(p50|p95|p99|ms|MB|kB|CPU)\b/.test(target)) return -1;
  return 0;
}

function median(values: number[]): number {
  const finite = values.filter(Number.isFinite).sort((a, b) => a - b);
  if (!finite.length) return NaN;
  const mid = Math.floor(finite.length / 2);
  return finite.length % 2 ? finite[mid] : (finite[mid - 1] + finite[mid]) / 2;
}

function runSection(dir: string, section: string): Row[] {
  const result = spawnSync('node', ['-r', '@swc-node/register', 'test/bench/run.ts', section], {
    cwd: dir,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
    env: process.env,
  });
  if (result.status !== 0) process.stderr.write(result.stderr.slice(-2000));
  return parseTable(result.stdout ?? '');
}

function main(): void {
  const [ref, ...only] = process.argv.slice(2);
  if (!ref) throw new Error('usage: npm run bench:compare -- <git ref> [section ...]');
  const sections = only.length ? only : SECTIONS;
  const rounds = Number(process.env.BENCH_COMPARE_ROUNDS ?? 2);
  const before = mkdtempSync(join(tmpdir(), 'cophub-bench-before-'));
  try {
    execFileSync('git', ['worktree', 'add', '--detach', before, ref], { cwd: ROOT, stdio: 'inherit' });
    execFileSync('npm', ['ci', '--no-audit', '--no-fund'], { cwd: before, stdio: 'inherit' });
    execFileSync('npm', ['run', '--silent', 'build'], { cwd: before, stdio: 'inherit' });
    const samples = new Map<string, { target: string; before: number[]; after: number[]; text: [string, string] }>();
    for (const section of sections) {
      if (!existsSync(join(before, 'test/bench', `${section}.bench.ts`))) {
        process.stderr.write(`skipping ${section}: not in ${ref}\n`);
        continue;
      }
      for (let round = 0; round < rounds; round++) {
        for (const [side, dir] of [
          ['before', before],
          ['after', ROOT],
        ] as const) {
          process.stderr.write(`${section} round ${round + 1} ${side}\n`);
          for (const row of runSection(dir, section)) {
            const entry = samples.get(row.figure) ?? { target: row.target, before: [], after: [], text: ['', ''] };
            entry[side].push(firstNumber(row.measured));
            entry.text[side === 'before' ? 0 : 1] = row.measured;
            samples.set(row.figure, entry);
          }
        }
      }
    }
    console.log(`\nBefore (${ref}) and after (HEAD), ${rounds} alternating rounds, medians of first numbers\n`);
    console.log('| figure | target | before | after | change | verdict |');
    console.log('|---|---|---|---|---|---|');
    for (const [figure, s] of samples) {
      const b = median(s.before);
      const a = median(s.after);
      const change = Number.isFinite(a) && Number.isFinite(b) && b !== 0 ? (a - b) / Math.abs(b) : NaN;
      const dir = direction(s.target);
      const worse = Number.isFinite(change) && dir !== 0 && change * dir < -0.05;
      const pct = Number.isFinite(change) ? `${change >= 0 ? '+' : ''}${(change * 100).toFixed(1)}%` : 'n/a';
      const verdict = !s.before.length ? 'new' : !s.after.length ? 'gone' : worse ? 'worse' : 'ok';
      console.log(`| ${figure} | ${s.target} | ${s.text[0] || '-'} | ${s.text[1] || '-'} | ${pct} | ${verdict} |`);
    }
  } finally {
    spawnSync('git', ['worktree', 'remove', '--force', before], { cwd: ROOT });
    rmSync(before, { recursive: true, force: true });
  }
}

if (require.main === module) main();
