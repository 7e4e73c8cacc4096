import { QuestionKind } from '../entities/enums';
import type { AnswerRow, QuestionSpec } from '../services/answers';
import {
  AnonymousPublication,
  AnonymousPublicationInput,
  columnKeys,
  NoisyCell,
  publishAnonymous,
} from './anonymous-publication';
import {
  AuditQuestion,
  auditFigures,
  Disclosure,
  DIMENSIONS,
  KnownBallot,
  Profile,
  profileKey,
  PublishedFigures,
} from './disclosure-audit';
import { MAX_NOISE } from './cell-key';

/**
 * The non-disclosure step of an anonymous publication (run once, at close).
 *
 * The cell-key noise is bounded (−2 … +2, clamped to [0, base]), so a reader knows each true count lies
 * in a window around the published one; the exact bases tie a row's cells together and the shown
 * breakdowns tie the tables together, and at the edges those windows can meet in a single value. After
 * the noise is drawn, the step runs the readers' own analysis on what would be published (the integer
 * programs of `auditFigures`, counts read as windows):
 * - a co-chair who knows exactly who voted, reading "did not choose" as well as "chose";
 * - every voter holding their own ballot (one reader per distinct profile and answers, up to
 *   `BALLOT_READERS_MAX` distinct ballots).
 * Where something would be determined (a member's answer, a "did not choose", a hidden cell), the noise
 * of the cells involved is replaced by 0 (their true counts are published), first in the rows that
 * hold the member, then in the whole question, then everywhere, and the check runs again. With no
 * noise at all nothing can be determined (moving one ballot from one answer to another stays inside
 * every window), so it ends.
 *
 * Why this does not leak: a reader's feasible set for a published table P is every tally T with P − T
 * inside the windows. A noise of 0 is always a possible noise (the likeliest one), so an adjusted P is
 * also a natural output of the same T, and every P keeps exactly the feasible set it would have had
 * naturally; the step only removes outputs that would pin something. Nothing is withheld and no note
 * says a count was adjusted. Cells of the same identity (cell key and count) are set exact together,
 * so the same ballots still show the same number everywhere.
 */

export interface NonDisclosureOptions {
  /** Off: publish the cell-key noise as drawn (for measuring what the step prevents). */
  enabled?: boolean;
  /** Time budget for the attacks, after which the rest of the noise is set to 0 at once. */
  budgetMs?: number;
}

export interface CheckedPublication {
  publication: AnonymousPublication;
  /** Identities whose noise was set to 0 (not published; for tests and the bench). */
  exact: number;
  /** Rounds of checking (1 when the drawn noise pinned nothing). */
  rounds: number;
}

/** What a reader knows of a question from its definition (public to members). */
export function auditQuestionsOf(questions: QuestionSpec[]): AuditQuestion[] {
  return questions.map((q) => {
    const columns = columnKeys(q);
    return {
      kind: q.kind,
      required: q.required,
      minChoices: Math.max(1, q.minChoices ?? 0),
      maxChoices: q.maxChoices ?? columns.length,
      columns,
    };
  });
}

/** Every figure an anonymous publication shows, as the readers' integer programs read them. */
export function figuresOfAnonymous(questions: QuestionSpec[], publication: AnonymousPublication): PublishedFigures {
  return {
    responses: publication.responses,
    questions: questions.map((q, qi) => {
      const published = publication.questions[qi];
      const keys = columnKeys(q);
      const breakdowns: PublishedFigures['questions'][number]['breakdowns'] = {};
      for (const d of DIMENSIONS) {
        const table = published?.breakdowns?.[d];
        if (!table) continue;
        breakdowns[d] = table.rows
          .filter((r) => !r.totalSuppressed)
          .map((r) => ({ group: r.group, total: r.total, cells: r.cells.map((c) => c.count) }));
        // Hidden rows: the group is listed, its figures are not.
        for (const r of table.rows.filter((x) => x.totalSuppressed)) {
          breakdowns[d]!.push({ group: r.group, total: null, cells: keys.map(() => null) });
        }
      }
      const runoff = published?.instantRunoff;
      const borda = published?.borda;
      return {
        respondents: published?.respondents ?? null,
        counts: keys.map((_, j) => published?.counts?.[j] ?? null),
        breakdowns,
        ranking:
          runoff && borda
            ? {
                rounds: runoff.rounds.map((round) => {
                  const continuing = Object.keys(round.counts).map((key) => keys.indexOf(key));
                  return {
                    continuing,
                    counts: continuing.map((j) => round.counts[keys[j]]),
                    exhausted: round.exhausted,
                  };
                }),
                borda: keys.map((key) => borda.points[key] ?? 0),
              }
            : null,
      };
    }),
  };
}

/** The columns a ballot chose per question (first preference for ranked), or null when skipped. */
function ballotAnswers(questions: QuestionSpec[], rows: AnswerRow[]): Array<number[] | null> {
  return questions.map((q) => {
    const mine = rows.filter((r) => r.questionId === q.id);
    if (!mine.length) return null;
    const keys = columnKeys(q);
    if (q.kind === QuestionKind.Likert || q.kind === QuestionKind.Score) {
      return mine.filter((r) => r.value !== null).map((r) => keys.indexOf(String(r.value)));
    }
    if (q.kind === QuestionKind.Ranked) {
      const first = mine.find((r) => r.rank === 1);
      return first ? [keys.indexOf(first.optionId!)] : [];
    }
    return mine.filter((r) => r.optionId).map((r) => keys.indexOf(r.optionId!));
  });
}

/**
 * Up to this many distinct ballots (profile and answers), each is read as its holder would read the
 * tables. Beyond it (polls of a few hundred voters and more, where every profile cell is large) only the
 * co-chair's reader runs: one integer program per distinct ballot would keep the close busy for minutes.
 */
export const BALLOT_READERS_MAX = 200;

/** The readers of one publication: the co-chair (no ballot) and one per distinct ballot a voter holds. */
function readers(input: AnonymousPublicationInput): Array<KnownBallot | null> {
  const seen = new Map<string, KnownBallot>();
  for (const b of input.ballots) {
    const answers = ballotAnswers(input.questions, b.rows);
    const key = `${profileKey(b.profile)}|${JSON.stringify(answers)}`;
    if (!seen.has(key)) seen.set(key, { profile: b.profile, answers });
    if (seen.size > BALLOT_READERS_MAX) return [null];
  }
  return [null, ...seen.values()];
}

/** What any reader of the model determines from a publication (empty: nothing). */
export async function disclosuresOf(
  input: AnonymousPublicationInput,
  publication: AnonymousPublication,
  deadline = Infinity,
): Promise<Disclosure[] | null> {
  const questions = auditQuestionsOf(input.questions);
  const figures = figuresOfAnonymous(input.questions, publication);
  const voters: Profile[] = input.ballots.map((b) => b.profile);
  const pool: Array<Record<string, number>> = [];
  for (const reader of readers(input)) {
    if (Date.now() > deadline) return null;
    const report = await auditFigures(questions, voters, figures, undefined, {
      window: MAX_NOISE,
      negative: true,
      known: reader ? [reader] : [],
      pool,
    });
    if (report.disclosures.length) return report.disclosures;
  }
  return [];
}

/** The rows of a question that hold a profile: the overall row, its groups' rows, respondents and ranked figures. */
function rowsOf(profile: Profile): Set<string> {
  return new Set(['overall', 'respondents', 'ranked', ...DIMENSIONS.map((d) => `${d}:${profile[d]}`)]);
}

/**
 * The anonymous publication with the non-disclosure step: the cell-key noise as drawn, unless a reader
 * of the model would determine something from it; then the noise of the cells involved is set to 0,
 * widening step by step, until nothing is determined.
 */
export async function publishAnonymousChecked(
  input: AnonymousPublicationInput,
  options: NonDisclosureOptions = {},
): Promise<CheckedPublication> {
  const exact = new Set<string>();
  const publishLogged = () => {
    const log: NoisyCell[] = [];
    return { publication: publishAnonymous(input, { exact, log }), log };
  };
  let { publication, log } = publishLogged();
  if (options.enabled === false) return { publication, exact: 0, rounds: 0 };
  const deadline = options.budgetMs === undefined ? Infinity : Date.now() + options.budgetMs;
  const widened = new Map<string, number>();
  for (let rounds = 1; ; rounds += 1) {
    const found = await disclosuresOf(input, publication, deadline);
    if (found && !found.length) return { publication, exact: exact.size, rounds };
    const before = exact.size;
    if (!found) {
      // Out of time: no noise at all, which determines nothing.
      log.forEach((cell) => exact.add(cell.identity));
    } else {
      const first = found[0];
      const question = first.question;
      // First the rows holding the member (or the whole question for a hidden cell), then the question, then all.
      const level = widened.get(`${question}`) ?? (first.kind === 'cell' ? 1 : 0);
      widened.set(`${question}`, level + 1);
      const rows = 'profile' in first ? rowsOf(first.profile) : null;
      for (const cell of log) {
        if (level >= 2 || (cell.question === question && (level === 1 || !rows || rows.has(cell.row))))
          exact.add(cell.identity);
      }
    }
    if (exact.size === before) {
      // Nothing left to set exact: every figure is its true count, which determines nothing.
      log.forEach((cell) => exact.add(cell.identity));
      if (exact.size === before) return { publication, exact: exact.size, rounds };
    }
    ({ publication, log } = publishLogged());
  }
}
