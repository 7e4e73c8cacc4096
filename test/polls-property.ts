/**
 * Random polls for the property suite and its bench section: electorates of 1–300 members in skewed
 * groups, sometimes everyone votes, sometimes a group answers as one; every question kind, optional
 * and required. `checkPoll` publishes one, renders every output and attacks it.
 */
import fc from 'fast-check';
import {
  AnswerRow,
  assembleResults,
  columnsOf,
  MAX_NOISE,
  OpenedBallot,
  Poll,
  publishAnonymous,
  publishAnonymousChecked,
  RECORD_KEY_RANGE,
  SealedBallots,
  sealingKey,
  sealWith,
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

/** Random polls whose questions are of the given kinds. */
export const pollArbitraryOf = (kinds: QuestionKind[]) =>
  fc.record({
    members: fc.oneof(fc.integer({ min: 1, max: 30 }), fc.integer({ min: 1, max: 300 })),
    threshold: fc.constantFrom(3, 5, 5, 10),
    groups: fc.tuple(fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 5 })),
    skew: fc.double({ min: 0, max: 3, noNaN: true }),
    turnout: fc.oneof(fc.constant(1), fc.double({ min: 0.05, max: 1, noNaN: true })),
    /** Chance that a ballot gives its group's usual answer: 1 makes groups unanimous. */
    conformity: fc.oneof(fc.constant(1), fc.double({ min: 0, max: 1, noNaN: true })),
    questions: fc.array(
      fc.record({
        kind: fc.constantFrom(...kinds),
        required: fc.boolean(),
        options: fc.integer({ min: 2, max: 5 }),
        limits: fc.tuple(fc.nat(4), fc.nat(4)),
      }),
      { minLength: 1, maxLength: 3 },
    ),
    seed: fc.integer(),
  });

export const pollArbitrary = pollArbitraryOf(KINDS);

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
          // A conforming voter ranks the rest in the group's usual way (all of them, in order);
          // others rank a random few in a random order.
          const others = q.columns.map((_, j) => j).filter((j) => j !== first);
          const rest =
            rng.next() < shape.conformity
              ? others
              : others
                  .filter(() => rng.next() < 0.5)
                  .map((j) => ({ j, at: rng.next() }))
                  .sort((x, y) => x.at - y.at)
                  .map((x) => x.j);
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
  specs.forEach((spec, qi) => {
    if (spec.kind === QuestionKind.Ranked) tally.questions[qi].rankings = rankings.get(spec.id) ?? [];
  });
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
  /** A ranked question's rounds and points were held back. */
  rankingWithheld: boolean;
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
  return {
    disclosures: report.disclosures,
    extra,
    withheld: results.withheld.length > 0,
    rankingWithheld: publication.questions.some((q) => q.rankingWithheld),
  };
}

// ---------------------------------------------------------------------------------------------------
// Anonymous polls: one frozen publication at close, answer-independent rules, cell-key perturbation.
// ---------------------------------------------------------------------------------------------------

/** Random anonymous polls of 5–60 members: full and partial turnout, members who could not vote, every kind. */
export const anonymousPollArbitrary = fc.record({
  members: fc.integer({ min: 5, max: 60 }),
  threshold: fc.constantFrom(3, 5, 5, 5),
  groups: fc.tuple(fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 3 })),
  skew: fc.double({ min: 0, max: 3, noNaN: true }),
  turnout: fc.oneof(fc.constant(1), fc.constant(1), fc.double({ min: 0.3, max: 1, noNaN: true })),
  /** Share of the snapshot who could not vote when voting (membership suspended since opening). */
  ineligible: fc.oneof(fc.constant(0), fc.double({ min: 0, max: 0.2, noNaN: true })),
  conformity: fc.oneof(fc.constant(1), fc.double({ min: 0, max: 1, noNaN: true })),
  questions: fc.array(
    fc.record({
      kind: fc.constantFrom(...KINDS),
      required: fc.boolean(),
      options: fc.integer({ min: 2, max: 4 }),
      limits: fc.tuple(fc.nat(4), fc.nat(4)),
    }),
    { minLength: 1, maxLength: 3 },
  ),
  seed: fc.integer(),
});

export type AnonymousPollShape = typeof anonymousPollArbitrary extends fc.Arbitrary<infer T> ? T : never;

export interface AnonymousVoter {
  profile: Profile;
  ballot: OpenedBallot;
  /** Per question, the columns the ballot chose (first preference for ranked), or null when skipped. */
  columns: Array<number[] | null>;
}

/** A random anonymous poll: its questions, the snapshot, who could vote, who did and what they answered. */
export function buildAnonymousPoll(shape: AnonymousPollShape, answerSeed = shape.seed, conformity = shape.conformity) {
  const rng = generator(shape.seed);
  const answers = generator(answerSeed ^ 0x5bd1e995);
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
  if (!specs.some((s) => s.required)) specs[0].required = true;
  const [np, ns, nr] = shape.groups;
  const snapshot: Profile[] = Array.from({ length: shape.members }, () => ({
    profession: PROFESSIONS[rng.skewed(np, shape.skew)],
    careerStage: STAGES[rng.skewed(ns, shape.skew)],
    region: REGIONS[rng.skewed(nr, shape.skew)],
  }));
  // Who could vote, and who did, depend on the poll's seed only: the answers can be redrawn with the
  // same participation (to check that what is shown does not depend on them).
  const eligible = snapshot.filter(() => rng.next() >= shape.ineligible);
  const turnedOut = eligible.filter(() => shape.turnout === 1 || rng.next() < shape.turnout);
  const skipped = turnedOut.map(() => specs.map((s) => !s.required && rng.next() < 0.3));
  const voters: AnonymousVoter[] = turnedOut.map((profile, vi) => {
    const rows: AnswerRow[] = [];
    const columns: Array<number[] | null> = [];
    const usual = (width: number) =>
      (PROFESSIONS.indexOf(profile.profession) + STAGES.indexOf(profile.careerStage)) % width;
    specs.forEach((spec, qi) => {
      if (skipped[vi][qi]) {
        columns.push(null);
        return;
      }
      const width = columnsOf(spec).length;
      const pick = () => (answers.next() < conformity ? usual(width) : answers.int(width));
      const row = (partial: Partial<AnswerRow>, ordinal = 0): AnswerRow => ({
        questionId: spec.id,
        ordinal,
        optionId: null,
        rank: null,
        value: null,
        text: null,
        ...partial,
      });
      switch (spec.kind) {
        case QuestionKind.FreeText:
          rows.push(row({ text: `text ${answers.int(1000)}` }));
          columns.push([]);
          break;
        case QuestionKind.MultipleChoice: {
          const n = spec.minChoices + answers.int(spec.maxChoices! - spec.minChoices + 1);
          const chosen = new Set<number>([pick()]);
          while (chosen.size < n) chosen.add(answers.int(width));
          [...chosen].forEach((j, i) => rows.push(row({ optionId: spec.options[j].id }, i)));
          columns.push([...chosen]);
          break;
        }
        case QuestionKind.Ranked: {
          const first = pick();
          const others = spec.options.map((_, j) => j).filter((j) => j !== first);
          const rest = answers.next() < conformity ? others : others.filter(() => answers.next() < 0.5).reverse();
          [first, ...rest].forEach((j, i) => rows.push(row({ optionId: spec.options[j].id, rank: i + 1 }, i)));
          columns.push([first]);
          break;
        }
        case QuestionKind.Likert: {
          const j = pick();
          rows.push(row({ value: j + 1 }));
          columns.push([j]);
          break;
        }
        case QuestionKind.Score: {
          const j = pick();
          rows.push(row({ value: j }));
          columns.push([j]);
          break;
        }
        default: {
          const j = pick();
          rows.push(row({ optionId: spec.options[j].id }));
          columns.push([j]);
        }
      }
    });
    return { profile, ballot: { profile, recordKey: rng.int(RECORD_KEY_RANGE), rows }, columns };
  });
  return { specs, snapshot, eligible, voters };
}

const ANONYMOUS_POLL = {
  id: 'poll',
  status: 'closed',
  anonymous: true,
  title: 'Property poll',
  audienceProfessions: [],
  audienceCareerStages: [],
  audienceRegions: [],
  openedAt: null,
  closedAt: null,
  contextHtml: '',
} as unknown as Poll;

/** Everything a reader can see of what was shown and hidden (not the counts): must not depend on the answers. */
export function publicationMask(results: ReturnType<typeof assembleResults>) {
  return {
    withheld: results.withheld.map((n) => n.reason),
    questions: results.questions.map((q) => ({
      counts: q.counts.length,
      withheld: q.withheld ?? null,
      runoff: Boolean(q.instantRunoff),
      tables: Object.fromEntries(
        Object.entries(q.breakdowns ?? {}).map(([d, t]) => [
          d,
          t!.rows.map((r) => [r.group, r.total, r.cells.map((c) => c.suppressed)]),
        ]),
      ),
    })),
  };
}

export interface AnonymousPollCheck {
  /** What the co-chair who knows exactly who voted determines: a member's answer or a hidden cell. */
  coChair: unknown[];
  /** What a voter holding their own ballot (one from each of the three smallest groups) determines. */
  ownBallot: unknown[];
  /** "Did not choose" answers either reader determines (the model's stated residual: counted, not promised). */
  negatives: unknown[];
  /** What is shown or hidden differs when the same people give other answers (must be false). */
  maskDependsOnAnswers: boolean;
  /** Sealed sizes in the poll (must be one). */
  sealedSizes: number;
  /** Counts outside true ± 2 or outside [0, base] (must be empty). */
  outOfWindow: string[];
  responses: number;
  hiddenGroups: number;
}

export type AnonymousPublisher = (
  input: Parameters<typeof publishAnonymous>[0],
) => ReturnType<typeof publishAnonymous> | Promise<ReturnType<typeof publishAnonymous>>;

/** The product's rule: the cell-key publication with its non-disclosure step. */
export const publishChecked: AnonymousPublisher = async (input) => (await publishAnonymousChecked(input)).publication;

/** Publishes one random anonymous poll (with `publish`, the product's rule unless a mutant is given) and attacks it. */
export async function checkAnonymousPoll(
  shape: AnonymousPollShape,
  publish: AnonymousPublisher = publishChecked,
  window = MAX_NOISE,
  /** The rule replayed on other answers for the mask check (the step changes counts only, so the rule without it will do). */
  maskRule: AnonymousPublisher = publish,
): Promise<AnonymousPollCheck> {
  const { specs, snapshot, voters } = buildAnonymousPoll(shape);
  const render = async (vs: AnonymousVoter[], rule: AnonymousPublisher = publish) => {
    const publication = await rule({
      threshold: shape.threshold,
      questions: specs,
      electorate: snapshot,
      ballots: vs.map((v) => v.ballot),
    });
    const poll = { ...ANONYMOUS_POLL, electorateSize: snapshot.length } as Poll;
    return assembleResults(poll, shape.threshold, true, specs, publication, new Map(), new Map());
  };
  const results = await render(voters);
  const questions: PublicQuestion[] = specs;
  const figures = figuresFromApi(questions, JSON.parse(JSON.stringify(results)));
  const members = voters.map((v) => v.profile);
  // One pool of solutions for the readers of this publication: a solution one reader found settles
  // another's targets when it also holds that reader's ballot (exact, only faster).
  const options = { window, negative: true, pool: [] as Array<Record<string, number>> };
  const isNegative = (d: unknown) => (d as { kind: string }).kind === 'negative';
  const coChairAll = (await attack(questions, members, figures, options)).disclosures;
  // Voters of the three smallest groups (one each) hold their own ballot, each attacking on their own.
  const cellSize = (p: Profile) => members.filter((m) => profileKey(m) === profileKey(p)).length;
  const holders: AnonymousVoter[] = [];
  for (const v of [...voters].sort((a, b) => cellSize(a.profile) - cellSize(b.profile))) {
    if (holders.length === 3) break;
    if (!holders.some((h) => profileKey(h.profile) === profileKey(v.profile))) holders.push(v);
  }
  const ownAll: unknown[] = [];
  for (const own of holders) {
    const report = await attack(questions, members, figures, {
      ...options,
      known: [{ profile: own.profile, answers: own.columns }],
    });
    ownAll.push(...report.disclosures);
  }
  const coChair = coChairAll.filter((d) => !isNegative(d));
  const ownBallot = ownAll.filter((d) => !isNegative(d));
  const negatives = [...coChairAll, ...ownAll].filter(isNegative);
  // The same people, other answers (groups that answered as one now answer at random, and the other way
  // round): what is shown must not move.
  // What is shown must not move with the answers. `maskRule` may be the rule without the non-disclosure
  // step (which changes counts only, never what is shown): it must give the same mask for these answers.
  const other = buildAnonymousPoll(shape, shape.seed + 1, 1 - shape.conformity).voters;
  const mask = JSON.stringify(publicationMask(results));
  const maskDependsOnAnswers =
    (maskRule !== publish && JSON.stringify(publicationMask(await render(voters, maskRule))) !== mask) ||
    JSON.stringify(publicationMask(await render(other, maskRule))) !== mask;
  // The operator's view of storage while open: every sealed ballot of the poll has one size.
  const key = sealingKey('property-secret-property-secret-0123', 'poll');
  const size = SealedBallots.paddedSize(specs);
  const sealedSizes = new Set(
    voters.map(
      (v) =>
        sealWith(key, size, {
          profile: { profession: v.profile.profession, career_stage: v.profile.careerStage, region: v.profile.region },
          rows: v.ballot.rows,
          recordKey: v.ballot.recordKey,
        }).length,
    ),
  ).size;
  // Every shown count is the truth moved by at most the window, within 0 … its base.
  const outOfWindow: string[] = [];
  specs.forEach((spec, qi) => {
    const q = results.questions[qi];
    if (!q.counts.length) return;
    const truth = (filter: (v: AnonymousVoter) => boolean) =>
      columnsOf(spec).map((_, j) => voters.filter((v) => filter(v) && v.columns[qi]?.includes(j)).length);
    const overall = truth(() => true);
    q.counts.forEach((c, j) => {
      if (Math.abs(c.count - overall[j]) > window || c.count < 0 || c.count > voters.length)
        outOfWindow.push(`q${qi} overall ${j}: ${c.count} vs ${overall[j]}`);
    });
    for (const [d, table] of Object.entries(q.breakdowns ?? {})) {
      for (const row of table!.rows) {
        if (row.total === null) continue;
        const t = truth((v) => v.profile[d as keyof Profile] === row.group);
        row.cells.forEach((c, j) => {
          if (c.count === null) return;
          if (Math.abs(c.count - t[j]) > window || c.count > row.total!)
            outOfWindow.push(`q${qi} ${d} ${row.group} ${j}`);
        });
      }
    }
  });
  const hiddenGroups = results.questions.reduce(
    (sum, q) =>
      sum + Object.values(q.breakdowns ?? {}).reduce((s, t) => s + t!.rows.filter((r) => r.totalSuppressed).length, 0),
    0,
  );
  return {
    coChair,
    ownBallot,
    negatives,
    maskDependsOnAnswers,
    sealedSizes,
    outOfWindow,
    responses: voters.length,
    hiddenGroups,
  };
}

/**
 * The same poll run twice, for audiences one member apart (both fully answered, everyone else giving the
 * same answers): what comparing the two publications' overall counts tells about that member. Returns
 * how many single-choice counts pin the member's answer (whether they chose the option): with exact
 * counts every one does; with the cell-key publication only when both windows sit at opposite edges.
 * Opening the second poll is refused (`audienceDifferenceRefused`); this measures what the refusal
 * prevents.
 */
export function secondPollPins(shape: AnonymousPollShape): { counts: number; pinned: number } {
  const { specs, snapshot, voters } = buildAnonymousPoll({ ...shape, turnout: 1, ineligible: 0 });
  if (voters.length < 2) return { counts: 0, pinned: 0 };
  const rest = voters.slice(1);
  const rekey = (v: AnonymousVoter, salt: number) => ({
    ...v.ballot,
    recordKey: (v.ballot.recordKey * 31 + salt * 17 + 7) % RECORD_KEY_RANGE,
  });
  const first = publishAnonymous({
    threshold: shape.threshold,
    questions: specs,
    electorate: snapshot,
    ballots: voters.map((v) => v.ballot),
  });
  const second = publishAnonymous({
    threshold: shape.threshold,
    questions: specs,
    electorate: snapshot.slice(1),
    ballots: rest.map((v, i) => rekey(v, i)),
  });
  let counts = 0;
  let pinned = 0;
  specs.forEach((spec, qi) => {
    if (spec.kind !== QuestionKind.SingleChoice || !spec.required) return;
    const a = first.questions[qi].counts;
    const b = second.questions[qi].counts;
    if (!a || !b) return;
    a.forEach((pa, j) => {
      const window = (p: number, base: number) => {
        const out: number[] = [];
        for (let t = Math.max(0, p - MAX_NOISE); t <= Math.min(base, p + MAX_NOISE); t += 1) out.push(t);
        return out;
      };
      const wa = window(pa, voters.length);
      const wb = window(b[j], rest.length);
      const possible = [0, 1].filter((x) => wb.some((t) => wa.includes(t + x)));
      counts += 1;
      if (possible.length < 2) pinned += 1;
    });
  });
  return { counts, pinned };
}
