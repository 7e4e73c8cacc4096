import { QuestionKind } from '../entities/enums';
import type { QuestionSpec } from '../services/answers';
import {
  AuditQuestion,
  auditFigures,
  Dimension,
  DIMENSIONS,
  Disclosure,
  Profile,
  profileKey,
  PublishedFigures,
  TrueTally,
} from './disclosure-audit';

/**
 * Everything one poll publishes is decided here, once, and every output (results JSON, live counts,
 * results.csv, the printable summary) is a rendering of it. The steps:
 *
 * 1. Group totals, per dimension, for the whole poll: the ballots from each group (everyone who
 *    answered a required question). A total below the threshold is hidden, and so is the next
 *    smallest if one hidden total could be worked out from the turnout. They are the same in every
 *    table of the poll.
 * 2. Each breakdown table: every cell of a row whose total is hidden is hidden, zeros included; counts
 *    from 1 to threshold − 1 are hidden; no row or column may hide exactly one cell, nor hidden cells
 *    that add up to 0.
 * 3. The auditor (`auditFigures`) attacks the whole publication with the member list a co-chair sees;
 *    whatever it can still determine (a hidden cell, or a member's answer) makes more cells hidden,
 *    then a question's breakdowns, then its counts, until nothing is determined.
 */

export interface SuppressedCell {
  count: number | null;
  suppressed: boolean;
  unanimous: boolean;
}

export interface SuppressedRow {
  group: string;
  total: number | null;
  totalSuppressed: boolean;
  cells: SuppressedCell[];
}

export interface BreakdownTable {
  columns: Array<{ key: string; label: string }>;
  rows: SuppressedRow[];
}

/** What was held back and why, in words a co-chair can pass on. */
export interface WithheldNote {
  /** 1-based question number, or null for the whole poll. */
  question: number | null;
  dimension: Dimension | null;
  reason: string;
}

export interface QuestionTally {
  spec: QuestionSpec;
  columns: Array<{ key: string; label: string }>;
  /** Per profile cell key: counts aligned with columns (first preferences for ranked). */
  answers: Map<string, number[]>;
  /** Per profile cell key: ballots that answered this question. */
  answered: Map<string, number>;
}

export interface PollTally {
  threshold: number;
  /** The electorate snapshot: members per profile cell (the member list a co-chair sees). */
  electorate: Array<{ profile: Profile; members: number }>;
  /** Mixed ballots per profile cell key. */
  ballots: Map<string, number>;
  questions: QuestionTally[];
}

export interface Publication {
  responses: number;
  questions: Array<{
    respondents: number;
    /** null when the question's counts are withheld. */
    counts: number[] | null;
    /** Free-text questions: true when the written answers are held back (fewer than k wrote one). */
    textsWithheld?: boolean;
    breakdowns?: Partial<Record<Dimension, BreakdownTable>>;
  }>;
  withheld: WithheldNote[];
}

const DIMENSION_WORDS: Record<Dimension, string> = {
  profession: 'profession',
  careerStage: 'career stage',
  region: 'region',
};
const SINGLE_VALUED = new Set([
  QuestionKind.SingleChoice,
  QuestionKind.Likert,
  QuestionKind.Score,
  QuestionKind.Ranked,
]);

interface Table {
  groups: string[];
  values: number[][];
  hidden: boolean[][];
}

/** Hides the smallest visible entry among candidates (non-zero first); false when there is none. */
function hideSmallest(candidates: Array<{ value: number; hide: () => void }>, nonZeroOnly = false): boolean {
  const pool = nonZeroOnly ? candidates.filter((c) => c.value > 0) : candidates;
  if (!pool.length) return false;
  pool.sort((a, b) => Number(a.value === 0) - Number(b.value === 0) || a.value - b.value);
  pool[0].hide();
  return true;
}

/** One line (a row or column) of a table: hides a complement when its hidden entries would be known. */
function protectLine(entries: Array<{ value: number; hidden: boolean; hide: () => void }>): boolean {
  const hidden = entries.filter((e) => e.hidden);
  if (!hidden.length) return false;
  const visible = entries.filter((e) => !e.hidden);
  if (hidden.every((e) => e.value === 0)) return hideSmallest(visible, true);
  if (hidden.length === 1) return hideSmallest(visible);
  return false;
}

export async function publishResults(tally: PollTally, withBreakdowns: boolean): Promise<Publication> {
  const k = tally.threshold;
  const cells = tally.electorate;
  const responses = [...tally.ballots.values()].reduce((a, b) => a + b, 0);
  const groupsOf = (d: Dimension) => [...new Set(cells.map((c) => c.profile[d]))].sort();
  const groupTotal = (d: Dimension, g: string) =>
    cells
      .filter((c) => c.profile[d] === g)
      .reduce((sum, c) => sum + (tally.ballots.get(profileKey(c.profile)) ?? 0), 0);
  const notes: WithheldNote[] = [];

  // 1. Group totals, once per poll and dimension.
  const totalsHidden: Record<Dimension, Set<string>> = {
    profession: new Set(),
    careerStage: new Set(),
    region: new Set(),
  };
  if (withBreakdowns) {
    for (const d of DIMENSIONS) {
      const entries = groupsOf(d).map((g) => ({
        g,
        value: groupTotal(d, g),
        get hidden() {
          return totalsHidden[d].has(g);
        },
        hide: () => totalsHidden[d].add(g),
      }));
      entries.forEach((e) => e.value < k && e.hide());
      while (protectLine(entries));
    }
  }

  // 2. Table rules.
  const tables = new Map<string, Table>();
  const tableKey = (qi: number, d: Dimension) => `${qi}|${d}`;
  const breakdownsWithheld = new Set<number>();
  const countsWithheld = new Set<number>();
  const level = new Map<number, number>();
  const questions = tally.questions;
  const tabulated = (qi: number) => withBreakdowns && questions[qi].spec.kind !== QuestionKind.FreeText;
  questions.forEach((q, qi) => {
    if (!tabulated(qi)) return;
    for (const d of DIMENSIONS) {
      const groups = groupsOf(d);
      // One group only: its table is the overall result, and hiding its cells would protect nothing.
      if (groups.length < 2) continue;
      const values = groups.map((g) =>
        q.columns.map((_, j) =>
          cells
            .filter((c) => c.profile[d] === g)
            .reduce((sum, c) => sum + (q.answers.get(profileKey(c.profile))?.[j] ?? 0), 0),
        ),
      );
      const hidden = groups.map((g, r) => values[r].map((v) => totalsHidden[d].has(g) || (v >= 1 && v < k)));
      tables.set(tableKey(qi, d), { groups, values, hidden });
    }
  });
  const applyTableRules = () => {
    tables.forEach((t, key) => {
      const qi = Number(key.split('|')[0]);
      const q = questions[qi];
      const rowsAddUp = SINGLE_VALUED.has(q.spec.kind) && q.spec.required;
      const width = q.columns.length;
      for (let guard = 0; guard < 4 * (t.groups.length + 1) * (width + 1); guard += 1) {
        let changed = false;
        t.groups.forEach((g, r) => {
          if (t.hidden[r].every(Boolean)) return;
          const line = t.values[r].map((value, j) => ({
            value,
            hidden: t.hidden[r][j],
            hide: () => (t.hidden[r][j] = true),
          }));
          // With a hidden total the row's cells are all hidden already; a visible total makes the row an equation.
          if (rowsAddUp && protectLine(line)) changed = true;
          else if (
            !rowsAddUp &&
            line.some((e) => e.hidden) &&
            line.filter((e) => e.hidden).every((e) => e.value === 0)
          ) {
            if (
              hideSmallest(
                line.filter((e) => !e.hidden),
                true,
              )
            )
              changed = true;
          }
        });
        for (let j = 0; j < width; j += 1) {
          const line = t.groups.map((_, r) => ({
            value: t.values[r][j],
            hidden: t.hidden[r][j],
            hide: () => (t.hidden[r][j] = true),
          }));
          if (protectLine(line)) changed = true;
        }
        if (!changed) break;
      }
    });
  };

  const auditQuestions: AuditQuestion[] = questions.map((q) => ({
    kind: q.spec.kind,
    required: q.spec.required,
    minChoices: Math.max(1, q.spec.minChoices),
    maxChoices: q.spec.maxChoices ?? q.columns.length,
    columns: q.columns.map((c) => c.key),
  }));
  const truth: TrueTally = {
    ballots: tally.ballots,
    answers: questions.map((q) => q.answers),
    answered: questions.map((q) => q.answered),
  };
  const electorate: Profile[] = cells.flatMap((c) => Array.from({ length: c.members }, () => c.profile));
  const respondentsOf = (qi: number) => [...questions[qi].answered.values()].reduce((a, b) => a + b, 0);
  const overall = (qi: number) =>
    questions[qi].columns.map((_, j) =>
      [...questions[qi].answers.values()].reduce((sum, counts) => sum + (counts[j] ?? 0), 0),
    );

  const figures = (): PublishedFigures => ({
    responses,
    questions: questions.map((q, qi) => {
      const breakdowns: PublishedFigures['questions'][number]['breakdowns'] = {};
      if (tabulated(qi)) {
        for (const d of DIMENSIONS) {
          const t = tables.get(tableKey(qi, d));
          if (!t) continue;
          breakdowns[d] = t.groups.map((g, r) => ({
            group: g,
            total: totalsHidden[d].has(g) ? null : groupTotal(d, g),
            cells: t.values[r].map((v, j) => (t.hidden[r][j] ? null : v)),
          }));
        }
      }
      return {
        respondents: respondentsOf(qi),
        counts: countsWithheld.has(qi) ? q.columns.map(() => null) : overall(qi),
        breakdowns,
      };
    }),
  });

  const hideQuestionBreakdowns = (qi: number) => {
    breakdownsWithheld.add(qi);
    for (const d of DIMENSIONS) tables.get(tableKey(qi, d))?.hidden.forEach((row) => row.fill(true));
  };
  const escalateQuestion = (qi: number) => {
    const next = (level.get(qi) ?? 0) + 1;
    level.set(qi, next);
    if (next === 1 && tabulated(qi)) hideQuestionBreakdowns(qi);
    else if (next <= 2) {
      hideQuestionBreakdowns(qi);
      countsWithheld.add(qi);
    } else {
      // Last resort (not reached by any poll we could construct): publish nothing about the question
      // that could pin an answer, and no group totals.
      for (const d of DIMENSIONS) groupsOf(d).forEach((g) => totalsHidden[d].add(g));
      tables.forEach((t) => t.hidden.forEach((row) => row.fill(true)));
      countsWithheld.add(qi);
    }
  };
  const act = (disclosure: Disclosure) => {
    const qi = disclosure.question;
    if (disclosure.kind === 'cell') {
      const t = tables.get(tableKey(qi, disclosure.dimension))!;
      const r = t.groups.indexOf(disclosure.group);
      const j = disclosure.column;
      const candidate = (rr: number, jj: number) => ({
        value: t.values[rr][jj],
        hide: () => (t.hidden[rr][jj] = true),
      });
      const row = t.values[r].map((_, jj) => jj).filter((jj) => !t.hidden[r][jj]);
      const column = t.groups.map((_, rr) => rr).filter((rr) => !t.hidden[rr][j]);
      if (
        hideSmallest(
          row.map((jj) => candidate(r, jj)),
          true,
        )
      )
        return;
      if (
        hideSmallest(
          column.map((rr) => candidate(rr, j)),
          true,
        )
      )
        return;
      if (hideSmallest([...row.map((jj) => candidate(r, jj)), ...column.map((rr) => candidate(rr, j))])) return;
      escalateQuestion(qi);
      return;
    }
    let hid = false;
    for (const d of DIMENSIONS) {
      const t = tables.get(tableKey(qi, d));
      if (!t) continue;
      const r = t.groups.indexOf(disclosure.profile[d]);
      if (r >= 0 && !t.hidden[r][disclosure.column]) {
        t.hidden[r][disclosure.column] = true;
        hid = true;
      }
    }
    if (!hid) escalateQuestion(qi);
  };

  for (let round = 0; round < 200; round += 1) {
    applyTableRules();
    const report = await auditFigures(auditQuestions, electorate, figures(), truth);
    if (!report.disclosures.length) break;
    // One disclosure per question per round: a single extra suppression often settles several.
    const seen = new Set<number>();
    for (const disclosure of report.disclosures) {
      if (seen.has(disclosure.question)) continue;
      seen.add(disclosure.question);
      act(disclosure);
    }
  }

  // Notes, in plain words.
  if (withBreakdowns) {
    for (const d of DIMENSIONS) {
      if (totalsHidden[d].size && groupsOf(d).length > 1) {
        notes.push({
          question: null,
          dimension: d,
          reason: `By ${DIMENSION_WORDS[d]}: ${[...totalsHidden[d]].length} group(s) are not shown separately because fewer than ${k} people in them responded, or because their number could otherwise be worked out from the others.`,
        });
      }
    }
  }
  // Written answers are never paired with a group in any output; a handful of them could still be
  // recognised by style or content, so a question's comments are published only when at least k wrote one.
  const textsWithheld = (qi: number) =>
    questions[qi].spec.kind === QuestionKind.FreeText && respondentsOf(qi) > 0 && respondentsOf(qi) < k;
  questions.forEach((q, qi) => {
    const n = qi + 1;
    if (textsWithheld(qi)) {
      notes.push({
        question: n,
        dimension: null,
        reason: `Question ${n}: the written answers are not published, because fewer than ${k} people wrote one and so few comments could be recognised.`,
      });
    } else if (countsWithheld.has(qi)) {
      notes.push({
        question: n,
        dimension: null,
        reason: `Question ${n}: the answers are not published, because together with the turnout and the member list they would show how particular members answered (for example, everyone in a group that all responded gave the same answer).`,
      });
    } else if (breakdownsWithheld.has(qi)) {
      notes.push({
        question: n,
        dimension: null,
        reason: `Question ${n}: the breakdowns are not published, because together with the other figures and the member list they would show how particular members answered.`,
      });
    } else if (tabulated(qi)) {
      for (const d of DIMENSIONS) {
        const t = tables.get(tableKey(qi, d));
        if (!t) continue;
        const hiddenCells = t.hidden.reduce(
          (sum, row, r) => sum + (totalsHidden[d].has(t.groups[r]) ? 0 : row.filter(Boolean).length),
          0,
        );
        if (hiddenCells) {
          notes.push({
            question: n,
            dimension: d,
            reason: `Question ${n} by ${DIMENSION_WORDS[d]}: ${hiddenCells} count(s) are hidden (*): counts below ${k}, and others that would let someone work them out, or work out how particular members answered.`,
          });
        }
      }
    }
  });

  return {
    responses,
    questions: questions.map((q, qi) => {
      const out: Publication['questions'][number] = {
        respondents: respondentsOf(qi),
        counts: countsWithheld.has(qi) ? null : overall(qi),
      };
      if (textsWithheld(qi)) out.textsWithheld = true;
      if (tabulated(qi)) {
        out.breakdowns = {};
        for (const d of DIMENSIONS) {
          const t = tables.get(tableKey(qi, d));
          if (!t) continue;
          out.breakdowns[d] = {
            columns: q.columns,
            rows: t.groups.map((g, r) => {
              const totalHidden = totalsHidden[d].has(g);
              const total = groupTotal(d, g);
              return {
                group: g,
                total: totalHidden ? null : total,
                totalSuppressed: totalHidden,
                cells: t.values[r].map((v, j) => {
                  const hidden = totalHidden || t.hidden[r][j];
                  return {
                    count: hidden ? null : v,
                    suppressed: hidden,
                    unanimous: !hidden && total > 0 && v === total && SINGLE_VALUED.has(q.spec.kind),
                  };
                }),
              };
            }),
          };
        }
      }
      return out;
    }),
    withheld: notes,
  };
}
