import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { LIKERT_LABELS, PollStatus, QuestionKind, ResultsVisibility, SCORE_MAX, SCORE_MIN } from '../entities/enums';
import { Poll } from '../entities/poll.entity';
import { PollError, PollErrorCode } from '../errors/polls.error';
import { bordaCount, BordaResult, instantRunoff, RunoffResult } from '../results/ranked';
import { SuppressedRow, suppressBreakdown } from '../results/suppression';
import { QuestionSpec } from './answers';
import { PollsService } from './polls.service';

export const BREAKDOWN_DIMENSIONS = ['profession', 'careerStage', 'region'] as const;
export type BreakdownDimension = (typeof BREAKDOWN_DIMENSIONS)[number];
/** GROUPING(profession, career_stage, region) for each single-dimension grouping set. */
const GROUPING_BIT: Record<number, BreakdownDimension> = { 3: 'profession', 5: 'careerStage', 6: 'region' };

export interface ResultCount {
  key: string;
  label: string;
  count: number;
  percent: number;
}

export interface BreakdownTable {
  columns: Array<{ key: string; label: string }>;
  rows: SuppressedRow[];
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
  /** Free text, sorted alphabetically (never in the order given), without names. */
  texts?: string[];
  breakdowns?: Partial<Record<BreakdownDimension, BreakdownTable>>;
}

export interface PollResults {
  pollId: string;
  status: PollStatus;
  anonymous: boolean;
  turnout: { electorate: number; responses: number; percent: number };
  threshold: number;
  breakdownsShown: boolean;
  breakdownNote: string | null;
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

const percent = (n: number, of: number) => (of ? Math.round((n / of) * 1000) / 10 : 0);

/** Tallies, ranked-choice counts and suppressed breakdowns, straight from the answer rows. */
@Injectable()
export class ResultsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly polls: PollsService,
  ) {}

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

  async compute(poll: Poll, withBreakdowns: boolean): Promise<PollResults> {
    const questions = await this.polls.questions(poll.id);
    const [thresholdRow, respondents, tallies, responses] = await Promise.all([
      this.dataSource.query(`SELECT breakdown_threshold AS t FROM communities WHERE id = $1`, [poll.communityId]),
      this.dataSource.query(
        `SELECT question_id, count(*)::int AS n FROM poll_answers WHERE poll_id = $1 AND ordinal = 0 GROUP BY 1`,
        [poll.id],
      ),
      this.dataSource.query(
        `SELECT question_id, option_id, value, count(*)::int AS n FROM poll_answers
          WHERE poll_id = $1 AND text IS NULL AND (rank IS NULL OR rank = 1) GROUP BY 1, 2, 3`,
        [poll.id],
      ),
      this.dataSource.query(`SELECT count(*)::int AS n FROM poll_ballots WHERE poll_id = $1`, [poll.id]),
    ]);
    const threshold: number = thresholdRow[0].t;
    const respondentsBy = new Map<string, number>(
      respondents.map((r: { question_id: string; n: number }) => [r.question_id, r.n]),
    );
    const key = (row: { option_id: string | null; value: number | null }) => row.option_id ?? String(row.value);
    const counts = new Map<string, number>();
    for (const row of tallies) counts.set(`${row.question_id}|${key(row)}`, row.n);

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
    const texts = new Map<string, string[]>();
    if (questions.some((q) => q.kind === QuestionKind.FreeText)) {
      const rows: Array<{ question_id: string; text: string }> = await this.dataSource.query(
        `SELECT question_id, text FROM poll_answers WHERE poll_id = $1 AND text IS NOT NULL ORDER BY question_id, text`,
        [poll.id],
      );
      for (const row of rows) {
        if (!texts.has(row.question_id)) texts.set(row.question_id, []);
        texts.get(row.question_id)!.push(row.text);
      }
    }
    const breakdowns = withBreakdowns ? await this.breakdowns(poll, questions, threshold) : null;

    const result: PollResults = {
      pollId: poll.id,
      status: poll.status,
      anonymous: poll.anonymous,
      turnout: {
        electorate: poll.electorateSize,
        responses: responses[0].n,
        percent: percent(responses[0].n, poll.electorateSize),
      },
      threshold,
      breakdownsShown: withBreakdowns,
      breakdownNote: withBreakdowns
        ? null
        : 'Breakdowns by profession, career stage and region are published when an anonymous poll closes.',
      questions: questions.map((q) => {
        const n = respondentsBy.get(q.id) ?? 0;
        const columns = columnsOf(q);
        const out: QuestionResult = {
          id: q.id,
          position: q.position,
          kind: q.kind,
          prompt: q.prompt,
          respondents: n,
          counts: columns.map((c) => {
            const count = counts.get(`${q.id}|${c.key}`) ?? 0;
            return { key: c.key, label: c.label, count, percent: percent(count, n) };
          }),
        };
        if (q.kind === QuestionKind.Likert || q.kind === QuestionKind.Score) {
          const values = out.counts.flatMap((c) => Array.from({ length: c.count }, () => Number(c.key)));
          out.mean = values.length ? Math.round((values.reduce((a, b) => a + b, 0) / values.length) * 100) / 100 : 0;
          out.median = values.length ? median(values) : 0;
        }
        if (q.kind === QuestionKind.Ranked) {
          const ids = q.options.map((o) => o.id);
          out.instantRunoff = instantRunoff(ids, rankings.get(q.id) ?? []);
          out.borda = bordaCount(ids, rankings.get(q.id) ?? []);
        }
        if (q.kind === QuestionKind.FreeText) out.texts = texts.get(q.id) ?? [];
        if (breakdowns && q.kind !== QuestionKind.FreeText) out.breakdowns = breakdowns.get(q.id);
        return out;
      }),
    };
    return result;
  }

  /** Every breakdown table in two grouped queries, then suppression per table. */
  private async breakdowns(
    poll: Poll,
    questions: QuestionSpec[],
    threshold: number,
  ): Promise<Map<string, Partial<Record<BreakdownDimension, BreakdownTable>>>> {
    const sets = `GROUPING SETS ((a.question_id, b.profession), (a.question_id, b.career_stage), (a.question_id, b.region))`;
    const cellSets = `GROUPING SETS ((a.question_id, a.option_id, a.value, b.profession), (a.question_id, a.option_id, a.value, b.career_stage), (a.question_id, a.option_id, a.value, b.region))`;
    const [groups, cells] = await Promise.all([
      this.dataSource.query(
        `SELECT a.question_id, COALESCE(b.profession, b.career_stage, b.region) AS grp,
                GROUPING(b.profession, b.career_stage, b.region)::int AS g, count(*)::int AS n
           FROM poll_answers a JOIN poll_ballots b ON b.id = a.ballot_id
          WHERE a.poll_id = $1 AND b.poll_id = $1 AND a.ordinal = 0 AND a.text IS NULL
          GROUP BY ${sets}`,
        [poll.id],
      ),
      this.dataSource.query(
        `SELECT a.question_id, a.option_id, a.value, COALESCE(b.profession, b.career_stage, b.region) AS grp,
                GROUPING(b.profession, b.career_stage, b.region)::int AS g, count(*)::int AS n
           FROM poll_answers a JOIN poll_ballots b ON b.id = a.ballot_id
          WHERE a.poll_id = $1 AND b.poll_id = $1 AND a.text IS NULL AND (a.rank IS NULL OR a.rank = 1)
          GROUP BY ${cellSets}`,
        [poll.id],
      ),
    ]);
    const cellCount = new Map<string, number>();
    for (const c of cells) {
      cellCount.set(`${c.question_id}|${GROUPING_BIT[c.g]}|${c.grp}|${c.option_id ?? String(c.value)}`, c.n);
    }
    const out = new Map<string, Partial<Record<BreakdownDimension, BreakdownTable>>>();
    for (const q of questions) {
      if (q.kind === QuestionKind.FreeText) continue;
      const columns = columnsOf(q);
      const tables: Partial<Record<BreakdownDimension, BreakdownTable>> = {};
      for (const dimension of BREAKDOWN_DIMENSIONS) {
        const rows = (groups as Array<{ question_id: string; grp: string; g: number; n: number }>)
          .filter((g) => g.question_id === q.id && GROUPING_BIT[g.g] === dimension)
          .sort((a, b) => (a.grp < b.grp ? -1 : 1))
          .map((g) => ({
            group: g.grp,
            total: g.n,
            cells: columns.map((c) => cellCount.get(`${q.id}|${dimension}|${g.grp}|${c.key}`) ?? 0),
          }));
        tables[dimension] = { columns, rows: suppressBreakdown(rows, threshold) };
      }
      out.set(q.id, tables);
    }
    return out;
  }
}

function columnsOf(q: QuestionSpec): Array<{ key: string; label: string }> {
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
