/**
 * The attacker of the poll tests: reads what a poll publishes (the results JSON, results.csv or the
 * printable summary), knows the poll's questions (public to members) and the member list a co-chair
 * sees (profession, career stage and region of everyone in the electorate), and asks the integer
 * programs of `auditFigures` what that determines. It parses each output on its own, so a figure
 * leaked by one output and withheld by another is caught.
 */
import {
  AttackOptions,
  AuditQuestion,
  auditFigures,
  AuditReport,
  Dimension,
  DIMENSION_TITLES,
  DIMENSIONS,
  groupCode,
  Profile,
  PublishedFigures,
  PublishedRanking,
  PublishedRow,
  QuestionKind,
} from '@cophub/polls';

export interface PublicQuestion {
  id: string;
  kind: string;
  required: boolean;
  minChoices: number;
  maxChoices: number | null;
  options: Array<{ id: string; label: string }>;
}

export function columnsOf(q: PublicQuestion): Array<{ key: string; label: string }> {
  if (q.kind === 'likert') {
    return ['Strongly disagree', 'Disagree', 'Neither agree nor disagree', 'Agree', 'Strongly agree'].map(
      (label, i) => ({ key: String(i + 1), label }),
    );
  }
  if (q.kind === 'score') return Array.from({ length: 11 }, (_, i) => ({ key: String(i), label: String(i) }));
  if (q.kind === 'free_text') return [];
  return q.options.map((o) => ({ key: o.id, label: o.label }));
}

export function auditQuestions(questions: PublicQuestion[]): AuditQuestion[] {
  return questions.map((q) => {
    const columns = columnsOf(q).map((c) => c.key);
    return {
      kind: q.kind as QuestionKind,
      required: q.required,
      minChoices: Math.max(1, q.minChoices),
      maxChoices: q.maxChoices ?? columns.length,
      columns,
    };
  });
}

interface ApiResults {
  turnout: { responses: number | null };
  questions: Array<{
    id: string;
    respondents: number | null;
    counts: Array<{ key: string; count: number | null }>;
    instantRunoff?: { rounds: Array<{ counts: Record<string, number>; exhausted: number }> };
    borda?: { points: Record<string, number> };
    breakdowns?: Partial<
      Record<
        Dimension,
        {
          columns: Array<{ key: string }>;
          rows: Array<{ group: string; total: number | null; cells: Array<{ count: number | null }> }>;
        }
      >
    >;
  }>;
}

/** The figures of the results JSON, aligned with the questions' columns. */
export function figuresFromApi(questions: PublicQuestion[], results: ApiResults): PublishedFigures {
  return {
    responses: results.turnout.responses ?? null,
    questions: questions.map((q) => {
      const published = results.questions.find((r) => r.id === q.id);
      const columns = columnsOf(q);
      const counts = columns.map((c) => published?.counts.find((x) => x.key === c.key)?.count ?? null);
      const breakdowns: Partial<Record<Dimension, PublishedRow[]>> = {};
      for (const dimension of DIMENSIONS) {
        const table = published?.breakdowns?.[dimension];
        if (!table) continue;
        breakdowns[dimension] = table.rows.map((row) => ({
          group: row.group,
          total: row.total,
          cells: columns.map((c) => {
            const at = table.columns.findIndex((col) => col.key === c.key);
            return at < 0 ? null : row.cells[at].count;
          }),
        }));
      }
      // Ranked questions: the instant-runoff rounds and the Borda points.
      const ranking: PublishedRanking | null =
        published?.instantRunoff && published.borda
          ? {
              rounds: published.instantRunoff.rounds.map((round) => {
                const continuing = Object.keys(round.counts).map((key) => columns.findIndex((c) => c.key === key));
                return {
                  continuing,
                  counts: continuing.map((j) => round.counts[columns[j].key]),
                  exhausted: round.exhausted,
                };
              }),
              borda: columns.map((c) => published.borda!.points[c.key] ?? 0),
            }
          : null;
      return { respondents: published?.respondents ?? null, counts, breakdowns, ranking };
    }),
  };
}

/** Breakdown titles as results.csv and the summary write them. */
const DIMENSION_BY_TITLE: Record<string, Dimension> = Object.fromEntries(
  DIMENSIONS.map((d) => [DIMENSION_TITLES[d].toLowerCase(), d]),
);
/** The group code behind a label (the attacker knows the member list, so labels are no obstacle). */
const codeOf = (dimension: Dimension, label: string) => groupCode(dimension, label) ?? label;

/** RFC 4180: quoted fields, doubled quotes, CRLF; a leading byte-order mark is not part of the first field. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = text.startsWith('\uFEFF') ? 1 : 0; i < text.length; i += 1) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"';
        i += 1;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      row.push(field);
      field = '';
    } else if (ch === '\n') {
      row.push(field.replace(/\r$/, ''));
      rows.push(row);
      row = [];
      field = '';
    } else field += ch;
  }
  if (field || row.length) rows.push([...row, field]);
  return rows;
}

const num = (v: string | undefined) => (v === undefined || v === '' ? null : Number(v.replace(/^'/, '')));

/** The figures of results.csv (columns by name, so added columns do not matter). */
export function figuresFromCsv(questions: PublicQuestion[], csv: string, responses: number | null): PublishedFigures {
  const [header, ...lines] = parseCsv(csv);
  const col = (name: string) => header.indexOf(name);
  const section = col('Section');
  const figures: PublishedFigures = {
    responses,
    questions: questions.map(() => ({ respondents: null, counts: [], breakdowns: {} })),
  };
  for (const line of lines) {
    const qi = Number(line[col('Question')]) - 1;
    const q = questions[qi];
    if (!q) continue;
    const columns = columnsOf(q);
    const j = columns.findIndex((c) => c.label === line[col('Answer')]);
    const target = figures.questions[qi];
    if (line[section] === 'Result') {
      target.respondents = num(line[col('Group respondents')]);
      if (j >= 0) target.counts[j] = num(line[col('Count')]);
      continue;
    }
    if (line[section] !== 'Breakdown') continue;
    const dimension = DIMENSION_BY_TITLE[line[col('Breakdown')].toLowerCase()];
    if (!dimension) continue;
    const table = (target.breakdowns[dimension] ??= []);
    const group = codeOf(dimension, line[col('Group')]);
    let row = table.find((r) => r.group === group);
    if (!row) {
      row = { group, total: num(line[col('Group respondents')]), cells: columns.map(() => null) };
      table.push(row);
    }
    if (j >= 0) row.cells[j] = num(line[col('Count')]);
  }
  figures.questions.forEach((q, qi) => {
    q.counts = columnsOf(questions[qi]).map((_, j) => q.counts[j] ?? null);
  });
  return figures;
}

const unescape = (s: string) =>
  s
    .replace(/<[^>]+>/g, '')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&')
    .trim();

/** The figures of the printable summary: turnout, each question's table and breakdown tables. */
export function figuresFromSummary(questions: PublicQuestion[], html: string): PublishedFigures {
  const turnout = /<dt>Turnout<\/dt><dd>(\d+) of/.exec(html);
  const sections = html.split('<section class="question"').slice(1);
  return {
    responses: turnout ? Number(turnout[1]) : null,
    questions: questions.map((q, qi) => {
      const columns = columnsOf(q);
      const section = sections[qi] ?? '';
      const respondents = /(\d+) respondents/.exec(section);
      const counts: Array<number | null> = columns.map(() => null);
      const overall = /<table class="answers">[\s\S]*?<\/table>/.exec(section);
      for (const tr of overall?.[0].match(/<tr><th scope="row">[\s\S]*?<\/tr>/g) ?? []) {
        const tds = tr.match(/<t[hd][^>]*>[\s\S]*?<\/t[hd]>/g)!.map(unescape);
        const j = columns.findIndex((c) => c.label === tds[0]);
        if (j >= 0) counts[j] = num(tds[1]);
      }
      const breakdowns: Partial<Record<Dimension, PublishedRow[]>> = {};
      const tables = section.split('<h4>By ').slice(1);
      for (const part of tables) {
        const dimension = DIMENSION_BY_TITLE[unescape(part.slice(0, part.indexOf('</h4>'))).toLowerCase()];
        if (!dimension) continue;
        const tableHtml = part.slice(0, part.indexOf('</table>'));
        const heads = (tableHtml.match(/<th scope="col">[\s\S]*?<\/th>/g) ?? []).map(unescape).slice(2);
        const at = columns.map((c) => heads.indexOf(c.label));
        breakdowns[dimension] = (tableHtml.match(/<tr><th scope="row">[\s\S]*?<\/tr>/g) ?? []).map((tr) => {
          const tds = tr.match(/<t[hd][^>]*>[\s\S]*?<\/t[hd]>/g)!.map(unescape);
          const value = (v: string | undefined) => (v === undefined || !/^\d/.test(v) ? null : parseInt(v, 10));
          return {
            group: codeOf(dimension, tds[0]),
            total: value(tds[1]),
            cells: at.map((i) => (i < 0 ? null : value(tds[2 + i]))),
          };
        });
      }
      return { respondents: respondents ? Number(respondents[1]) : null, counts, breakdowns };
    }),
  };
}

/**
 * `options.window`: an anonymous poll's published counts are windows (true ± 2, clamped), not
 * equations; `options.known`: the attacker's own ballot(s); `options.negative`: also look for members
 * known not to have chosen an answer.
 */
export function attack(
  questions: PublicQuestion[],
  electorate: Profile[],
  figures: PublishedFigures,
  options: AttackOptions = {},
): Promise<AuditReport> {
  return auditFigures(auditQuestions(questions), electorate, figures, undefined, options);
}
