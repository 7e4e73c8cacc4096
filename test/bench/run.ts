import { cpus } from 'node:os';
import { forumBench } from './forum.bench';
import { BenchRow } from './harness';
import { eventsBench } from './events.bench';
import { identityBench } from './identity.bench';
import { mailBench } from './mail.bench';
import { mailInBench } from './mail-in.bench';
import { resourcesBench } from './resources.bench';
import { platformBench } from './platform.bench';
import { pollsBench } from './polls.bench';
import { pollsPropertyBench } from './polls-property.bench';
import { pollsCouncilBench } from './polls-council.bench';
import { voteRsvpBench } from './vote-rsvp.bench';
import { webBench } from './web.bench';

export interface Bench {
  name: string;
  run(): Promise<BenchRow[]>;
}

/** Every benchmark, in the order they print. Later modules add theirs here. */
const BENCHES: Bench[] = [
  platformBench,
  identityBench,
  mailBench,
  mailInBench,
  forumBench,
  eventsBench,
  pollsBench,
  pollsPropertyBench,
  pollsCouncilBench,
  resourcesBench,
  voteRsvpBench,
  webBench,
];

function printTable(rows: BenchRow[]): void {
  const header = ['figure', 'target', 'measured', 'meets', 'vs ceiling'];
  const body = rows.map((r) => [
    r.figure,
    r.target,
    r.measured,
    r.ok === null ? '-' : r.ok ? 'yes' : 'NO',
    r.ratio ?? '',
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((b) => b[i].length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i])).join(' | ')} |`;
  console.log(line(header));
  console.log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
  for (const b of body) console.log(line(b));
}

async function main(): Promise<void> {
  const only = process.argv.slice(2);
  const selected = only.length ? BENCHES.filter((b) => only.includes(b.name)) : BENCHES;
  const rows: BenchRow[] = [];
  for (const bench of selected) {
    process.stderr.write(`running ${bench.name} benchmarks...\n`);
    try {
      rows.push(...(await bench.run()));
    } catch (error) {
      rows.push({
        figure: `${bench.name}: failed`,
        target: '-',
        measured: (error as Error).message.slice(0, 120),
        ok: false,
      });
    }
  }
  console.log(`\nCoP Hub benchmarks (${new Date().toISOString()}, ${cpus().length} cores, medians of repeated runs)\n`);
  printTable(rows);
}

main().then(
  () => process.exit(0),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
