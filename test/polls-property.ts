/**
 * Random polls for the property suite and its bench section: electorates of 1–300 members in skewed
 * groups, sometimes everyone votes, sometimes a group answers as one; every question kind, optional
 * and required. `checkPoll` publishes one, renders every output and attacks it.
 */
import fc from 'fast-check';
import {
  assembleResults,
  columnsOf,
  Poll,
  PollTally,
  Profile,
  profileKey,
  PublishedFigures,
  publishResults,
  QuestionKind,
  QuestionSpec,
  resultsCsv,
  summaryHtml,
} from '@cophub/polls';
import { attack, figuresFromApi, figuresFromCsv, figuresFromSummary, PublicQuestion } from './polls-attacker';

const KINDS = [
  QuestionKind.SingleChoice,
  QuestionKind.MultipleChoice,
  QuestionKind.Likert,
  QuestionKind.Ranked,
  QuestionKind.Score,
  QuestionKind.FreeText,
];
const PROFESSIONS = ['PWP', 'EMHP', 'CYWP', 'MHWP'];
const STAGES = ['trainee', 'qualified', 'senior'];
const REGIONS = ['london', 'midlands', 'north_west', 'south_west', 'north_east_and_yorkshire'];

/** Small seeded generator, so one fast-check seed replays the same poll. */
function generator(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (n: number) => Math.floor(next() * n);
  /** Group i of n with weight (i + 1)^−skew: a few large groups and a tail of small ones. */
  const skewed = (n: number, skew: number) => {
    const weights = Array.from({ length: n }, (_, i) => (i + 1) ** -skew);
    let r = next() * weights.reduce((x, y) => x + y, 0);
    for (let i = 0; i < n; i += 1) if ((r -= weights[i]) <= 0) return i;
    return n - 1;
  };
  return { next, int, skewed };
}

export const pollArbitrary = fc.record({
  members: fc.oneof(fc.integer({ min: 1, max: 30 }), fc.integer({ min: 1, max: 300 })),
  threshold: fc.constantFrom(3, 5, 5, 10),
  groups: fc.tuple(fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 5 })),
  skew: fc.double({ min: 0, max: 3, noNaN: true }),
  turnout: fc.oneof(fc.constant(1), fc.double({ min: 0.05, max: 1, noNaN: true })),
  /** Chance that a ballot gives its group's usual answer: 1 makes groups unanimous. */
  conformity: fc.oneof(fc.constant(1), fc.double({ min: 0, max: 1, noNaN: true })),
  questions: fc.array(
    fc.record({
      kind: fc.constantFrom(...KINDS),
      required: fc.boolean(),
      options: fc.integer({ min: 2, max: 5 }),
      limits: fc.tuple(fc.nat(4), fc.nat(4)),
    }),
    { minLength: 1, maxLength: 3 },
  ),
  seed: fc.integer(),
});

export type PollShape = typeof pollArbitrary extends fc.Arbitrary<infer T> ? T : never;

export function buildPoll(shape: PollShape) {
  const rng = generator(shape.seed);
  const specs: QuestionSpec[] = shape.questions.map((q, qi) => {
    const options = [QuestionKind.SingleChoice, QuestionKind.MultipleChoice, QuestionKind.Ranked].includes(q.kind)
      ? Array.from({ length: q.options }, (_, i) => ({ id: `q${qi}o${i}`, label: `Option ${i + 1}` }))
      : [];
    const lo = Math.min(q.limits[0], q.limits[1]) % (q.options + 1);
    const hi = Math.max(lo, Math.max(q.limits[0], q.limits[1]) % (q.options + 1), 1);
    return {
      id: `q${qi}`,
      position: qi,
      kind: q.kind,
      prompt: `Question ${qi + 1}`,
      required: q.required,
      minChoices: q.kind === QuestionKind.MultipleChoice ? Math.max(1, lo) : 0,
      maxChoices: q.kind === QuestionKind.MultipleChoice ? Math.max(Math.max(1, lo), hi) : null,
      options,
    };
  });
  // At least one question must be answered on every ballot: make the first required when none is.
  if (!specs.some((s) => s.required)) specs[0].required = true;

  const [np, ns, nr] = shape.groups;
  const electorate: Profile[] = Array.from({ length: shape.members }, () => ({
    profession: PROFESSIONS[rng.skewed(np, shape.skew)],
    careerStage: STAGES[rng.skewed(ns, shape.skew)],
    region: REGIONS[rng.skewed(nr, shape.skew)],
  }));
  const voters = electorate.filter(() => shape.turnout === 1 || rng.next() < shape.turnout);
  const tally: PollTally = {
    threshold: shape.threshold,
    electorate: [],
    ballots: new Map(),
    questions: specs.map((spec) => ({ spec, columns: columnsOf(spec), answers: new Map(), answered: new Map() })),
  };
  const cells = new Map<string, { profile: Profile; members: number }>();
  for (const p of electorate) {
    const cell = cells.get(profileKey(p)) ?? { profile: p, members: 0 };
    cell.members += 1;
    cells.set(profileKey(p), cell);
  }
  tally.electorate = [...cells.values()];
  const rankings = new Map<string, string[][]>();
  const texts = new Map<string, string[]>();
  for (const voter of voters) {
    const key = profileKey(voter);
    tally.ballots.set(key, (tally.ballots.get(key) ?? 0) + 1);
    const usual = (width: number) =>
      (PROFESSIONS.indexOf(voter.profession) + STAGES.indexOf(voter.careerStage)) % width;
    specs.forEach((spec, qi) => {
      if (!spec.required && rng.next() < 0.3) return;
      const q = tally.questions[qi];
      const width = q.columns.length;
      const counts = q.answers.get(key) ?? q.columns.map(() => 0);
      const pick = () => (rng.next() < shape.conformity ? usual(width) : rng.int(width));
      switch (spec.kind) {
        case QuestionKind.FreeText:
          texts.set(spec.id, [...(texts.get(spec.id) ?? []), `text ${rng.int(1000)}`].sort());
          break;
        case QuestionKind.MultipleChoice: {
          const n = spec.minChoices + rng.int(spec.maxChoices! - spec.minChoices + 1);
          const chosen = new Set<number>([pick()]);
          while (chosen.size < n) chosen.add(rng.int(width));
          chosen.forEach((j) => (counts[j] += 1));
          break;
        }
        case QuestionKind.Ranked: {
          const first = pick();
          const rest = q.columns.map((_, j) => j).filter((j) => j !== first && rng.next() < 0.5);
          rankings.set(spec.id, [...(rankings.get(spec.id) ?? []), [first, ...rest].map((j) => q.columns[j].key)]);
          counts[first] += 1;
          break;
        }
        default:
          counts[pick()] += 1;
      }
      q.answers.set(key, counts);
      q.answered.set(key, (q.answered.get(key) ?? 0) + 1);
    });
  }
  return { specs, tally, rankings, texts, electorate };
}

/** Figures `sub` publishes that `sup` does not publish identically (attacking `sup` covers `sub` when none). */
function moreThan(sub: PublishedFigures, sup: PublishedFigures): string[] {
  const extra: string[] = [];
  const check = (path: string, a: number | null | undefined, b: number | null | undefined) => {
    if (a !== null && a !== undefined && a !== b) extra.push(`${path}: ${a} vs ${b}`);
  };
  check('responses', sub.responses, sup.responses);
  sub.questions.forEach((q, qi) => {
    check(`q${qi}.respondents`, q.respondents, sup.questions[qi].respondents);
    q.counts.forEach((c, j) => check(`q${qi}.counts[${j}]`, c, sup.questions[qi].counts[j]));
    for (const [d, rows] of Object.entries(q.breakdowns)) {
      const other = sup.questions[qi].breakdowns[d as keyof typeof q.breakdowns];
      if (!other) {
        extra.push(`q${qi}.${d}: table only in one output`);
        continue;
      }
      if (rows.map((r) => r.group).join() !== other.map((r) => r.group).join())
        extra.push(`q${qi}.${d}: groups differ`);
      for (const row of rows) {
        const match = other.find((r) => r.group === row.group);
        if (!match) continue;
        check(`q${qi}.${d}.${row.group}.total`, row.total, match.total);
        row.cells.forEach((c, j) => check(`q${qi}.${d}.${row.group}[${j}]`, c, match.cells[j]));
      }
    }
  });
  return extra;
}

export interface PollCheck {
  /** What the attacker determined from the results JSON (must be empty). */
  disclosures: unknown[];
  /** Figures results.csv or the summary publish beyond the JSON (must be empty). */
  extra: string[];
  withheld: boolean;
}

/** Publishes one random poll, renders the JSON, CSV and summary, and attacks them. */
export async function checkPoll(shape: PollShape): Promise<PollCheck> {
  const { specs, tally, rankings, texts, electorate } = buildPoll(shape);
  const publication = await publishResults(tally, true);
  const poll = {
    id: 'poll',
    status: 'closed',
    anonymous: true,
    electorateSize: electorate.length,
    title: 'Property poll',
    audienceProfessions: [],
    audienceCareerStages: [],
    audienceRegions: [],
    openedAt: null,
    closedAt: null,
    contextHtml: '',
  } as unknown as Poll;
  const results = assembleResults(poll, tally.threshold, true, specs, publication, rankings, texts);
  const questions: PublicQuestion[] = specs;
  const json = figuresFromApi(questions, JSON.parse(JSON.stringify(results)));
  const extra = [
    ...moreThan(figuresFromCsv(questions, resultsCsv(poll, results), results.turnout.responses), json),
    ...moreThan(figuresFromSummary(questions, summaryHtml(poll, 'Property CoP', results)), json),
  ];
  const report = await attack(questions, electorate, json);
  return { disclosures: report.disclosures, extra, withheld: results.withheld.length > 0 };
}
