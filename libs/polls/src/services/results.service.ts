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

  /**
   * A closed poll's results never change (ballots need an open poll), so they are kept per process,
   * keyed by the poll's version, which every transition bumps.
   */
  private readonly closedCache = new Map<string, Promise<PollResults>>();

  async compute(poll: Poll, withBreakdowns: boolean): Promise<PollResults> {
    if (poll.status !== PollStatus.Closed) return this.computeNow(poll, withBreakdowns);
    const key = `${poll.id}|${poll.version}|${withBreakdowns}`;
    let cached = this.closedCache.get(key);
    if (!cached) {
      cached = this.computeNow(poll, withBreakdowns);
      cached.catch(() => this.closedCache.delete(key));
      this.closedCache.set(key, cached);
      if (this.closedCache.size > 200) this.closedCache.delete(this.closedCache.keys().next().value!);
    }
    return cached;
  }

  private async computeNow(poll: Poll, withBreakdowns: boolean): Promise<PollResults> {
    const questions = await this.polls.questions(poll.id);
    const [thresholdRow, fine, responses] = await Promise.all([
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
      this.dataSource.query(`SELECT count(*)::int AS n FROM poll_ballots WHERE poll_id = $1`, [poll.id]),
    ]);
    const threshold: number = thresholdRow[0].t;
    const respondentsBy = new Map<string, number>();
    const counts = new Map<string, number>();
    for (const row of fine) {
      respondentsBy.set(row.question_id, (respondentsBy.get(row.question_id) ?? 0) + row.first);
      const k = `${row.question_id}|${row.k}`;
      counts.set(k, (counts.get(k) ?? 0) + row.n);
    }
    const textRespondents: Array<{ question_id: string; n: number }> = questions.some(
      (q) => q.kind === QuestionKind.FreeText,
    )
      ? await this.dataSource.query(
          `SELECT question_id, count(*)::int AS n FROM poll_answers WHERE poll_id = $1 AND text IS NOT NULL GROUP BY 1`,
          [poll.id],
        )
      : [];
    for (const row of textRespondents) respondentsBy.set(row.question_id, row.n);

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
    const breakdowns = withBreakdowns ? this.breakdowns(fine, questions, threshold) : null;

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

  /** Every breakdown table, summed from the fine-grained counts, then suppressed table by table. */
  private breakdowns(
    fine: FineRow[],
    questions: QuestionSpec[],
    threshold: number,
  ): Map<string, Partial<Record<BreakdownDimension, BreakdownTable>>> {
    const column: Record<BreakdownDimension, keyof FineRow> = {
      profession: 'profession',
      careerStage: 'career_stage',
      region: 'region',
    };
    const sizes = new Map<string, number>();
    const cells = new Map<string, number>();
    const groups = new Map<string, Set<string>>();
    for (const row of fine) {
      for (const dimension of BREAKDOWN_DIMENSIONS) {
        const group = String(row[column[dimension]]);
        const base = `${row.question_id}|${dimension}`;
        if (!groups.has(base)) groups.set(base, new Set());
        if (row.first) groups.get(base)!.add(group);
        sizes.set(`${base}|${group}`, (sizes.get(`${base}|${group}`) ?? 0) + row.first);
        cells.set(`${base}|${group}|${row.k}`, (cells.get(`${base}|${group}|${row.k}`) ?? 0) + row.n);
      }
    }
    const out = new Map<string, Partial<Record<BreakdownDimension, BreakdownTable>>>();
    for (const q of questions) {
      if (q.kind === QuestionKind.FreeText) continue;
      const columns = columnsOf(q);
      const tables: Partial<Record<BreakdownDimension, BreakdownTable>> = {};
      for (const dimension of BREAKDOWN_DIMENSIONS) {
        const base = `${q.id}|${dimension}`;
        const rows = [...(groups.get(base) ?? [])].sort().map((group) => ({
          group,
          total: sizes.get(`${base}|${group}`) ?? 0,
          cells: columns.map((c) => cells.get(`${base}|${group}|${c.key}`) ?? 0),
        }));
        tables[dimension] = { columns, rows: suppressBreakdown(rows, threshold) };
      }
      out.set(q.id, tables);
    }
    return out;
  }
}

interface FineRow {
  question_id: string;
  k: string;
  profession: string;
  career_stage: string;
  region: string;
  n: number;
  first: number;
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
