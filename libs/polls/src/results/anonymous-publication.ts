import { QuestionKind } from '../entities/enums';
import type { AnswerRow, QuestionSpec } from '../services/answers';
import { cellKey, perturb as perturbCount } from './cell-key';
import { Dimension, DIMENSIONS, Profile } from './disclosure-audit';
import type { BreakdownTable, Publication, WithheldNote } from './publication';
import { BordaResult, instantRunoff, RunoffResult } from './ranked';

/**
 * What an anonymous poll publishes, decided once, at close, from the opened ballots.
 *
 * The model in one paragraph: nothing about answers is published while the poll is open (turnout
 * only). At close every count is published once and frozen. What is shown is decided only from
 * figures that do not depend on what anyone answered (how many people in each group responded):
 * the whole poll needs at least k responses, a breakdown row at least k, and when exactly one group
 * of a dimension is hidden the next smallest is hidden with it. Every published count is moved by a
 * small, consistent amount (`cell-key.ts`: −2 … +2 from the cell's record keys, clamped to the row's
 * base), zeros included, and percentages, means, medians, ranked rounds and points are computed from
 * those moved counts only. So no rule withholds anything because of what people answered, there are no
 * earlier versions to compare. The non-disclosure step (`non-disclosure.ts`) then publishes unmoved the
 * rare counts whose drawn noise would let a reader of the model (knowing who voted, or holding their own
 * ballot) determine an answer or a hidden cell.
 */

export interface OpenedBallot {
  profile: Profile;
  /** Random, 0 … RECORD_KEY_RANGE − 1, sealed with the ballot. */
  recordKey: number;
  rows: AnswerRow[];
}

export interface AnonymousPublicationInput {
  threshold: number;
  questions: QuestionSpec[];
  /** The electorate snapshot's profiles: which groups exist (rows are listed for each). */
  electorate: Profile[];
  ballots: OpenedBallot[];
}

export interface AnonymousPublication extends Publication {
  questions: Array<
    Publication['questions'][number] & {
      instantRunoff?: RunoffResult;
      borda?: BordaResult;
      texts?: string[];
    }
  >;
}

/** Ranked questions publish their instant-runoff rounds and Borda points only from this many respondents. */
export const RANKED_ROUNDS_MIN = 20;

const DIMENSION_WORDS: Record<Dimension, string> = {
  profession: 'profession',
  careerStage: 'career stage',
  region: 'region',
};

export function columnKeys(q: QuestionSpec): string[] {
  switch (q.kind) {
    case QuestionKind.Likert:
      return ['1', '2', '3', '4', '5'];
    case QuestionKind.Score:
      return Array.from({ length: 11 }, (_, i) => String(i));
    case QuestionKind.FreeText:
      return [];
    default:
      return q.options.map((o) => o.id);
  }
}

/** The columns a ballot's answer to q counts in (first preference for ranked). */
function chosenColumns(q: QuestionSpec, keys: string[], rows: AnswerRow[]): number[] {
  const mine = rows.filter((r) => r.questionId === q.id);
  if (q.kind === QuestionKind.Likert || q.kind === QuestionKind.Score) {
    return mine.filter((r) => r.value !== null).map((r) => keys.indexOf(String(r.value)));
  }
  if (q.kind === QuestionKind.Ranked) {
    const first = mine.find((r) => r.rank === 1);
    return first ? [keys.indexOf(first.optionId!)] : [];
  }
  return mine.filter((r) => r.optionId).map((r) => keys.indexOf(r.optionId!));
}

function answered(q: QuestionSpec, rows: AnswerRow[]): boolean {
  return rows.some((r) => r.questionId === q.id);
}

function rankingOf(q: QuestionSpec, rows: AnswerRow[]): string[] {
  return rows
    .filter((r) => r.questionId === q.id && r.rank !== null)
    .sort((a, b) => a.rank! - b.rank!)
    .map((r) => r.optionId!);
}

/** Which groups of a dimension are shown: base ≥ k, and never exactly one hidden group with ballots. */
export function shownGroups(bases: Map<string, number>, k: number): Set<string> {
  const shown = new Set([...bases].filter(([, n]) => n >= k).map(([g]) => g));
  const hiddenWithBallots = [...bases].filter(([g, n]) => !shown.has(g) && n > 0);
  if (hiddenWithBallots.length === 1 && shown.size) {
    // One hidden group would be the overall result minus the others: hide the next smallest too.
    const smallest = [...shown].sort((a, b) => bases.get(a)! - bases.get(b)! || (a < b ? -1 : 1))[0];
    shown.delete(smallest);
  }
  return shown;
}

/**
 * One published count's noise, as the non-disclosure step sees it: which question and row it sits in
 * (`overall`, `<dimension>:<group>`, `respondents` or `ranked`) and its identity (the cell key and the
 * true count, which alone decide its noise, so cells with the same identity always move together).
 */
export interface NoisyCell {
  question: number;
  row: string;
  identity: string;
}

/** Noise control for `publishAnonymous`: identities published at their true count, and a log of every cell. */
export interface NoiseControl {
  exact?: ReadonlySet<string>;
  log?: NoisyCell[];
}

export const noiseIdentity = (key: number, count: number) => `${key}/${count}`;

export function publishAnonymous(input: AnonymousPublicationInput, control: NoiseControl = {}): AnonymousPublication {
  let question = -1;
  let row = 'overall';
  /** The cell key's noise, or none when the non-disclosure step set this identity exact. */
  const perturb = (count: number, key: number, base: number) => {
    const identity = noiseIdentity(key, count);
    control.log?.push({ question, row, identity });
    return control.exact?.has(identity)
      ? Math.max(0, Math.min(Math.max(0, base), count))
      : perturbCount(count, key, base);
  };
  const k = Math.max(1, input.threshold);
  const ballots = input.ballots;
  const responses = ballots.length;
  const notes: WithheldNote[] = [];
  const enough = responses >= k;
  if (!enough) {
    notes.push({
      question: null,
      dimension: null,
      reason: `No answers are published, because fewer than ${k} people responded.`,
    });
  }

  // Groups and their bases (ballots per group): they depend on who responded, never on what they answered.
  const groupsOf = (d: Dimension) => [...new Set(input.electorate.map((p) => p[d]))].sort();
  const shown: Record<Dimension, Set<string>> = { profession: new Set(), careerStage: new Set(), region: new Set() };
  const bases: Record<Dimension, Map<string, number>> = {
    profession: new Map(),
    careerStage: new Map(),
    region: new Map(),
  };
  for (const d of DIMENSIONS) {
    for (const g of groupsOf(d)) bases[d].set(g, 0);
    for (const b of ballots) bases[d].set(b.profile[d], (bases[d].get(b.profile[d]) ?? 0) + 1);
    shown[d] = enough ? shownGroups(bases[d], k) : new Set();
    const hiddenCount = groupsOf(d).filter((g) => !shown[d].has(g)).length;
    if (enough && groupsOf(d).length > 1 && hiddenCount) {
      notes.push({
        question: null,
        dimension: d,
        reason: `By ${DIMENSION_WORDS[d]}: ${hiddenCount} group(s) are not shown separately, because fewer than ${k} people in them responded, or because their figures could otherwise be worked out from the others.`,
      });
    }
  }

  const questions: AnonymousPublication['questions'] = input.questions.map((q, qi) => {
    const n = qi + 1;
    question = qi;
    row = 'respondents';
    const keys = columnKeys(q);
    const mine = ballots.filter((b) => answered(q, b.rows));
    // Respondents: exact for a required question (the turnout); moved like any count for an optional one.
    const respondentKeys = mine.map((b) => b.recordKey);
    const respondents = q.required
      ? responses
      : perturb(
          mine.length,
          cellKey(
            respondentKeys,
            ballots.map((b) => b.recordKey),
            -1,
          ),
          responses,
        );
    if (q.kind === QuestionKind.FreeText) {
      if (!enough) return { respondents, counts: null, textsWithheld: mine.length > 0 };
      const texts = mine
        .flatMap((b) => b.rows.filter((r) => r.questionId === q.id && r.text !== null).map((r) => r.text!))
        .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
      return { respondents: texts.length, counts: null, texts };
    }
    if (!enough) return { respondents, counts: null };
    if (respondents < k) {
      notes.push({
        question: n,
        dimension: null,
        reason: `Question ${n}: the answers are not published, because fewer than ${k} people answered it.`,
      });
      return { respondents, counts: null };
    }
    const chosen = ballots.map((b) => (answered(q, b.rows) ? chosenColumns(q, keys, b.rows) : []));
    const countRow = (members: number[], base: number) =>
      keys.map((_, j) => {
        const inCell = members.filter((i) => chosen[i].includes(j));
        return perturb(
          inCell.length,
          cellKey(
            inCell.map((i) => ballots[i].recordKey),
            members.map((i) => ballots[i].recordKey),
            j,
          ),
          base,
        );
      });
    const answeredIdx = ballots.map((_, i) => i).filter((i) => answered(q, ballots[i].rows));
    row = 'overall';
    const out: AnonymousPublication['questions'][number] = {
      respondents,
      counts: countRow(answeredIdx, respondents),
      breakdowns: {},
    };
    for (const d of DIMENSIONS) {
      const groups = groupsOf(d);
      if (groups.length < 2) continue;
      const table: BreakdownTable = {
        columns: keys.map((key) => ({ key, label: key })),
        rows: groups.map((g) => {
          const base = bases[d].get(g) ?? 0;
          if (!shown[d].has(g)) {
            return {
              group: g,
              total: null,
              totalSuppressed: true,
              cells: keys.map(() => ({ count: null, suppressed: true, unanimous: false })),
            };
          }
          const members = answeredIdx.filter((i) => ballots[i].profile[d] === g);
          row = `${d}:${g}`;
          return {
            group: g,
            total: base,
            totalSuppressed: false,
            cells: countRow(members, base).map((count) => ({ count, suppressed: false, unanimous: false })),
          };
        }),
      };
      out.breakdowns![d] = table;
    }
    if (q.kind === QuestionKind.Ranked) {
      row = 'ranked';
      if (respondents >= RANKED_ROUNDS_MIN) {
        const rankings = answeredIdx.map((i) => rankingOf(q, ballots[i].rows));
        const runoff = instantRunoff(keys, rankings);
        const all = answeredIdx.map((i) => ballots[i].recordKey);
        // Each round's votes and exhausted ballots are cells like any other (the ballots they count).
        out.instantRunoff = {
          ...runoff,
          rounds: runoff.rounds.map((round) => {
            const continuing = new Set(Object.keys(round.counts));
            const top = rankings.map((r) => r.find((o) => continuing.has(o)) ?? null);
            const cell = (pick: (t: string | null) => boolean, column: number) => {
              const members = answeredIdx.filter((_, x) => pick(top[x]));
              return perturb(
                members.length,
                cellKey(
                  members.map((i) => ballots[i].recordKey),
                  all,
                  column,
                ),
                respondents,
              );
            };
            return {
              ...round,
              counts: Object.fromEntries([...continuing].map((o) => [o, cell((t) => t === o, keys.indexOf(o))])),
              exhausted: cell((t) => t === null, 999),
            };
          }),
        };
        // Borda points from perturbed counts of each option at each position.
        const m = keys.length;
        const points: Record<string, number> = Object.fromEntries(keys.map((o) => [o, 0]));
        keys.forEach((o, j) => {
          for (let p = 0; p < m - 1; p += 1) {
            const members = answeredIdx.filter((_, x) => rankings[x][p] === o);
            const count = perturb(
              members.length,
              cellKey(
                members.map((i) => ballots[i].recordKey),
                all,
                p === 0 ? j : 2000 + j * 16 + p,
              ),
              respondents,
            );
            points[o] += (m - 1 - p) * count;
          }
        });
        out.borda = bordaFromPoints(keys, points);
      } else {
        out.rankingWithheld = true;
        notes.push({
          question: n,
          dimension: null,
          reason: `Question ${n}: the instant-runoff rounds and Borda points are published only when at least ${RANKED_ROUNDS_MIN} people answered.`,
        });
      }
    }
    return out;
  });
  for (const [qi, q] of input.questions.entries()) {
    if (q.kind === QuestionKind.FreeText && questions[qi].textsWithheld) {
      notes.push({
        question: qi + 1,
        dimension: null,
        reason: `Question ${qi + 1}: the written answers are not published, because fewer than ${k} people responded.`,
      });
    }
  }
  return { responses, questions, withheld: notes };
}

function bordaFromPoints(options: string[], points: Record<string, number>): BordaResult {
  const sorted = options
    .map((optionId, order) => ({ optionId, points: points[optionId], order }))
    .sort((a, b) => b.points - a.points || a.order - b.order);
  const ranking = sorted.map((entry) => ({
    optionId: entry.optionId,
    points: entry.points,
    place: 1 + sorted.filter((other) => other.points > entry.points).length,
  }));
  const top = ranking[0]?.points ?? 0;
  return { points, ranking, winners: ranking.filter((r) => r.points === top).map((r) => r.optionId) };
}
