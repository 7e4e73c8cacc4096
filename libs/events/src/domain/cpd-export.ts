import { DateTime } from 'luxon';
import { escapeHtml } from '@cophub/core';
import { CpdActivityKind, EVENT_TIME_ZONE } from './enums';
import type { CpdEntry } from './cpd-entry';

/**
 * CSV cell: quoted, and protected against spreadsheet formula injection: a cell that a spreadsheet
 * would read as a formula (= + - @ first, also after leading spaces, or a leading tab or line break)
 * gets a leading apostrophe. Line breaks inside a cell become LF, which spreadsheets keep in the cell.
 */
export function csvCell(value: string | number): string {
  let text = String(value).replace(/\r\n?/g, '\n');
  if (/^\s*[=+\-@]|^[\t\r\n]/.test(text)) text = `'${text}`;
  return `"${text.replace(/"/g, '""')}"`;
}

/** A byte-order mark first, so Excel opens the UTF-8 file as UTF-8 (names with accents, "–"). */
const BOM = '\uFEFF';

export const CPD_KIND_LABELS: Record<'event' | CpdActivityKind, string> = {
  event: 'CoP event',
  [CpdActivityKind.Course]: 'Course or training',
  [CpdActivityKind.Reading]: 'Reading',
  [CpdActivityKind.Supervision]: 'Supervision',
  [CpdActivityKind.Other]: 'Other',
};

function londonDate(date: Date): string {
  return DateTime.fromJSDate(date, { zone: EVENT_TIME_ZONE }).toFormat('yyyy-MM-dd HH:mm');
}

function recordedBy(entry: CpdEntry): string {
  if (entry.source === 'own') return 'me';
  return entry.method === 'check_in' ? 'check-in' : 'co-chair';
}

export function cpdCsv(entries: CpdEntry[]): string {
  const header = [
    'Date',
    'Activity',
    'Type',
    'Community',
    'CPD hours',
    'Learning outcomes',
    'Reflection: how it changes my practice',
    'Evidence',
    'Recorded by',
    'Start (UK time)',
    'End (UK time)',
  ];
  const rows = entries.map((e) => [
    e.date,
    e.title,
    CPD_KIND_LABELS[e.kind],
    e.communityName ?? '',
    e.cpdHours.toFixed(2),
    e.learningOutcomes,
    e.reflection,
    e.evidenceUrl ?? '',
    recordedBy(e),
    e.startsAt ? londonDate(e.startsAt) : '',
    e.endsAt ? londonDate(e.endsAt) : '',
  ]);
  const total = entries.reduce((sum, e) => sum + e.cpdHours, 0);
  rows.push(['', 'Total', '', '', total.toFixed(2), '', '', '', '', '', '']);
  return BOM + [header, ...rows].map((r) => r.map(csvCell).join(',')).join('\r\n') + '\r\n';
}

/** Text with the writer's paragraphs kept, escaped. */
function paragraphs(text: string): string {
  return text
    .split(/\n\s*\n/)
    .map((p) => `<p>${escapeHtml(p.trim()).replace(/\n/g, '<br>')}</p>`)
    .join('');
}

function reflectionSection(e: CpdEntry): string {
  const parts: string[] = [];
  if (e.learningOutcomes) parts.push(`<dt>Learning outcomes</dt><dd>${paragraphs(e.learningOutcomes)}</dd>`);
  if (e.reflection) parts.push(`<dt>How it changes my practice</dt><dd>${paragraphs(e.reflection)}</dd>`);
  if (e.evidenceUrl) parts.push(`<dt>Evidence</dt><dd>${escapeHtml(e.evidenceUrl)}</dd>`);
  if (!parts.length) return '';
  return `<section><h3>${escapeHtml(e.date)}: ${escapeHtml(e.title)}</h3><dl>${parts.join('')}</dl></section>`;
}

/** A self-contained printable page (no scripts), for a portfolio, appraisal or registration audit. */
export function cpdPrintPage(name: string, entries: CpdEntry[], printedAt: Date): string {
  const total = entries.reduce((sum, e) => sum + e.cpdHours, 0);
  const rows = entries
    .map(
      (e) =>
        `<tr><td>${escapeHtml(e.date)}</td><td>${escapeHtml(e.title)}</td><td>${escapeHtml(
          CPD_KIND_LABELS[e.kind],
        )}</td><td>${escapeHtml(e.communityName ?? '')}</td><td class="num">${e.cpdHours.toFixed(2)}</td></tr>`,
    )
    .join('');
  const reflections = entries.map(reflectionSection).join('');
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>CPD record: ${escapeHtml(name)}</title>
<style>body{font-family:Arial,sans-serif;color:#212b32;margin:2rem}h1{font-size:1.6rem}h2{font-size:1.3rem;margin-top:2rem}
h3{font-size:1.1rem;margin-bottom:.25rem}table{border-collapse:collapse;width:100%}th,td{border-bottom:1px solid #d8dde0;padding:.5rem;text-align:left}
.num{text-align:right}dt{font-weight:bold;margin-top:.5rem}dd{margin-left:0}dd p{margin:.25rem 0}section{break-inside:avoid}</style></head>
<body><h1>CPD record: ${escapeHtml(name)}</h1><p>CoP events attended through CoP Hub and CPD added by the member. Printed ${escapeHtml(
    londonDate(printedAt),
  )} (UK time).</p>
<table><thead><tr><th scope="col">Date</th><th scope="col">Activity</th><th scope="col">Type</th><th scope="col">Community</th><th scope="col" class="num">CPD hours</th></tr></thead>
<tbody>${rows || '<tr><td colspan="5">No CPD recorded yet.</td></tr>'}</tbody>
<tfoot><tr><th scope="row" colspan="4">Total</th><td class="num">${total.toFixed(2)}</td></tr></tfoot></table>
${reflections ? `<h2>Reflections</h2>${reflections}` : ''}</body></html>`;
}
