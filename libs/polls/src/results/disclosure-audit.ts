import { QuestionKind } from '../entities/enums';
import { Glpk, loadGlpk, LP } from './solver';

/**
 * The attacker's view of one poll's publication, and the search for what it gives away.
 *
 * What the attacker knows: every published number (turnout, respondents per question, overall
 * counts, every breakdown cell and group total of every question and dimension) and the member list a
 * co-chair sees, i.e. the profession, career stage and region of every member of the electorate
 * snapshot. Members with the same three attributes are indistinguishable to them, so the unknowns
 * are, per such profile cell c: b_c ballots (0 … members of c), and per question q and answer j the
 * number z_qcj of those ballots giving j (plus s_qc ballots skipping an optional question). Every
 * published figure is a linear equation over these integers.
 *
 * What must not follow from it:
 * - a hidden breakdown cell taking only one (non-zero) value in every integer solution;
 * - a member's answer: member m of cell c answered j in every solution exactly when every solution
 *   has z_qcj = |c| (all of c responded and all gave j). When some solution has z_qcj < |c|,
 *   permuting the members of c shows m may be the one who did not.
 *
 * Ranges are found with integer programs (GLPK). One solve proves many targets safe at once: any
 * integer solution in which a target differs from the reference solution shows the target is not
 * determined, so only targets no solution has moved yet get their own solve.
 */

export const DIMENSIONS = ['profession', 'careerStage', 'region'] as const;
export type Dimension = (typeof DIMENSIONS)[number];

export interface Profile {
  profession: string;
  careerStage: string;
  region: string;
}

/** What the attacker knows of a question from its definition (public to members). */
export interface AuditQuestion {
  kind: QuestionKind;
  required: boolean;
  /** Effective limits for multiple choice (at least 1). */
  minChoices: number;
  maxChoices: number;
  /** Answer keys, in column order (options, scale points); empty for free text. */
  columns: string[];
}

export interface PublishedRow {
  group: string;
  total: number | null;
  /** Aligned with the question's columns; null = hidden. */
  cells: Array<number | null>;
}

/**
 * What a ranked question publishes beyond first preferences (overall only, never by group): the
 * instant-runoff rounds and the Borda points. Options are column indices.
 */
export interface PublishedRanking {
  /** Per round: the continuing options, their votes (aligned with `continuing`), and exhausted ballots. */
  rounds: Array<{ continuing: number[]; counts: number[]; exhausted: number }>;
  /** Borda points per column. */
  borda: number[];
}

/** Every number one poll publishes, in whatever output it appears. null = withheld or hidden. */
export interface PublishedFigures {
  responses: number | null;
  questions: Array<{
    respondents: number | null;
    /** Aligned with the question's columns; null (or a missing entry) = withheld. */
    counts: Array<number | null>;
    breakdowns: Partial<Record<Dimension, PublishedRow[]>>;
    /** Ranked questions whose rounds and points are published. */
    ranking?: PublishedRanking | null;
  }>;
}

/** The true values, when the auditor (not an attacker) runs the search. */
export interface TrueTally {
  /** Ballots per profile cell key (`profileKey`). */
  ballots: Map<string, number>;
  /** Per question: per profile cell key, counts aligned with columns. */
  answers: Array<Map<string, number[]>>;
  /** Per question: per profile cell key, ballots that answered the question. */
  answered: Array<Map<string, number>>;
  /** Per ranked question: every ballot's ranking (column indices, first preference first). */
  rankings?: Array<number[][] | undefined>;
}

export interface HiddenCellDisclosure {
  kind: 'cell';
  question: number;
  dimension: Dimension;
  group: string;
  column: number;
  value: number;
}

export interface AnswerDisclosure {
  kind: 'answer';
  question: number;
  column: number;
  profile: Profile;
  members: number;
}

/**
 * A ranked question: every member of a profile cell is known to have put `column` at `position`
 * (2 = second preference …), or with `column` −1 to have ranked fewer than `position` options.
 * `firsts` are the first preferences the cell's ballots may have (the breakdown cells that matter).
 */
export interface RankingDisclosure {
  kind: 'ranking';
  question: number;
  position: number;
  column: number;
  profile: Profile;
  members: number;
  firsts: number[];
}

export type Disclosure = HiddenCellDisclosure | AnswerDisclosure | RankingDisclosure | NegativeDisclosure;

/** A ballot the attacker holds (their own): per question, the columns it chose (null: skipped). */
export interface KnownBallot {
  profile: Profile;
  answers: Array<number[] | null>;
}

/** What else the attacker knows or assumes about the figures. */
export interface AttackOptions {
  /**
   * Published counts (overall, breakdown cells, optional questions' respondents, ranked rounds) are the
   * truth moved by at most this much and clamped to [0, base]: each becomes a window, not an equation.
   * Borda points then allow window × n(n−1)/2. 0 (default): every figure is exact.
   */
  window?: number;
  /** Ballots the attacker holds: their own. */
  known?: KnownBallot[];
  /** Also look for negative answers: every member of a cell known to have responded and not chosen an answer. */
  negative?: boolean;
  /**
   * Solutions found by earlier attacks on the same figures and member list (any knowledge): each one
   * that also holds this attacker's own ballots settles targets without a solve; this attack's
   * solutions are added. Lets many readers (one per ballot) attack one publication quickly.
   */
  pool?: Array<Record<string, number>>;
}

export interface NegativeDisclosure {
  kind: 'negative';
  question: number;
  column: number;
  profile: Profile;
  members: number;
}

export interface AuditReport {
  disclosures: Disclosure[];
  solves: number;
}

export const profileKey = (p: Profile) => `${p.profession}\u0000${p.careerStage}\u0000${p.region}`;

/** A question whose definition alone fixes an answer (e.g. "tick all of these") discloses nothing by publication. */
function forcedByDefinition(q: AuditQuestion): boolean {
  if (q.kind === QuestionKind.MultipleChoice) return q.minChoices >= q.columns.length;
  return q.columns.length === 1;
}

const SINGLE_VALUED = new Set([
  QuestionKind.SingleChoice,
  QuestionKind.Likert,
  QuestionKind.Score,
  QuestionKind.Ranked,
]);

interface Target {
  vars: string[];
  reference: number;
  /**
   * 'both': a hidden cell (must be able to move); 'below': an answer (must be able to fall below
   * `reference`); 'ranking': a ranking position, settled by `moved`.
   */
  mode: 'both' | 'below' | 'ranking' | 'negative';
  disclosure: Disclosure;
  safe: boolean;
  /** Ranking targets: whether a solution shows the position not determined. */
  moved?: (solution: Record<string, number>) => boolean;
  /** Ranking targets: the solves that may move it (objective, direction, extra rows). */
  attempts?: Array<{
    objective: string[] | Array<{ name: string; coef: number }>;
    direction: 'min' | 'max';
    rows: LP['subjectTo'];
  }>;
}

/** Partial rankings (sequences of distinct options, length 1 … n) of n options. */
function allRankings(n: number): number[][] {
  const out: number[][] = [];
  const extend = (prefix: number[]) => {
    for (let o = 0; o < n; o += 1) {
      if (prefix.includes(o)) continue;
      const next = [...prefix, o];
      out.push(next);
      extend(next);
    }
  };
  extend([]);
  return out;
}

/** Up to this many options every possible ranking is an unknown (325 for 5 options). */
export const FULL_RANKING_MODEL_MAX_OPTIONS = 5;
const RANKING_FAMILY_MAX = 4000;

/**
 * The rankings the integer program may use for a ranked question. Up to five options: all of them,
 * so the model is exact. Beyond that (too many to enumerate), the ballots' own rankings and their
 * near neighbours (one adjacent swap, one option dropped from the end, one appended): a restriction
 * of what an attacker may consider, so any solution found is still a real set of ballots, and a
 * target it cannot move is treated as disclosed (more is withheld, never less).
 */
function rankingFamily(n: number, truth: number[][] | undefined): number[][] | null {
  if (n <= FULL_RANKING_MODEL_MAX_OPTIONS) return allRankings(n);
  if (!truth) return null;
  const seen = new Map<string, number[]>();
  const add = (r: number[]) => {
    if (seen.size < RANKING_FAMILY_MAX && r.length) seen.set(r.join(','), r);
  };
  truth.forEach(add);
  const base = [...seen.values()];
  for (const r of base) {
    if (r.length > 1) add(r.slice(0, -1));
    for (let i = 0; i + 1 < r.length; i += 1) add([...r.slice(0, i), r[i + 1], r[i], ...r.slice(i + 2)]);
    for (let o = 0; o < n; o += 1) if (!r.includes(o)) add([...r, o]);
  }
  return [...seen.values()];
}

/** The option a ranking counts for when only `continuing` remain, or −1 when it is exhausted. */
function topOf(ranking: number[], continuing: Set<number>): number {
  return ranking.find((o) => continuing.has(o)) ?? -1;
}

/** Attacks the published figures: what they determine, given the member list. */
export async function auditFigures(
  questions: AuditQuestion[],
  electorate: Profile[],
  figures: PublishedFigures,
  truth?: TrueTally,
  options: AttackOptions = {},
): Promise<AuditReport> {
  const glpk = await loadGlpk();
  const w = options.window ?? 0;
  const known = options.known ?? [];
  const cells = new Map<string, { profile: Profile; size: number }>();
  for (const p of electorate) {
    const key = profileKey(p);
    const cell = cells.get(key) ?? { profile: p, size: 0 };
    cell.size += 1;
    cells.set(key, cell);
  }
  const list = [...cells.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const b = (ci: number) => `b${ci}`;
  const s = (qi: number, ci: number) => `s${qi}_${ci}`;
  const z = (qi: number, ci: number, j: number) => `z${qi}_${ci}_${j}`;
  /** Ballots (over all cells) giving ranking k of a ranked question's family. */
  const t = (qi: number, k: number) => `t${qi}_${k}`;
  const families = new Map<number, number[][]>();
  const electorateSize = electorate.length;

  const bounds: NonNullable<LP['bounds']> = [];
  const generals: string[] = [];
  const rows: LP['subjectTo'] = [];
  const variable = (name: string, ub: number) => {
    bounds.push({ name, type: ub > 0 ? glpk.GLP_DB : glpk.GLP_FX, lb: 0, ub });
    generals.push(name);
  };
  const equal = (vars: Array<{ name: string; coef: number }>, value: number) =>
    rows.push({ name: `r${rows.length}`, vars, bnds: { type: glpk.GLP_FX, lb: value, ub: value } });
  const atMost = (vars: Array<{ name: string; coef: number }>, value: number) =>
    rows.push({ name: `r${rows.length}`, vars, bnds: { type: glpk.GLP_UP, lb: 0, ub: value } });
  const atLeast = (vars: Array<{ name: string; coef: number }>, value: number) =>
    rows.push({ name: `r${rows.length}`, vars, bnds: { type: glpk.GLP_LO, lb: value, ub: 0 } });
  const ones = (names: string[]) => names.map((name) => ({ name, coef: 1 }));
  /** A published count: exact, or (perturbed publications) a window around it. */
  const published = (vars: Array<{ name: string; coef: number }>, value: number, width = w) => {
    if (!width) return equal(vars, value);
    rows.push({
      name: `r${rows.length}`,
      vars,
      bnds: { type: glpk.GLP_DB, lb: Math.max(0, value - width), ub: value + width },
    });
  };
  const inGroup = (dimension: Dimension, group: string) =>
    list.map(([, cell], ci) => ({ cell, ci })).filter(({ cell }) => cell.profile[dimension] === group);
  /** Ballots of cell ci that answered question qi: b − s (or b for required questions). */
  const answeredTerms = (qi: number, ci: number) =>
    questions[qi].required
      ? [{ name: b(ci), coef: 1 }]
      : [
          { name: b(ci), coef: 1 },
          { name: s(qi, ci), coef: -1 },
        ];

  list.forEach(([, cell], ci) => variable(b(ci), cell.size));
  if (figures.responses !== null) equal(ones(list.map((_, ci) => b(ci))), figures.responses);

  questions.forEach((q, qi) => {
    const publishedQ = figures.questions[qi];
    list.forEach(([, cell], ci) => {
      if (!q.required) {
        variable(s(qi, ci), cell.size);
        atMost(
          [
            { name: s(qi, ci), coef: 1 },
            { name: b(ci), coef: -1 },
          ],
          0,
        );
      }
      q.columns.forEach((_, j) => variable(z(qi, ci, j), cell.size));
      const zs = q.columns.map((_, j) => ({ name: z(qi, ci, j), coef: 1 }));
      const negAnswered = answeredTerms(qi, ci).map((t) => ({ name: t.name, coef: -t.coef }));
      if (SINGLE_VALUED.has(q.kind)) {
        equal([...zs, ...negAnswered], 0);
      } else if (q.kind === QuestionKind.MultipleChoice) {
        q.columns.forEach((_, j) => atMost([{ name: z(qi, ci, j), coef: 1 }, ...negAnswered], 0));
        atLeast([...zs, ...negAnswered.map((t) => ({ ...t, coef: t.coef * q.minChoices }))], 0);
        atMost([...zs, ...negAnswered.map((t) => ({ ...t, coef: t.coef * q.maxChoices }))], 0);
      }
    });
    if (publishedQ?.respondents !== null && publishedQ?.respondents !== undefined) {
      published(
        list.flatMap((_, ci) => answeredTerms(qi, ci)),
        publishedQ.respondents,
        q.required ? 0 : w,
      );
    }
    q.columns.forEach((_, j) => {
      const count = publishedQ?.counts[j];
      if (count !== null && count !== undefined) published(ones(list.map((_, ci) => z(qi, ci, j))), count);
    });
    for (const dimension of DIMENSIONS) {
      const table = publishedQ?.breakdowns[dimension];
      if (!table) continue;
      const shown = new Set(table.map((row) => row.group));
      // A group of the member list missing from a published table has no ballots.
      for (const group of new Set(list.map(([, cell]) => cell.profile[dimension]))) {
        if (!shown.has(group)) equal(ones(inGroup(dimension, group).map(({ ci }) => b(ci))), 0);
      }
      for (const row of table) {
        const members = inGroup(dimension, row.group);
        if (row.total !== null) equal(ones(members.map(({ ci }) => b(ci))), row.total);
        row.cells.forEach((value, j) => {
          if (value !== null && j < q.columns.length) published(ones(members.map(({ ci }) => z(qi, ci, j))), value);
        });
      }
    }
    // A ranked question's rounds and points are overall figures, functions of how many ballots gave
    // each ranking. Breakdowns show first preferences only, so which cell a ballot came from matters
    // only through its first preference: the rankings starting with j are shared out among the cells'
    // z(j) in any way, and the model below (counts per ranking, tied to the cells by first
    // preference) is exact for what is published.
    const ranking = publishedQ?.ranking;
    if (q.kind === QuestionKind.Ranked && ranking) {
      const n = q.columns.length;
      const family = rankingFamily(n, truth?.rankings?.[qi]);
      if (family) {
        families.set(qi, family);
        family.forEach((_, k) => variable(t(qi, k), electorateSize));
        const sum = (pick: (r: number[]) => number) =>
          family.flatMap((r, k) => (pick(r) ? [{ name: t(qi, k), coef: pick(r) }] : []));
        q.columns.forEach((_, j) =>
          equal([...sum((r) => Number(r[0] === j)), ...list.map((_, ci) => ({ name: z(qi, ci, j), coef: -1 }))], 0),
        );
        for (const round of ranking.rounds) {
          const continuing = new Set(round.continuing);
          round.continuing.forEach((o, at) =>
            published(
              sum((r) => Number(topOf(r, continuing) === o)),
              round.counts[at],
            ),
          );
          published(
            sum((r) => Number(topOf(r, continuing) === -1)),
            round.exhausted,
          );
        }
        ranking.borda.forEach((points, o) =>
          published(
            sum((r) => (r.includes(o) ? n - 1 - r.indexOf(o) : 0)),
            points,
            (w * n * (n - 1)) / 2,
          ),
        );
      }
    }
  });

  // The attacker's own ballots: at least these are in their cells, with these answers.
  const cellIndex = new Map(list.map(([key], ci) => [key, ci]));
  const knownIn = list.map(() => 0);
  const knownAns = questions.map((q) => list.map(() => q.columns.map(() => 0)));
  const knownAnswered = questions.map(() => list.map(() => 0));
  for (const ballot of known) {
    const ci = cellIndex.get(profileKey(ballot.profile));
    if (ci === undefined) continue;
    knownIn[ci] += 1;
    ballot.answers.forEach((answer, qi) => {
      if (!answer || qi >= questions.length) return;
      knownAnswered[qi][ci] += 1;
      for (const j of answer) knownAns[qi][ci][j] += 1;
    });
  }
  list.forEach((_, ci) => {
    if (!knownIn[ci]) return;
    atLeast([{ name: b(ci), coef: 1 }], knownIn[ci]);
    questions.forEach((q, qi) => {
      if (knownAnswered[qi][ci]) atLeast(answeredTerms(qi, ci), knownAnswered[qi][ci]);
      q.columns.forEach((_, j) => {
        if (knownAns[qi][ci][j]) atLeast([{ name: z(qi, ci, j), coef: 1 }], knownAns[qi][ci][j]);
      });
    });
  });

  /** Whether a solution (of the same figures) also holds this attacker's own ballots. */
  const holdsKnown = (solution: Record<string, number>) =>
    list.every((_, ci) => {
      if (!knownIn[ci]) return true;
      if (Math.round(solution[b(ci)] ?? 0) < knownIn[ci]) return false;
      return questions.every((q, qi) => {
        const answeredIn = answeredTerms(qi, ci).reduce(
          (sum, t) => sum + t.coef * Math.round(solution[t.name] ?? 0),
          0,
        );
        if (answeredIn < knownAnswered[qi][ci]) return false;
        return q.columns.every((_, j) => Math.round(solution[z(qi, ci, j)] ?? 0) >= knownAns[qi][ci][j]);
      });
    });
  const pool = options.pool;

  let solves = 0;
  const solve = (
    objective: string[] | Array<{ name: string; coef: number }>,
    direction: number,
    extra: LP['subjectTo'] = [],
  ): Record<string, number> | null => {
    solves += 1;
    const terms = objective.map((o) => (typeof o === 'string' ? { name: o, coef: 1 } : o));
    const lp: LP = {
      name: 'audit',
      objective: {
        direction,
        name: 'obj',
        vars: terms.length ? terms : [{ name: b(0), coef: 0 }],
      },
      subjectTo: extra.length ? [...rows, ...extra] : rows,
      bounds,
      generals,
    };
    const result = glpk.solve(lp, { msglev: glpk.GLP_MSG_OFF, tmlim: 5 });
    const status = result.result.status;
    if (status !== glpk.GLP_OPT && status !== glpk.GLP_FEAS) return null;
    pool?.push(result.result.vars);
    return result.result.vars;
  };
  if (!list.length) return { disclosures: [], solves };

  // The reference solution: the truth for the auditor; any consistent solution for an attacker.
  let reference: Record<string, number> | null;
  if (truth) {
    reference = {};
    list.forEach(([key], ci) => {
      reference![b(ci)] = truth.ballots.get(key) ?? 0;
      questions.forEach((q, qi) => {
        const answered = truth.answered[qi].get(key) ?? 0;
        if (!q.required) reference![s(qi, ci)] = (truth.ballots.get(key) ?? 0) - answered;
        const counts = truth.answers[qi].get(key) ?? [];
        q.columns.forEach((_, j) => (reference![z(qi, ci, j)] = counts[j] ?? 0));
      });
    });
    families.forEach((family, qi) => {
      const index = new Map(family.map((r, k) => [r.join(','), k]));
      family.forEach((_, k) => (reference![t(qi, k)] = 0));
      for (const r of truth.rankings?.[qi] ?? []) {
        const k = index.get(r.join(','));
        if (k !== undefined) reference![t(qi, k)] += 1;
      }
    });
  } else {
    reference = pool?.find(holdsKnown) ?? solve([], glpk.GLP_MIN);
    if (!reference) throw new Error('the published figures are inconsistent');
  }
  const value = (solution: Record<string, number>, vars: string[]) =>
    vars.reduce((sum, name) => sum + Math.round(solution[name] ?? 0), 0);

  const targets: Target[] = [];
  questions.forEach((q, qi) => {
    const published = figures.questions[qi];
    for (const dimension of DIMENSIONS) {
      for (const row of published?.breakdowns[dimension] ?? []) {
        const members = inGroup(dimension, row.group);
        row.cells.forEach((cellValue, j) => {
          // A question whose definition fixes every answer ("tick all of these") hides nothing by hiding a cell.
          if (cellValue !== null || j >= q.columns.length || forcedByDefinition(q)) return;
          const vars = members.map(({ ci }) => z(qi, ci, j));
          const ref = value(reference!, vars);
          // A hidden zero that is known to be zero tells nobody's answer (e.g. an option nobody chose).
          if (ref === 0) return;
          // A group made only of the attacker's own ballots tells them nothing they did not know.
          if (members.every(({ cell, ci }) => cell.size - knownIn[ci] <= 0)) return;
          targets.push({
            vars,
            reference: ref,
            mode: 'both',
            safe: false,
            disclosure: { kind: 'cell', question: qi, dimension, group: row.group, column: j, value: ref },
          });
        });
      }
    }
    const family = families.get(qi);
    if (family) {
      // A member's ranking beyond the first preference: member m of cell c put option v at position
      // p in every solution exactly when all of c responded and every ranking in use that starts with
      // a first preference of c's ballots has v at p (ballots are shared out freely within a first
      // preference). Position p with v = −1: fewer than p options ranked.
      list.forEach(([, cell], ci) => {
        const answered = answeredTerms(qi, ci);
        const answeredIn = (solution: Record<string, number>) =>
          answered.reduce((sum, term) => sum + term.coef * Math.round(solution[term.name] ?? 0), 0);
        if (answeredIn(reference!) < cell.size) return;
        const firsts = q.columns.map((_, j) => j).filter((j) => value(reference!, [z(qi, ci, j)]) > 0);
        const inUse = family.filter((r, k) => value(reference!, [t(qi, k)]) > 0 && firsts.includes(r[0]));
        if (!inUse.length) return;
        for (let p = 2; p <= q.columns.length; p += 1) {
          const at = (r: number[]) => r[p - 1] ?? -1;
          const v = at(inUse[0]);
          if (inUse.some((r) => at(r) !== v)) continue;
          const moved = (solution: Record<string, number>) =>
            answeredIn(solution) < cell.size ||
            family.some(
              (r, k) => at(r) !== v && value(solution, [t(qi, k)]) >= 1 && value(solution, [z(qi, ci, r[0])]) >= 1,
            );
          const attempts: NonNullable<Target['attempts']> = [
            { objective: answered.map((term) => ({ ...term })), direction: 'min', rows: [] },
          ];
          for (let j = 0; j < q.columns.length; j += 1) {
            const others = family.flatMap((r, k) => (r[0] === j && at(r) !== v ? [t(qi, k)] : []));
            if (!others.length) continue;
            attempts.push({
              objective: others,
              direction: 'max',
              rows: [
                {
                  name: `x${qi}_${ci}_${j}`,
                  vars: [{ name: z(qi, ci, j), coef: 1 }],
                  bnds: { type: glpk.GLP_LO, lb: 1, ub: 0 },
                },
              ],
            });
          }
          targets.push({
            vars: [],
            reference: 0,
            mode: 'ranking',
            safe: false,
            moved,
            attempts,
            disclosure: {
              kind: 'ranking',
              question: qi,
              position: p,
              column: v,
              profile: cell.profile,
              members: cell.size,
              firsts,
            },
          });
          // Fewer than p ranked implies fewer than any later position: one target says it.
          if (v === -1) break;
        }
      });
    }
    if (forcedByDefinition(q)) return;
    if (options.negative) {
      // "Did not choose": every member of the cell (beyond the attacker's own ballots) responded and
      // none of them chose j, in every solution.
      list.forEach(([, cell], ci) => {
        if (cell.size - knownIn[ci] <= 0) return;
        const answered = answeredTerms(qi, ci);
        const answeredIn = (solution: Record<string, number>) =>
          answered.reduce((sum, term) => sum + term.coef * Math.round(solution[term.name] ?? 0), 0);
        if (answeredIn(reference!) < cell.size) return;
        q.columns.forEach((_, j) => {
          if (value(reference!, [z(qi, ci, j)]) > knownAns[qi][ci][j]) return;
          targets.push({
            vars: [],
            reference: 0,
            mode: 'negative',
            safe: false,
            moved: (solution) =>
              answeredIn(solution) < cell.size || value(solution, [z(qi, ci, j)]) > knownAns[qi][ci][j],
            attempts: [
              { objective: [z(qi, ci, j)], direction: 'max', rows: [] },
              { objective: answered.map((term) => ({ ...term })), direction: 'min', rows: [] },
            ],
            disclosure: { kind: 'negative', question: qi, column: j, profile: cell.profile, members: cell.size },
          });
        });
      });
    }
    list.forEach(([, cell], ci) =>
      q.columns.forEach((_, j) => {
        const vars = [z(qi, ci, j)];
        // Everyone in the cell whose ballot the attacker does not hold gave j.
        const unknown = cell.size - knownIn[ci];
        if (unknown <= 0) return;
        const need = unknown + knownAns[qi][ci][j];
        if (value(reference!, vars) < need) return;
        targets.push({
          vars,
          reference: need,
          mode: 'below',
          safe: false,
          disclosure: { kind: 'answer', question: qi, column: j, profile: cell.profile, members: cell.size },
        });
      }),
    );
  });

  const absorb = (solution: Record<string, number> | null) => {
    if (!solution) return;
    for (const target of targets) {
      if (target.safe) continue;
      if (target.mode === 'ranking' || target.mode === 'negative') {
        if (target.moved!(solution)) target.safe = true;
        continue;
      }
      const v = value(solution, target.vars);
      if (target.mode === 'both' ? v !== target.reference : v < target.reference) target.safe = true;
    }
  };
  for (const solution of pool ?? []) if (holdsKnown(solution)) absorb(solution);
  // A few broad moves first: push every answer target down, and every hidden cell up and down, at
  // once. Most targets move in one of these, leaving few for solves of their own.
  const open = (mode: Target['mode']) => targets.filter((t) => !t.safe && t.mode === mode).flatMap((t) => t.vars);
  if (open('below').length) absorb(solve(open('below'), glpk.GLP_MIN));
  if (open('both').length) absorb(solve(open('both'), glpk.GLP_MAX));
  if (open('both').length) absorb(solve(open('both'), glpk.GLP_MIN));
  for (const target of targets) {
    if (target.safe) continue;
    if (target.mode === 'ranking' || target.mode === 'negative') {
      for (const attempt of target.attempts!) {
        if (target.safe) break;
        absorb(solve(attempt.objective, attempt.direction === 'min' ? glpk.GLP_MIN : glpk.GLP_MAX, attempt.rows));
      }
      continue;
    }
    absorb(solve(target.vars, glpk.GLP_MIN));
    if (!target.safe && target.mode === 'both') absorb(solve(target.vars, glpk.GLP_MAX));
  }
  return { disclosures: targets.filter((target) => !target.safe).map((target) => target.disclosure), solves };
}

export type { Glpk };
