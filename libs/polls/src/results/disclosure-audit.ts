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

/** Every number one poll publishes, in whatever output it appears. null = withheld or hidden. */
export interface PublishedFigures {
  responses: number | null;
  questions: Array<{
    respondents: number | null;
    /** Aligned with the question's columns; null (or a missing entry) = withheld. */
    counts: Array<number | null>;
    breakdowns: Partial<Record<Dimension, PublishedRow[]>>;
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

export type Disclosure = HiddenCellDisclosure | AnswerDisclosure;

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
  /** 'both': a hidden cell (must be able to move); 'below': an answer (must be able to fall below `reference`). */
  mode: 'both' | 'below';
  disclosure: Disclosure;
  safe: boolean;
}

/** Attacks the published figures: what they determine, given the member list. */
export async function auditFigures(
  questions: AuditQuestion[],
  electorate: Profile[],
  figures: PublishedFigures,
  truth?: TrueTally,
): Promise<AuditReport> {
  const glpk = await loadGlpk();
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
    const published = figures.questions[qi];
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
    if (published?.respondents !== null && published?.respondents !== undefined) {
      equal(
        list.flatMap((_, ci) => answeredTerms(qi, ci)),
        published.respondents,
      );
    }
    q.columns.forEach((_, j) => {
      const count = published?.counts[j];
      if (count !== null && count !== undefined) equal(ones(list.map((_, ci) => z(qi, ci, j))), count);
    });
    for (const dimension of DIMENSIONS) {
      const table = published?.breakdowns[dimension];
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
          if (value !== null && j < q.columns.length) equal(ones(members.map(({ ci }) => z(qi, ci, j))), value);
        });
      }
    }
  });

  let solves = 0;
  const solve = (objective: string[], direction: number): Record<string, number> | null => {
    solves += 1;
    const lp: LP = {
      name: 'audit',
      objective: {
        direction,
        name: 'obj',
        vars: objective.length ? ones(objective) : [{ name: b(0), coef: 0 }],
      },
      subjectTo: rows,
      bounds,
      generals,
    };
    const result = glpk.solve(lp, { msglev: glpk.GLP_MSG_OFF, tmlim: 5 });
    const status = result.result.status;
    if (status !== glpk.GLP_OPT && status !== glpk.GLP_FEAS) return null;
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
  } else {
    reference = solve([], glpk.GLP_MIN);
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
          if (cellValue !== null || j >= q.columns.length) return;
          const vars = members.map(({ ci }) => z(qi, ci, j));
          const ref = value(reference!, vars);
          // A hidden zero that is known to be zero tells nobody's answer (e.g. an option nobody chose).
          if (ref === 0) return;
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
    if (forcedByDefinition(q)) return;
    list.forEach(([, cell], ci) =>
      q.columns.forEach((_, j) => {
        const vars = [z(qi, ci, j)];
        if (value(reference!, vars) < cell.size) return;
        targets.push({
          vars,
          reference: cell.size,
          mode: 'below',
          safe: false,
          disclosure: { kind: 'answer', question: qi, column: j, profile: cell.profile, members: cell.size },
        });
      }),
    );
  });

  const absorb = (solution: Record<string, number> | null) => {
    if (!solution) return;
    for (const t of targets) {
      if (t.safe) continue;
      const v = value(solution, t.vars);
      if (t.mode === 'both' ? v !== t.reference : v < t.reference) t.safe = true;
    }
  };
  // A few broad moves first: push every answer target down, and every hidden cell up and down, at
  // once. Most targets move in one of these, leaving few for solves of their own.
  const open = (mode: Target['mode']) => targets.filter((t) => !t.safe && t.mode === mode).flatMap((t) => t.vars);
  if (open('below').length) absorb(solve(open('below'), glpk.GLP_MIN));
  if (open('both').length) absorb(solve(open('both'), glpk.GLP_MAX));
  if (open('both').length) absorb(solve(open('both'), glpk.GLP_MIN));
  for (const t of targets) {
    if (t.safe) continue;
    absorb(solve(t.vars, glpk.GLP_MIN));
    if (!t.safe && t.mode === 'both') absorb(solve(t.vars, glpk.GLP_MAX));
  }
  return { disclosures: targets.filter((t) => !t.safe).map((t) => t.disclosure), solves };
}

export type { Glpk };
