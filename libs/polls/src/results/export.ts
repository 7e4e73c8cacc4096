import { randomInt } from 'node:crypto';
import { QuestionKind } from '../entities/enums';
import type { Poll } from '../entities/poll.entity';
import type { PollResults } from '../services/results.service';
import { DIMENSIONS } from './disclosure-audit';
import { DIMENSION_TITLES, groupLabel, QUESTION_KIND_LABELS } from './labels';
import { councilReport, ReportQuestion } from './report';

/** CSV cell: quoted, and neutralised when a spreadsheet would read it as a formula. */
function cell(value: unknown): string {
  let text = value === null || value === undefined ? '' : String(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return `"${text.replace(/"/g, '""')}"`;
}

/** A copy in random order (crypto Fisher–Yates): the order of an anonymous poll's comments says nothing. */
function shuffled<T>(values: T[]): T[] {
  const out = [...values];
  for (let i = out.length - 1; i > 0; i -= 1) {
    const j = randomInt(i + 1);
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

export const CSV_HEADER = [
  'Section',
  'Question',
  'Prompt',
  'Kind',
  'Breakdown',
  'Group',
  'Group respondents',
  'Answer',
  'Count',
  'Percent',
  'Percent of',
  'Hidden',
  'Everyone in group gave this answer',
  'Note',
] as const;

/**
 * results.csv, for a spreadsheet: a UTF-8 byte-order mark (so Excel reads the labels right), one
 * row per answer (overall) and per breakdown cell with suppression applied (a hidden cell has an empty
 * count and Hidden = yes), then the written answers (never with a group; in random order for
 * anonymous polls), what was not shown and why, and the method, ranked-choice rules included. Labels,
 * never stored codes; formula-like cells neutralised.
 */
export function resultsCsv(poll: Poll, results: PollResults): string {
  const lines: string[][] = [[...CSV_HEADER]];
  const row = (values: Partial<Record<(typeof CSV_HEADER)[number], string | number>>) =>
    lines.push(CSV_HEADER.map((name) => (values[name] === undefined ? '' : String(values[name]))));
  for (const q of results.questions) {
    const question = { Question: q.position + 1, Prompt: q.prompt, Kind: QUESTION_KIND_LABELS[q.kind] };
    const multiple = q.kind === QuestionKind.MultipleChoice;
    for (const c of q.counts) {
      row({
        Section: 'Result',
        ...question,
        Breakdown: 'All respondents',
        Group: 'All',
        'Group respondents': q.respondents,
        Answer: c.label,
        Count: c.count,
        Percent: c.percent.toFixed(1),
        'Percent of': multiple ? 'respondents (several answers allowed)' : 'respondents',
        Hidden: 'no',
        'Everyone in group gave this answer': 'no',
      });
    }
    if (q.instantRunoff && q.borda && q.instantRunoff.winners.length) {
      const label = (id: string) => q.counts.find((c) => c.key === id)?.label ?? '';
      row({
        Section: 'Ranked result',
        ...question,
        Note: `Instant-runoff winner: ${q.instantRunoff.winners.map(label).join(' and ')} after ${q.instantRunoff.rounds.length} round(s). Borda points: ${q.borda.ranking
          .map((r) => `${label(r.optionId)} ${r.points}`)
          .join(', ')}.`,
      });
    }
    for (const dimension of DIMENSIONS) {
      const table = q.breakdowns?.[dimension];
      if (!table) continue;
      for (const r of table.rows) {
        r.cells.forEach((c, i) => {
          row({
            Section: 'Breakdown',
            ...question,
            Breakdown: DIMENSION_TITLES[dimension],
            Group: groupLabel(dimension, r.group),
            'Group respondents': r.total ?? '',
            Answer: table.columns[i].label,
            Count: c.count ?? '',
            Percent: c.percent === null ? '' : c.percent.toFixed(1),
            'Percent of':
              c.percent === null
                ? ''
                : multiple
                  ? 'group respondents (several answers allowed)'
                  : r.percentOfShown
                    ? 'answers shown in this group'
                    : 'answers in this group',
            Hidden: c.suppressed ? 'yes' : 'no',
            'Everyone in group gave this answer': c.unanimous ? 'yes' : 'no',
          });
        });
      }
    }
  }
  // Written answers: a section of their own, never beside a group.
  for (const q of results.questions) {
    if (!q.texts) continue;
    for (const text of poll.anonymous ? shuffled(q.texts) : q.texts) {
      row({
        Section: 'Written answer',
        Question: q.position + 1,
        Prompt: q.prompt,
        Kind: QUESTION_KIND_LABELS[q.kind],
        Answer: text,
      });
    }
  }
  // What was withheld and why, as rows of their own so a spreadsheet shows them beside the figures.
  for (const note of results.withheld) {
    const q = note.question ? results.questions[note.question - 1] : null;
    row({
      Section: 'Not shown',
      Question: note.question ?? '',
      Prompt: q?.prompt ?? '',
      Kind: q ? QUESTION_KIND_LABELS[q.kind] : '',
      Breakdown: note.dimension ? DIMENSION_TITLES[note.dimension] : '',
      Hidden: 'yes',
      Note: note.reason,
    });
  }
  if (results.breakdownNote) row({ Section: 'Not shown', Note: results.breakdownNote });
  for (const paragraph of results.method) row({ Section: 'Method', Note: paragraph });
  return '\uFEFF' + lines.map((line) => line.map(cell).join(',')).join('\r\n') + '\r\n';
}

function esc(value: unknown): string {
  return String(value ?? '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

const SUMMARY_CSS = `
body{font-family:Arial,Helvetica,sans-serif;color:#212b32;max-width:960px;margin:24px auto;padding:0 16px;line-height:1.4}
h1{color:#005eb8;margin-bottom:4px}h2{margin-top:32px}h3{margin:0 0 4px}h4{margin:12px 0 4px}
table{border-collapse:collapse;margin:8px 0}td,th{border:1px solid #aeb7bd;padding:4px 8px;text-align:left;vertical-align:top}
th{background:#f0f4f5}.num{text-align:right}.bar-cell{width:200px}
.bar{display:block;height:12px;background:#005eb8;min-width:1px;print-color-adjust:exact;-webkit-print-color-adjust:exact}
.meta{color:#4c6272;margin:0 0 8px}.note{border-left:4px solid #ffb81c;padding-left:8px}
.method{border:2px solid #005eb8;padding:8px 16px;margin-top:24px}
dl{display:grid;grid-template-columns:max-content 1fr;gap:4px 16px}dt{font-weight:bold}dd{margin:0}
section.question{margin-top:24px}
@page{size:A4;margin:15mm}
@media print{body{max-width:none;margin:0;padding:0;font-size:10pt}section.question,table,.method{break-inside:avoid}h2,h3,h4{break-after:avoid}}
`;

function tableHtml(head: string[], rows: string[][], numeric: (column: number) => boolean): string {
  return `<table><thead><tr>${head.map((h) => `<th scope="col">${esc(h)}</th>`).join('')}</tr></thead><tbody>${rows
    .map(
      (row) =>
        `<tr>${row
          .map((v, i) =>
            i === 0 ? `<th scope="row">${esc(v)}</th>` : `<td${numeric(i) ? ' class="num"' : ''}>${esc(v)}</td>`,
          )
          .join('')}</tr>`,
    )
    .join('')}</tbody></table>`;
}

function questionHtml(q: ReportQuestion): string {
  const answers = q.answers.length
    ? `<table class="answers"><thead><tr><th scope="col">Answer</th><th scope="col">Count</th><th scope="col">%</th><th scope="col" class="bar-cell"><span class="visually-hidden">Chart</span></th></tr></thead><tbody>${q.answers
        .map(
          (a) =>
            `<tr><th scope="row">${esc(a.label)}</th><td class="num">${a.count}</td><td class="num">${esc(a.percent)}</td><td class="bar-cell" aria-hidden="true"><span class="bar" style="width:${Math.round(a.share * 100)}%"></span></td></tr>`,
        )
        .join('')}</tbody></table>`
    : '';
  const facts = q.facts.map((f) => `<p>${esc(f)}</p>`).join('');
  const notes = q.notes.map((n) => `<p class="note"><strong>Not shown:</strong> ${esc(n)}</p>`).join('');
  const legend = q.legend ? `<p class="meta">${esc(q.legend)}</p>` : '';
  const texts = q.texts.length ? `<ul class="texts">${q.texts.map((t) => `<li>${esc(t)}</li>`).join('')}</ul>` : '';
  const breakdowns = q.breakdowns
    .map(
      (b) =>
        `<h4>${esc(b.title)}</h4>${tableHtml(
          ['Group', 'Respondents', ...b.columns],
          b.rows.map((r) => [r.group, r.total, ...r.cells]),
          (i) => i > 0,
        )}`,
    )
    .join('');
  return `<section class="question"><h3>${q.number}. ${esc(q.prompt)}</h3><p class="meta">${esc(q.kind)}. <span class="respondents">${q.respondents} respondents</span>.</p>${answers}${facts}${notes}${texts}${breakdowns}${legend}</section>`;
}

/**
 * The printable council summary (A4 print styles, no scripts): the same report as the PDF, from the
 * same audited publication, with chart-ready data in a JSON block.
 */
export function summaryHtml(poll: Poll, communityName: string, results: PollResults): string {
  const report = councilReport(poll, communityName, results);
  const chartData = report.questions.map((q) => ({
    question: q.number,
    prompt: q.prompt,
    kind: q.kind,
    respondents: q.respondents,
    counts: q.answers.map((a) => ({ label: a.label, count: a.count, percent: a.percent })),
  }));
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${esc(report.title)}: council report</title>
<style>${SUMMARY_CSS}.visually-hidden{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0)}</style></head>
<body><main><h1>${esc(report.title)}</h1><p class="meta">${esc(report.community)}: poll results for the Workforce Council</p>
<dl><dt>Status</dt><dd>${esc(report.status)}</dd><dt>Opened</dt><dd>${esc(report.opened)}</dd><dt>Closed</dt><dd>${esc(report.closed)}</dd>
<dt>Audience</dt><dd>${esc(report.audience)}</dd><dt>Electorate</dt><dd>${report.electorate} members</dd>
<dt>Turnout</dt><dd>${report.responses} of ${report.electorate} (${esc(report.turnout)})</dd></dl>
${report.context.map((p) => `<p>${esc(p)}</p>`).join('')}
${report.notes.length ? `<div class="note">${report.notes.map((n) => `<p>${esc(n)}</p>`).join('')}</div>` : ''}
<h2>Results</h2>
${report.questions.map(questionHtml).join('\n')}
<section class="method"><h2>Method</h2>${report.method.map((p) => `<p>${esc(p)}</p>`).join('')}</section>
</main>
<script type="application/json" id="chart-data">${JSON.stringify(chartData).replace(/</g, '\\u003c')}</script>
</body></html>`;
}
