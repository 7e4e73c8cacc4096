import {
  assembleResults,
  columnsOf,
  Poll,
  PollTally,
  profileKey,
  publishAnonymous,
  publishResults,
  QuestionKind,
  QuestionSpec,
} from '@cophub/polls';
import { AnonymousPollShape, buildAnonymousPoll } from '../polls-property';
import type { Bench } from './run';
import { BenchRow, fmt } from './harness';

const RUNS = 40;

/**
 * What a council report of a 40-respondent, 5-question anonymous poll keeps, under the audited exact
 * publication used before and under the cell-key publication now: overall counts and breakdown cells
 * shown, and how far shown counts are from the truth. Random polls of 45 members (4 professions, 3
 * career stages, 2 regions, skewed), 40 of whom answer; single choice, multiple choice, ranked, Likert
 * and free text.
 */
export const pollsCouncilBench: Bench = {
  name: 'polls-council',
  async run(): Promise<BenchRow[]> {
    const totals = {
      before: { overallShown: 0, overall: 0, cellsShown: 0, cells: 0, rankedShown: 0 },
      now: { overallShown: 0, overall: 0, cellsShown: 0, cells: 0, rankedShown: 0, moved: 0, absMoved: 0, maxMoved: 0 },
      texts: { before: 0, now: 0 },
    };
    for (let run = 0; run < RUNS; run += 1) {
      const shape: AnonymousPollShape = {
        members: 45,
        threshold: 5,
        groups: [4, 3, 2],
        skew: 1,
        turnout: 0.89,
        ineligible: 0,
        conformity: 0.5,
        questions: [
          { kind: QuestionKind.SingleChoice, required: true, options: 3, limits: [0, 0] },
          { kind: QuestionKind.MultipleChoice, required: true, options: 4, limits: [1, 2] },
          { kind: QuestionKind.Ranked, required: true, options: 3, limits: [0, 0] },
          { kind: QuestionKind.Likert, required: true, options: 2, limits: [0, 0] },
          { kind: QuestionKind.FreeText, required: false, options: 2, limits: [0, 0] },
        ],
        seed: 1000 + run,
      };
      const { specs, snapshot, voters } = buildAnonymousPoll(shape);
      const poll = { id: 'p', status: 'closed', anonymous: true, electorateSize: snapshot.length } as Poll;
      // Now.
      const now = assembleResults(
        poll,
        5,
        true,
        specs,
        publishAnonymous({
          threshold: 5,
          questions: specs,
          electorate: snapshot,
          ballots: voters.map((v) => v.ballot),
        }),
        new Map(),
        new Map(),
      );
      // Before: the same ballots through the audited exact publication.
      const tally: PollTally = {
        threshold: 5,
        electorate: [],
        ballots: new Map(),
        questions: specs.map((spec) => ({ spec, columns: columnsOf(spec), answers: new Map(), answered: new Map() })),
      };
      const cells = new Map<string, { profile: (typeof snapshot)[number]; members: number }>();
      for (const p of snapshot) {
        const cell = cells.get(profileKey(p)) ?? { profile: p, members: 0 };
        cell.members += 1;
        cells.set(profileKey(p), cell);
      }
      tally.electorate = [...cells.values()];
      const rankings = new Map<string, string[][]>();
      const texts = new Map<string, string[]>();
      for (const v of voters) {
        const key = profileKey(v.profile);
        tally.ballots.set(key, (tally.ballots.get(key) ?? 0) + 1);
        specs.forEach((spec: QuestionSpec, qi) => {
          const chosen = v.columns[qi];
          if (!chosen) return;
          const q = tally.questions[qi];
          const counts = q.answers.get(key) ?? q.columns.map(() => 0);
          for (const j of chosen) counts[j] += 1;
          q.answers.set(key, counts);
          q.answered.set(key, (q.answered.get(key) ?? 0) + 1);
          if (spec.kind === QuestionKind.Ranked) {
            const ranking = v.ballot.rows
              .filter((r) => r.questionId === spec.id)
              .sort((a, b) => a.rank! - b.rank!)
              .map((r) => r.optionId!);
            rankings.set(spec.id, [...(rankings.get(spec.id) ?? []), ranking]);
          }
          if (spec.kind === QuestionKind.FreeText) texts.set(spec.id, [...(texts.get(spec.id) ?? []), 'text']);
        });
      }
      specs.forEach((spec, qi) => {
        if (spec.kind === QuestionKind.Ranked) tally.questions[qi].rankings = rankings.get(spec.id) ?? [];
      });
      const before = assembleResults(poll, 5, true, specs, await publishResults(tally, true), rankings, texts);

      specs.forEach((spec, qi) => {
        if (spec.kind === QuestionKind.FreeText) {
          totals.texts.before += before.questions[qi].texts?.length ? 1 : 0;
          totals.texts.now += now.questions[qi].texts?.length ? 1 : 0;
          return;
        }
        const width = columnsOf(spec).length;
        const truth = (filter: (v: (typeof voters)[number]) => boolean) =>
          columnsOf(spec).map((_, j) => voters.filter((v) => filter(v) && v.columns[qi]?.includes(j)).length);
        for (const [label, results] of [
          ['before', before],
          ['now', now],
        ] as const) {
          const q = results.questions[qi];
          const t = totals[label];
          t.overall += width;
          t.overallShown += q.counts.length;
          if (spec.kind === QuestionKind.Ranked && q.instantRunoff) t.rankedShown += 1;
          for (const table of Object.values(q.breakdowns ?? {})) {
            for (const row of table!.rows) {
              t.cells += row.cells.length;
              t.cellsShown += row.cells.filter((c) => !c.suppressed).length;
            }
          }
        }
        const overall = truth(() => true);
        now.questions[qi].counts.forEach((c, j) => {
          const d = Math.abs(c.count - overall[j]);
          totals.now.moved += d > 0 ? 1 : 0;
          totals.now.absMoved += d;
          totals.now.maxMoved = Math.max(totals.now.maxMoved, d);
        });
      });
    }
    const pct = (a: number, b: number) => `${fmt((100 * a) / Math.max(1, b), 1)}%`;
    const b = totals.before;
    const n = totals.now;
    return [
      {
        figure: `overall counts shown (${RUNS} polls × 4 counted questions)`,
        target: '-',
        measured: `before ${pct(b.overallShown, b.overall)}, now ${pct(n.overallShown, n.overall)}`,
        ok: null,
      },
      {
        figure: 'breakdown cells shown (profession, career stage, region)',
        target: '-',
        measured: `before ${pct(b.cellsShown, b.cells)}, now ${pct(n.cellsShown, n.cells)}`,
        ok: null,
      },
      {
        figure: 'ranked question: instant-runoff rounds and Borda points shown',
        target: '-',
        measured: `before ${b.rankedShown} of ${RUNS}, now ${n.rankedShown} of ${RUNS}`,
        ok: null,
      },
      {
        figure: 'written answers shown',
        target: '-',
        measured: `before ${totals.texts.before} of ${RUNS}, now ${totals.texts.now} of ${RUNS}`,
        ok: null,
      },
      {
        figure: 'overall counts moved from the truth (now; before: exact)',
        target: '-',
        measured: `${pct(n.moved, n.overallShown)} moved, mean |move| ${fmt(n.absMoved / Math.max(1, n.overallShown), 2)}, max ${n.maxMoved}`,
        ok: null,
      },
    ];
  },
};
