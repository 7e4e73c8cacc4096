import { Injectable, OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { LIKERT_LABELS, PollStatus, QuestionKind, ResultsVisibility, SCORE_MAX, SCORE_MIN } from '../entities/enums';
import { Poll } from '../entities/poll.entity';
import { PollError, PollErrorCode } from '../errors/polls.error';
import { percentagesThatAddUp, percentOf } from '../results/percentages';
import { methodParagraphs } from '../results/report';
import { bordaCount, BordaResult, instantRunoff, RANKED_RULES, RunoffResult } from '../results/ranked';
import { BreakdownTable, Publication, publishResults, QuestionTally, WithheldNote } from '../results/publication';
import { Dimension, DIMENSIONS, profileKey } from '../results/disclosure-audit';
import { loadGlpk } from '../results/solver';
import { AnonymousPublication } from '../results/anonymous-publication';
import { publishAnonymousChecked } from '../results/non-disclosure';
import { SealedBallotContent, SealedBallots } from './sealed-ballots.service';
import { QuestionSpec } from './answers';
import { PollsService } from './polls.service';
import { ResultsCache } from './results-cache.service';

export const BREAKDOWN_DIMENSIONS = DIMENSIONS;
export type BreakdownDimension = Dimension;

export interface ResultCount {
  key: string;
  label: string;
  count: number;
  /** Of the question's respondents; one decimal, and adding up to exactly 100 except for multiple choice. */
  percent: number;
}

/** A breakdown row with each shown cell's percentage (null where the cell is hidden). */
export interface BreakdownResultRow {
  group: string;
  total: number | null;
  totalSuppressed: boolean;
  cells: Array<{ count: number | null; suppressed: boolean; unanimous: boolean; percent: number | null }>;
  /** True when some cells are hidden and the percentages are of the answers shown in the row. */
  percentOfShown: boolean;
}

export interface BreakdownResultTable extends Omit<BreakdownTable, 'rows'> {
  rows: BreakdownResultRow[];
}

export interface QuestionResult {
  id: string;
  position: number;
  kind: QuestionKind;
  prompt: string;
  respondents: number;
  /** Options (choice kinds; first preferences for ranked) or scale points (Likert, score). */
  counts: ResultCount[];
  mean?: number;
  median?: number;
  instantRunoff?: RunoffResult;
  borda?: BordaResult;
  /** How the percentages are to be read, when they do not simply add up to 100. */
  percentNote?: string;
  /** Free text, sorted alphabetically (never in the order given), without names; absent when withheld. */
  texts?: string[];
  breakdowns?: Partial<Record<BreakdownDimension, BreakdownResultTable>>;
  /** Why the counts of this question are not published (see `PollResults.withheld`). */
  withheld?: string;
}

export interface PollResults {
  pollId: string;
  status: PollStatus;
  anonymous: boolean;
  turnout: { electorate: number; responses: number; percent: number };
  threshold: number;
  breakdownsShown: boolean;
  breakdownNote: string | null;
  /** What was held back to protect anonymity, and why, in plain words. */
  withheld: WithheldNote[];
  /** How ranked questions are counted (`RANKED_RULES`), when the poll has one. */
  rankedRules: string | null;
  /** The method in plain words (anonymity, threshold, perturbation, rounding, ranked rules), as every output states it. */
  method: string[];
  questions: QuestionResult[];
}

export interface ResultsViewer {
  manages: boolean;
}

/** Who may see counts and breakdowns, and when. */
export function resultsVisibility(poll: Poll, viewer: ResultsViewer): { counts: boolean; breakdowns: boolean } {
  const closed = poll.status === PollStatus.Closed;
  const counts =
    poll.status !== PollStatus.Draft &&
    poll.status !== PollStatus.Scheduled &&
    (viewer.manages || closed || poll.resultsVisibility === ResultsVisibility.Live);
  // Anonymous: watching breakdown cells move while the poll is open would reveal single answers.
  return { counts, breakdowns: counts && (closed || !poll.anonymous) };
}

/** The shape of a cached `PollResults`: bumped when it changes, so an entry of an older shape is never read. */
const RESULTS_FORMAT = 'r3';

/**
 * Time the close gives the non-disclosure step's readers; past it every count is published at its
 * true value (a noise of 0, always a possible noise, which determines nothing).
 */
const NON_DISCLOSURE_BUDGET_MS = 60_000;

/** What an open anonymous poll shows instead of counts. */
export const ANONYMOUS_OPEN_NOTE =
  'Answers to an anonymous poll are counted and published once, when it closes. Until then only the turnout is shown.';

const MULTIPLE_CHOICE_NOTE =
  'Percentages are of the people who answered; each could choose more than one answer, so they add up to more than 100%.';
const SHOWN_NOTE = 'Where some counts in a row are hidden, its percentages are of the answers shown.';

/** Tallies, ranked-choice counts and suppressed breakdowns, straight from the answer rows. */
@Injectable()
export class ResultsService implements OnModuleInit {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly polls: PollsService,
    private readonly cache: ResultsCache,
    private readonly sealed: SealedBallots,
  ) {}

  /** The solver's WebAssembly takes ~100 ms to start: do it at boot, not on the first results request. */
  onModuleInit(): void {
    void loadGlpk().catch(() => undefined);
  }

  async forViewer(poll: Poll, viewer: ResultsViewer): Promise<PollResults> {
    const visible = resultsVisibility(poll, viewer);
    if (!visible.counts) {
      throw new PollError(
        PollErrorCode.ResultsHidden,
        poll.status === PollStatus.Open ? 'Results are shown when the poll closes' : 'This poll has not opened yet',
      );
    }
    return this.compute(poll, visible.breakdowns);
  }

  /**
   * The audited publication is cached (`ResultsCache`: Redis, shared by every API process, with a
   * per-process fallback) under the poll's version, which every transition bumps, and its results
   * version, which moves in the transaction that stores or replaces a named ballot (an anonymous poll's
   * one publication is keyed by the poll version alone, which the close bumps). Both are
   * read here on every request, so a cached publication is never served once the ballots behind it
   * have changed. (The computation may see ballots committed after the version was read; it is then
   * newer than its key, never older.)
   */
  async compute(poll: Poll, withBreakdowns: boolean): Promise<PollResults> {
    if (poll.anonymous) {
      // Nothing that depends on the answers is published while the poll is open; from close, the
      // one stored publication (the same for every reader, every time).
      if (poll.status !== PollStatus.Closed) return this.turnoutOnly(poll);
      return this.cache.get(`${RESULTS_FORMAT}:${poll.id}:${poll.version}:published`, () => this.published(poll));
    }
    const [row] = await this.dataSource.query(`SELECT version FROM poll_results_versions WHERE poll_id = $1`, [
      poll.id,
    ]);
    const key = `${RESULTS_FORMAT}:${poll.id}:${poll.version}:${row?.version ?? 0}:${withBreakdowns ? 'breakdowns' : 'counts'}`;
    return this.cache.get(key, () => this.computeNow(poll, withBreakdowns));
  }

  /** An open anonymous poll: the turnout (it does not depend on what anyone answered), no counts. */
  private async turnoutOnly(poll: Poll): Promise<PollResults> {
    const [thresholdRow, [{ n }]] = await Promise.all([
      this.dataSource.query(`SELECT breakdown_threshold AS t FROM communities WHERE id = $1`, [poll.communityId]),
      this.dataSource.query(`SELECT count(*)::int AS n FROM poll_electorate WHERE poll_id = $1 AND responded`, [
        poll.id,
      ]) as Promise<Array<{ n: number }>>,
    ]);
    const questions = await this.polls.questions(poll.id);
    const results: PollResults = {
      pollId: poll.id,
      status: poll.status,
      anonymous: true,
      turnout: { electorate: poll.electorateSize, responses: n, percent: percentOf(n, poll.electorateSize) },
      threshold: thresholdRow[0].t,
      breakdownsShown: false,
      breakdownNote: ANONYMOUS_OPEN_NOTE,
      withheld: [],
      rankedRules: questions.some((q) => q.kind === QuestionKind.Ranked) ? RANKED_RULES : null,
      method: [],
      questions: questions.map((q) => ({
        id: q.id,
        position: q.position,
        kind: q.kind,
        prompt: q.prompt,
        respondents: 0,
        counts: [],
        withheld: ANONYMOUS_OPEN_NOTE,
      })),
    };
    results.method = methodParagraphs(poll, results);
    return results;
  }

  /** A closed anonymous poll's stored publication; computed and stored now if it has none yet (polls closed before it was stored). */
  private async published(poll: Poll): Promise<PollResults> {
    const [row] = await this.dataSource.query(`SELECT results FROM poll_publications WHERE poll_id = $1`, [poll.id]);
    if (row) return row.results as PollResults;
    return this.dataSource.transaction(async (manager) =>
      this.freezeAnonymous(manager, poll, await this.sealed.openAll(manager, poll.id)),
    );
  }

  /**
   * The one publication of an anonymous poll, from its opened ballots (in memory only), stored in
   * `poll_publications` in the caller's transaction (the closing one). A publication already stored
   * is kept and returned: there is never a second version.
   */
  async freezeAnonymous(manager: EntityManager, poll: Poll, ballots: SealedBallotContent[]): Promise<PollResults> {
    const questions = await this.polls.questions(poll.id, manager);
    const [thresholdRow, electorate] = await Promise.all([
      manager.query(`SELECT breakdown_threshold AS t FROM communities WHERE id = $1`, [poll.communityId]),
      manager.query(
        `SELECT profession, career_stage, region, count(*)::int AS n FROM poll_electorate WHERE poll_id = $1 GROUP BY 1, 2, 3`,
        [poll.id],
      ) as Promise<ProfileCount[]>,
    ]);
    const threshold: number = thresholdRow[0].t;
    // The non-disclosure step: the drawn noise, unless a reader of the model would determine something from it.
    const { publication } = await publishAnonymousChecked(
      {
        threshold,
        questions,
        electorate: electorate.flatMap((row) =>
          Array.from({ length: row.n }, () => ({
            profession: row.profession,
            careerStage: row.career_stage,
            region: row.region,
          })),
        ),
        ballots: ballots.map((b) => ({
          profile: { profession: b.profile.profession, careerStage: b.profile.career_stage, region: b.profile.region },
          recordKey: b.recordKey ?? 0,
          rows: b.rows,
        })),
      },
      { budgetMs: NON_DISCLOSURE_BUDGET_MS },
    );
    const results = assembleResults(poll, threshold, true, questions, publication, new Map(), new Map());
    await manager.query(
      `INSERT INTO poll_publications (poll_id, results) VALUES ($1, $2) ON CONFLICT (poll_id) DO NOTHING`,
      [poll.id, JSON.stringify(results)],
    );
    const [row] = await manager.query(`SELECT results FROM poll_publications WHERE poll_id = $1`, [poll.id]);
    return row.results as PollResults;
  }

  private async computeNow(poll: Poll, withBreakdowns: boolean): Promise<PollResults> {
    const questions = await this.polls.questions(poll.id);
    const profileSql = (table: string) =>
      `SELECT profession, career_stage, region, count(*)::int AS n FROM ${table} WHERE poll_id = $1 GROUP BY 1, 2, 3`;
    const [thresholdRow, fine, electorate, ballots] = await Promise.all([
      this.dataSource.query(`SELECT breakdown_threshold AS t FROM communities WHERE id = $1`, [poll.communityId]),
      // One scan: counts per (question, option/value, profile). `first` counts ordinal-0 rows, i.e.
      // respondents to the question. Everything else (overall counts, group sizes, cells) is summed here.
      this.dataSource.query(
        `SELECT question_id, COALESCE(option_id::text, value::text) AS k, profession, career_stage, region,
                count(*)::int AS n, (count(*) FILTER (WHERE ordinal = 0))::int AS first
           FROM poll_answers
          WHERE poll_id = $1 AND text IS NULL AND (rank IS NULL OR rank = 1)
          GROUP BY 1, 2, 3, 4, 5`,
        [poll.id],
      ) as Promise<FineRow[]>,
      this.dataSource.query(profileSql('poll_electorate'), [poll.id]) as Promise<ProfileCount[]>,
      this.dataSource.query(profileSql('poll_ballots'), [poll.id]) as Promise<ProfileCount[]>,
    ]);
    const threshold: number = thresholdRow[0].t;
    const hasText = questions.some((q) => q.kind === QuestionKind.FreeText);
    const textRespondents: Array<ProfileCount & { question_id: string }> = hasText
      ? await this.dataSource.query(
          `SELECT question_id, profession, career_stage, region, count(*)::int AS n FROM poll_answers
            WHERE poll_id = $1 AND text IS NOT NULL GROUP BY 1, 2, 3, 4`,
          [poll.id],
        )
      : [];

    const keyOf = (row: ProfileCount) =>
      profileKey({ profession: row.profession, careerStage: row.career_stage, region: row.region });
    const tallies = new Map<string, QuestionTally>();
    for (const q of questions) {
      tallies.set(q.id, { spec: q, columns: columnsOf(q), answers: new Map(), answered: new Map() });
    }
    const columnIndex = new Map(questions.flatMap((q) => columnsOf(q).map((c, j) => [`${q.id}|${c.key}`, j] as const)));
    for (const row of fine) {
      const tally = tallies.get(row.question_id);
      const j = columnIndex.get(`${row.question_id}|${row.k}`);
      if (!tally || j === undefined) continue;
      const key = keyOf(row);
      const counts = tally.answers.get(key) ?? tally.columns.map(() => 0);
      counts[j] += row.n;
      tally.answers.set(key, counts);
      tally.answered.set(key, (tally.answered.get(key) ?? 0) + row.first);
    }
    for (const row of textRespondents) {
      const tally = tallies.get(row.question_id);
      if (tally) tally.answered.set(keyOf(row), (tally.answered.get(keyOf(row)) ?? 0) + row.n);
    }
    // Every ballot's ranking: the rounds and points are published, so the auditor models them too.
    const ranked = questions.filter((q) => q.kind === QuestionKind.Ranked);
    const rankings = new Map<string, string[][]>();
    if (ranked.length) {
      const rows: Array<{ question_id: string; ranking: string[] }> = await this.dataSource.query(
        `SELECT question_id, array_agg(option_id::text ORDER BY rank) AS ranking FROM poll_answers
          WHERE poll_id = $1 AND rank IS NOT NULL GROUP BY ballot_id, question_id`,
        [poll.id],
      );
      for (const row of rows) {
        if (!rankings.has(row.question_id)) rankings.set(row.question_id, []);
        rankings.get(row.question_id)!.push(row.ranking);
      }
    }
    for (const q of ranked) tallies.get(q.id)!.rankings = rankings.get(q.id) ?? [];
    const publication = await publishResults(
      {
        threshold,
        electorate: electorate.map((row) => ({
          profile: { profession: row.profession, careerStage: row.career_stage, region: row.region },
          members: row.n,
        })),
        ballots: new Map(ballots.map((row) => [keyOf(row), row.n])),
        questions: questions.map((q) => tallies.get(q.id)!),
      },
      withBreakdowns,
    );

    const texts = new Map<string, string[]>();
    if (hasText) {
      const rows: Array<{ question_id: string; text: string }> = await this.dataSource.query(
        `SELECT question_id, text FROM poll_answers WHERE poll_id = $1 AND text IS NOT NULL ORDER BY question_id, text`,
        [poll.id],
      );
      for (const row of rows) {
        if (!texts.has(row.question_id)) texts.set(row.question_id, []);
        texts.get(row.question_id)!.push(row.text);
      }
    }

    return assembleResults(poll, threshold, withBreakdowns, questions, publication, rankings, texts);
  }
}

/**
 * The results as every output shows them, from the audited publication: counts and percentages,
 * mean and median, instant-runoff and Borda (only for questions whose counts are published), free
 * text, breakdowns, and what was withheld. Pure, so the property tests can render any poll.
 */
export function assembleResults(
  poll: Pick<Poll, 'id' | 'status' | 'anonymous' | 'electorateSize'>,
  threshold: number,
  withBreakdowns: boolean,
  questions: QuestionSpec[],
  publication: Publication,
  rankings: Map<string, string[][]>,
  texts: Map<string, string[]>,
): PollResults {
  const results: PollResults = {
    pollId: poll.id,
    status: poll.status,
    anonymous: poll.anonymous,
    turnout: {
      electorate: poll.electorateSize,
      responses: publication.responses,
      percent: percentOf(publication.responses, poll.electorateSize),
    },
    threshold,
    breakdownsShown: withBreakdowns,
    breakdownNote: withBreakdowns
      ? null
      : 'Breakdowns by profession, career stage and region are published when an anonymous poll closes.',
    withheld: publication.withheld,
    rankedRules: questions.some((q) => q.kind === QuestionKind.Ranked) ? RANKED_RULES : null,
    method: [],
    questions: questions.map((q, qi) => {
      const published = publication.questions[qi] as AnonymousPublication['questions'][number];
      const n = published.respondents;
      const columns = columnsOf(q);
      const multiple = q.kind === QuestionKind.MultipleChoice;
      const counts = published.counts ?? [];
      const percents = multiple ? counts.map((count) => percentOf(count, n)) : percentagesThatAddUp(counts);
      const out: QuestionResult = {
        id: q.id,
        position: q.position,
        kind: q.kind,
        prompt: q.prompt,
        respondents: n,
        counts: counts.map((count, j) => ({
          key: columns[j].key,
          label: columns[j].label,
          count,
          percent: percents[j],
        })),
      };
      if (multiple && counts.length) out.percentNote = MULTIPLE_CHOICE_NOTE;
      const withheldNote = publication.withheld.find((note) => note.question === qi + 1 && !note.dimension)?.reason;
      if (published.textsWithheld) {
        out.withheld = withheldNote;
        return out;
      }
      if (!published.counts && q.kind !== QuestionKind.FreeText) {
        out.withheld = withheldNote;
        return out;
      }
      if (q.kind === QuestionKind.Likert || q.kind === QuestionKind.Score) {
        const values = out.counts.flatMap((c) => Array.from({ length: c.count }, () => Number(c.key)));
        out.mean = values.length ? Math.round((values.reduce((a, b) => a + b, 0) / values.length) * 100) / 100 : 0;
        out.median = values.length ? median(values) : 0;
      }
      if (q.kind === QuestionKind.Ranked && published.instantRunoff && published.borda) {
        // Anonymous polls: rounds and points already worked out from perturbed counts.
        out.instantRunoff = published.instantRunoff;
        out.borda = published.borda;
      } else if (q.kind === QuestionKind.Ranked && !published.rankingWithheld && !poll.anonymous) {
        const ids = q.options.map((o) => o.id);
        out.instantRunoff = instantRunoff(ids, rankings.get(q.id) ?? []);
        out.borda = bordaCount(ids, rankings.get(q.id) ?? []);
      }
      if (q.kind === QuestionKind.FreeText) out.texts = published.texts ?? texts.get(q.id) ?? [];
      if (published.breakdowns) {
        out.breakdowns = {};
        for (const [dimension, table] of Object.entries(published.breakdowns) as Array<
          [BreakdownDimension, BreakdownTable]
        >) {
          out.breakdowns[dimension] = {
            ...table,
            columns,
            rows: table.rows.map((row) => withPercentages(row, multiple)),
          };
        }
        if (!multiple && Object.values(out.breakdowns).some((t) => t.rows.some((r) => r.percentOfShown))) {
          out.percentNote = SHOWN_NOTE;
        }
      }
      return out;
    }),
  };
  results.method = methodParagraphs(poll, results);
  return results;
}

/**
 * A breakdown row's percentages, from its published cells only: of the row's answers (adding up to
 * 100), of the answers shown when some are hidden, and of the group's respondents for multiple choice.
 */
function withPercentages(row: BreakdownTable['rows'][number], multiple: boolean): BreakdownResultRow {
  const shown = row.cells.map((c) => (c.suppressed ? null : c.count));
  const anyHidden = !row.totalSuppressed && shown.some((c) => c === null) && shown.some((c) => c !== null);
  let percents: Array<number | null>;
  if (row.totalSuppressed) percents = shown.map(() => null);
  else if (multiple) percents = shown.map((c) => (c === null || !row.total ? null : percentOf(c, row.total)));
  else if (shown.some((c) => c !== null && c > 0)) {
    const visible = percentagesThatAddUp(shown.map((c) => c ?? 0));
    percents = shown.map((c, j) => (c === null ? null : visible[j]));
  } else percents = shown.map(() => null); // nothing shown to take a share of
  return {
    group: row.group,
    total: row.total,
    totalSuppressed: row.totalSuppressed,
    cells: row.cells.map((c, j) => ({ ...c, percent: percents[j] })),
    percentOfShown: anyHidden && !multiple,
  };
}

interface ProfileCount {
  profession: string;
  career_stage: string;
  region: string;
  n: number;
}

interface FineRow extends ProfileCount {
  question_id: string;
  k: string;
  first: number;
}

/** The answer columns of a question: options, or the scale points of Likert and score questions. */
export function columnsOf(q: QuestionSpec): Array<{ key: string; label: string }> {
  switch (q.kind) {
    case QuestionKind.Likert:
      return LIKERT_LABELS.map((label, i) => ({ key: String(i + 1), label }));
    case QuestionKind.Score:
      return Array.from({ length: SCORE_MAX - SCORE_MIN + 1 }, (_, i) => ({ key: String(i), label: String(i) }));
    case QuestionKind.FreeText:
      return [];
    default:
      return q.options.map((o) => ({ key: o.id, label: o.label }));
  }
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}
