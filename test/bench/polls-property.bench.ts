import fc from 'fast-check';
import { checkPoll, pollArbitrary } from '../polls-property';
import type { Bench } from './run';
import { BenchRow, fmt, percentile } from './harness';

const POLLS = Number(process.env.POLLS_PROPERTY_BENCH_RUNS ?? 2000);

/**
 * The property suite at bench scale: random polls published, rendered (JSON, CSV, summary) and
 * attacked with the member list; no member's answer or hidden cell may be determined. Pure
 * computation (no database), so it also times the publication with its auditor.
 */
export const pollsPropertyBench: Bench = {
  name: 'polls-property',
  async run(): Promise<BenchRow[]> {
    const times: number[] = [];
    let failures = 0;
    let withheld = 0;
    const result = await fc.check(
      fc.asyncProperty(pollArbitrary, async (shape) => {
        const started = performance.now();
        const check = await checkPoll(shape);
        times.push(performance.now() - started);
        if (check.withheld) withheld += 1;
        const ok = !check.disclosures.length && !check.extra.length;
        if (!ok) failures += 1;
        return ok;
      }),
      { numRuns: POLLS },
    );
    return [
      {
        figure: `random polls published and attacked (1–300 members, every kind)`,
        target: `${fmt(POLLS)}, 0 determined`,
        measured: `${fmt(times.length)} polls, ${failures} determined${result.failed ? ` (seed ${result.seed})` : ''}, ${fmt(withheld)} with something withheld`,
        ok: !result.failed && times.length === POLLS,
      },
      {
        figure: 'publish + audit + render + attack, per poll p50 / p95',
        target: '-',
        measured: `${fmt(percentile(times, 50), 1)} / ${fmt(percentile(times, 95), 1)} ms`,
        ok: null,
      },
    ];
  },
};
