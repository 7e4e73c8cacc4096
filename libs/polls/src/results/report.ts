import { ukDateTime } from '@cophub/core';
import { PollStatus, QuestionKind } from '../entities/enums';
import type { Poll } from '../entities/poll.entity';
import type { PollResults, QuestionResult } from '../services/results.service';
import { DIMENSIONS } from './disclosure-audit';
import {
  CAREER_STAGE_LABELS,
  DIMENSION_TITLES,
  groupLabel,
  PROFESSION_LABELS,
  QUESTION_KIND_LABELS,
  REGION_LABELS,
} from './labels';
import { formatPercent } from './percentages';

/**
 * The council report as words and figures, ready to lay out: the printable summary (HTML) and the
 * PDF are both drawn from this, and this is drawn from the audited publication (`PollResults`) only,
 * so suppression holds in both and neither shows a stored code.
 */
export interface ReportAnswer {
  label: string;
  count: number;
  percent: string;
  /** 0–1 of the largest count, for the bar. */
  share: number;
}

export interface ReportBreakdown {
  title: string;
  columns: string[];
  rows: Array<{ group: string; total: string; cells: string[] }>;
}

export interface ReportQuestion {
  number: number;
  prompt: string;
  kind: string;
  respondents: number;
  answers: ReportAnswer[];
  /** Lines below the table: mean and median, ranked winners, how to read the percentages. */
  facts: string[];
  /** How to read the breakdown tables (what * and + mean), once per question. */
  legend: string | null;
  /** Why something about this question is not shown, in words. */
  notes: string[];
  texts: string[];
  breakdowns: ReportBreakdown[];
}

export interface CouncilReport {
  title: string;
  community: string;
  status: string;
  opened: string;
  closed: string;
  audience: string;
  electorate: number;
  responses: number;
  turnout: string;
  anonymous: boolean;
  /** The poll's context, as plain paragraphs. */
  context: string[];
  questions: ReportQuestion[];
  /** Notes about the whole poll (groups not shown separately, breakdowns published after close). */
  notes: string[];
  method: string[];
}

const STATUS_WORDS: Record<PollStatus, string> = {
  [PollStatus.Draft]: 'Draft',
  [PollStatus.Scheduled]: 'Scheduled',
  [PollStatus.Open]: 'Open (results so far)',
  [PollStatus.Closed]: 'Closed (final results)',
};

const list = (values: string[], labels: Record<string, string>) => values.map((v) => labels[v] ?? v).join(', ');

/** Plain paragraphs from the sanitised context HTML (the PDF cannot lay out HTML). */
export function plainParagraphs(html: string): string[] {
  return html
    .replace(/<\/(p|li|h[1-6]|blockquote|pre)>|<br\s*\/?>/gi, '\n')
    .replace(/<li[^>]*>/gi, '• ')
    .replace(/<[^>]+>/g, '')
    .replace(/&nbsp;/g, ' ')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&')
    .split('\n')
    .map((line) => line.replace(/\s+/g, ' ').trim())
    .filter(Boolean);
}

/** The promise of an anonymous poll, in the words the invitation, the poll page and every output use. */
export function anonymousPromise(k: number): string {
  return `Counts in anonymous results are shown from the close, only for groups of at least ${k} people, and each count is moved by a small random amount (up to 2) so that nobody's answer can be worked out, even by someone who knows their own answer.`;
}

/** The method, in the words every output uses. */
export function methodParagraphs(poll: Pick<Poll, 'anonymous'>, results: PollResults): string[] {
  const k = results.threshold;
  if (poll.anonymous) {
    const out = [
      `Anonymous poll: each answer was stored sealed (encrypted) with nothing that links it to who responded, and at the close every sealed answer was sealed again in a random order, so nobody, including the co-chairs and the system's operators, can link an answer to a member.`,
      'Each member of the audience, as it stood when the poll opened, could respond once; turnout is of those members and is the only figure shown while the poll is open.',
      anonymousPromise(k),
      `Tables by profession, career stage and region show only groups of at least ${k} respondents; when one group is too small, another is hidden with it, so the hidden one cannot be worked out from the total. Which groups are shown depends only on how many people in each group responded, never on what they answered. Because each count is moved separately, a table may not add up exactly to its total; percentages, means, medians, ranked-choice rounds and points are worked out from the moved counts. Before publication the tables were read as someone who knows who responded and their own answer would read them; where the random amounts would have let anyone work out an answer, the counts concerned are shown unmoved instead.`,
      `Written answers are published when at least ${k} people responded, listed in alphabetical order, never with a group, a time or the order they were given.`,
      'Percentages are rounded to one decimal place by the largest-remainder method, so the percentages of each table add up to exactly 100%, except for questions that allow several answers, whose percentages are of the people who answered.',
    ];
    if (results.rankedRules) out.push(results.rankedRules);
    return out;
  }
  const out = [
    poll.anonymous
      ? `Anonymous poll: who responded and what was answered are stored apart, with no shared key, time or order. Answers were sealed until at least ${k} were waiting, then stored together in random order, so nobody, including the co-chairs and the system's operators, can link an answer to a member. While the poll was open, counts moved in steps of at least ${k}.`
      : 'Named poll: the co-chairs can see who gave each answer.',
    'Each member of the audience, as it stood when the poll opened, could respond once; turnout is of those members.',
    `Breakdowns by profession, career stage and region hide (*) any count from 1 to ${k - 1} and any group with fewer than ${k} respondents, and further counts where needed so that no hidden figure can be worked out from the others. Before publication every figure was checked, with the member list, for anything that would show how a particular member answered. Written answers are never shown with a group, and only when at least ${k} people wrote one.`,
    'Percentages are rounded to one decimal place by the largest-remainder method, so the percentages of each table add up to exactly 100%, except for questions that allow several answers, whose percentages are of the people who answered.',
  ];
  if (results.rankedRules) out.push(results.rankedRules);
  return out;
}

/**
 * The breakdown tables that show something: a table whose every count is hidden (a question whose
 * breakdowns are withheld) is left out, and the question's note says why.
 */
function breakdownsOf(q: QuestionResult, threshold: number): { tables: ReportBreakdown[]; legend: string | null } {
  const tables: ReportBreakdown[] = [];
  let hidden = false;
  let ofShown = false;
  let unanimous = false;
  for (const dimension of DIMENSIONS) {
    const table = q.breakdowns?.[dimension];
    if (!table || table.rows.every((r) => r.cells.every((c) => c.suppressed))) continue;
    hidden ||= table.rows.some((r) => r.totalSuppressed || r.cells.some((c) => c.suppressed));
    ofShown ||= table.rows.some((r) => r.percentOfShown);
    unanimous ||= table.rows.some((r) => r.cells.some((c) => c.unanimous));
    tables.push({
      title: `By ${DIMENSION_TITLES[dimension].toLowerCase()}`,
      columns: table.columns.map((c) => c.label),
      rows: table.rows.map((row) => ({
        group: groupLabel(dimension, row.group),
        total: row.total === null ? '*' : String(row.total),
        cells: row.cells.map((c) =>
          c.suppressed || c.count === null
            ? '*'
            : `${c.count}${c.percent === null ? '' : ` (${formatPercent(c.percent)})`}${c.unanimous ? ' +' : ''}`,
        ),
      })),
    });
  }
  const legend = [
    hidden
      ? `In the tables by group, * is a hidden figure: fewer than ${threshold} people, or a count that would let someone work out a hidden one.`
      : null,
    ofShown ? 'Where a row has hidden counts, its percentages are of the answers shown.' : null,
    unanimous ? '+ marks an answer everyone in the group who answered gave.' : null,
  ].filter(Boolean);
  return { tables, legend: legend.length ? legend.join(' ') : null };
}

export function councilReport(poll: Poll, communityName: string, results: PollResults): CouncilReport {
  const audience = [
    poll.audienceProfessions.length ? `professions: ${list(poll.audienceProfessions, PROFESSION_LABELS)}` : null,
    poll.audienceCareerStages.length ? `career stages: ${list(poll.audienceCareerStages, CAREER_STAGE_LABELS)}` : null,
    poll.audienceRegions.length ? `regions: ${list(poll.audienceRegions, REGION_LABELS)}` : null,
  ].filter((x): x is string => Boolean(x));
  const notes = results.withheld.filter((n) => n.question === null).map((n) => n.reason);
  if (results.breakdownNote) notes.push(results.breakdownNote);
  return {
    title: poll.title,
    community: communityName,
    status: STATUS_WORDS[poll.status],
    opened: poll.openedAt ? ukDateTime(poll.openedAt) : 'Not opened',
    closed: poll.closedAt
      ? ukDateTime(poll.closedAt)
      : poll.closesAt
        ? `Closes ${ukDateTime(poll.closesAt)}`
        : 'Still open',
    audience: audience.length ? audience.join('; ') : 'All approved members',
    electorate: results.turnout.electorate,
    responses: results.turnout.responses,
    turnout: formatPercent(results.turnout.percent),
    anonymous: poll.anonymous,
    context: plainParagraphs(poll.contextHtml ?? ''),
    notes,
    method: results.method,
    questions: results.questions.map((q, qi) => {
      const max = Math.max(1, ...q.counts.map((c) => c.count));
      const label = (id: string) => q.counts.find((c) => c.key === id)?.label ?? 'an option';
      const facts: string[] = [];
      if (q.mean !== undefined && q.counts.length) facts.push(`Mean ${q.mean}, median ${q.median}.`);
      if (q.instantRunoff && q.borda && q.instantRunoff.winners.length) {
        const rounds = q.instantRunoff.rounds.length;
        facts.push(
          `Instant-runoff winner: ${q.instantRunoff.winners.map(label).join(' and ')} (${rounds} ${rounds === 1 ? 'round' : 'rounds'}). Borda count: ${q.borda.ranking
            .map((r) => `${label(r.optionId)} ${r.points}`)
            .join(', ')} points; winner ${q.borda.winners.map(label).join(' and ')}.`,
        );
      }
      if (q.percentNote && q.kind === QuestionKind.MultipleChoice) facts.push(q.percentNote);
      const breakdowns = breakdownsOf(q, results.threshold);
      const questionNotes = results.withheld
        .filter((n) => n.question === qi + 1)
        .map((n) => n.reason)
        .filter((reason, i, all) => all.indexOf(reason) === i);
      return {
        number: qi + 1,
        prompt: q.prompt,
        kind: QUESTION_KIND_LABELS[q.kind],
        respondents: q.respondents,
        answers:
          q.kind === QuestionKind.FreeText
            ? []
            : q.counts.map((c) => ({
                label: c.label,
                count: c.count,
                percent: formatPercent(c.percent),
                share: c.count / max,
              })),
        facts,
        legend: breakdowns.legend,
        notes: questionNotes,
        texts: q.texts ?? [],
        breakdowns: breakdowns.tables,
      };
    }),
  };
}
