import { DateTime } from 'luxon';
import { EVENT_TIME_ZONE } from '../entities/enums';
import type { CpdEntry } from '../services/attendance.service';

/** CSV cell: quoted, and protected against spreadsheet formula injection (a leading = + - @). */
export function csvCell(value: string | number): string {
  let text = String(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return `"${text.replace(/"/g, '""')}"`;
}

function londonDate(date: Date): string {
  return DateTime.fromJSDate(date, { zone: EVENT_TIME_ZONE }).toFormat('yyyy-MM-dd HH:mm');
}

export function cpdCsv(entries: CpdEntry[]): string {
  const header = ['Date (UK time)', 'End (UK time)', 'Event', 'Community', 'CPD hours', 'Recorded by'];
  const rows = entries.map((e) => [
    londonDate(e.startsAt),
    londonDate(e.endsAt),
    e.title,
    e.communityName,
    e.cpdHours.toFixed(2),
    e.method === 'check_in' ? 'check-in' : 'co-chair',
  ]);
  const total = entries.reduce((sum, e) => sum + e.cpdHours, 0);
  rows.push(['', '', 'Total', '', total.toFixed(2), '']);
  return [header, ...rows].map((r) => r.map(csvCell).join(',')).join('\r\n') + '\r\n';
}

function escapeHtml(value: string): string {
  return value.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!,
  );
}

/** A self-contained printable page (no scripts), for a portfolio or appraisal. */
export function cpdPrintPage(name: string, entries: CpdEntry[], printedAt: Date): string {
  const total = entries.reduce((sum, e) => sum + e.cpdHours, 0);
  const rows = entries
    .map(
      (e) =>
        `<tr><td>${escapeHtml(londonDate(e.startsAt))}</td><td>${escapeHtml(e.title)}</td><td>${escapeHtml(
          e.communityName,
        )}</td><td class="num">${e.cpdHours.toFixed(2)}</td></tr>`,
    )
    .join('');
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>CPD record: ${escapeHtml(name)}</title>
<style>body{font-family:Arial,sans-serif;color:#212b32;margin:2rem}h1{font-size:1.6rem}table{border-collapse:collapse;width:100%}
th,td{border-bottom:1px solid #d8dde0;padding:.5rem;text-align:left}.num{text-align:right}@media print{a{display:none}}</style></head>
<body><h1>CPD record: ${escapeHtml(name)}</h1><p>Events attended through CoP Hub. Printed ${escapeHtml(londonDate(printedAt))} (UK time).</p>
<table><thead><tr><th scope="col">Date</th><th scope="col">Event</th><th scope="col">Community</th><th scope="col" class="num">CPD hours</th></tr></thead>
<tbody>${rows || '<tr><td colspan="4">No attended events recorded yet.</td></tr>'}</tbody>
<tfoot><tr><th scope="row" colspan="3">Total</th><td class="num">${total.toFixed(2)}</td></tr></tfoot></table></body></html>`;
}
