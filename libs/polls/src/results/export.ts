import type { Poll } from '../entities/poll.entity';
import type { PollResults } from '../services/results.service';

const DIMENSION_LABEL = { profession: 'profession', careerStage: 'career_stage', region: 'region' } as const;

/** CSV cell: quoted, and neutralised when a spreadsheet would read it as a formula. */
function cell(value: unknown): string {
  let text = value === null || value === undefined ? '' : String(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return `"${text.replace(/"/g, '""')}"`;
}

/**
 * One row per question/option (overall) and per question/breakdown cell, suppression applied:
 * a suppressed cell has an empty count and `suppressed = true`.
 */
export function resultsCsv(poll: Poll, results: PollResults): string {
  const lines = [
    [
      'question',
      'prompt',
      'kind',
      'breakdown',
      'group',
      'group_total',
      'option',
      'count',
      'percent',
      'suppressed',
      'unanimous',
      'note',
    ],
  ];
  for (const q of results.questions) {
    for (const c of q.counts) {
      lines.push([
        String(q.position + 1),
        q.prompt,
        q.kind,
        'overall',
        'all',
        String(q.respondents),
        c.label,
        String(c.count),
        String(c.percent),
        'false',
        'false',
        '',
      ]);
    }
    for (const [dimension, table] of Object.entries(q.breakdowns ?? {})) {
      for (const row of table.rows) {
        row.cells.forEach((c, i) => {
          lines.push([
            String(q.position + 1),
            q.prompt,
            q.kind,
            DIMENSION_LABEL[dimension as keyof typeof DIMENSION_LABEL],
            row.group,
            row.total === null ? '' : String(row.total),
            table.columns[i].label,
            c.count === null ? '' : String(c.count),
            c.count === null || row.total === null || !row.total
              ? ''
              : String(Math.round((c.count / row.total) * 1000) / 10),
            String(c.suppressed),
            String(c.unanimous),
            '',
          ]);
        });
      }
    }
  }
  // What was withheld and why, as rows of their own so a spreadsheet shows them beside the figures.
  for (const note of results.withheld) {
    const q = note.question ? results.questions[note.question - 1] : null;
    lines.push([
      note.question ? String(note.question) : '',
      q?.prompt ?? '',
      q?.kind ?? '',
      'withheld',
      note.dimension ? DIMENSION_LABEL[note.dimension] : '',
      '',
      '',
      '',
      '',
      'true',
      'false',
      note.reason,
    ]);
  }
  void poll;
  return lines.map((line) => line.map(cell).join(',')).join('\r\n') + '\r\n';
}

function esc(value: unknown): string {
  return String(value ?? '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

const date = (d: Date | null) =>
  d ? d.toLocaleString('en-GB', { timeZone: 'Europe/London', dateStyle: 'long', timeStyle: 'short' }) : '—';

/** A printable page for the Workforce Council: everything inline, no scripts, chart-ready data in a JSON block. */
export function summaryHtml(poll: Poll, communityName: string, results: PollResults): string {
  const audience = [
    poll.audienceProfessions.length ? `professions: ${poll.audienceProfessions.join(', ')}` : null,
    poll.audienceCareerStages.length ? `career stages: ${poll.audienceCareerStages.join(', ')}` : null,
    poll.audienceRegions.length ? `regions: ${poll.audienceRegions.join(', ')}` : null,
  ].filter(Boolean);
  const chartData = results.questions.map((q) => ({
    question: q.position + 1,
    prompt: q.prompt,
    kind: q.kind,
    respondents: q.respondents,
    counts: q.counts.map((c) => ({ label: c.label, count: c.count, percent: c.percent })),
  }));
  const questions = results.questions
    .map((q) => {
      const rows = q.counts
        .map((c) => `<tr><td>${esc(c.label)}</td><td>${c.count}</td><td>${c.percent}%</td></tr>`)
        .join('');
      const breakdowns = Object.entries(q.breakdowns ?? {})
        .map(
          ([dimension, table]) =>
            `<h4>By ${esc(DIMENSION_LABEL[dimension as keyof typeof DIMENSION_LABEL].replace('_', ' '))}</h4><table><thead><tr><th>Group</th><th>Respondents</th>${table.columns
              .map((c) => `<th>${esc(c.label)}</th>`)
              .join('')}</tr></thead><tbody>${table.rows
              .map(
                (row) =>
                  `<tr><td>${esc(row.group)}</td><td>${row.total ?? '*'}</td>${row.cells
                    .map((c) => `<td>${c.count ?? '*'}${c.unanimous ? ' †' : ''}</td>`)
                    .join('')}</tr>`,
              )
              .join('')}</tbody></table>`,
        )
        .join('');
      const ranked = q.instantRunoff
        ? `<p>Instant-runoff winner: ${esc(q.instantRunoff.winners.map((id) => q.counts.find((c) => c.key === id)?.label ?? id).join(' and ') || '—')}; Borda winner: ${esc(
            q.borda!.winners.map((id) => q.counts.find((c) => c.key === id)?.label ?? id).join(' and ') || '—',
          )}.</p>`
        : '';
      const withheld = q.withheld ? `<p><strong>Not published:</strong> ${esc(q.withheld)}</p>` : '';
      const texts = q.texts ? `<ul>${q.texts.map((t) => `<li>${esc(t)}</li>`).join('')}</ul>` : '';
      const mean = q.mean !== undefined ? `<p>Mean ${q.mean}, median ${q.median}.</p>` : '';
      return `<section><h3>${q.position + 1}. ${esc(q.prompt)}</h3><p>${q.respondents} respondents.</p>${
        rows
          ? `<table><thead><tr><th>Answer</th><th>Count</th><th>%</th></tr></thead><tbody>${rows}</tbody></table>`
          : ''
      }${withheld}${mean}${ranked}${texts}${breakdowns}</section>`;
    })
    .join('');
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${esc(poll.title)} — results</title>
<style>body{font-family:Arial,sans-serif;color:#212b32;max-width:960px;margin:24px auto;padding:0 16px}table{border-collapse:collapse;margin:8px 0}td,th{border:1px solid #aeb7bd;padding:4px 8px;text-align:left}h1{color:#005eb8}@media print{section{break-inside:avoid}}</style></head>
<body><h1>${esc(poll.title)}</h1><p>${esc(communityName)}</p>
<dl><dt>Opened</dt><dd>${date(poll.openedAt)}</dd><dt>Closed</dt><dd>${date(poll.closedAt)}</dd>
<dt>Audience</dt><dd>${esc(audience.length ? audience.join('; ') : 'all approved members')}</dd>
<dt>Turnout</dt><dd>${results.turnout.responses} of ${results.turnout.electorate} (${results.turnout.percent}%)</dd></dl>
<div>${poll.contextHtml}</div>
${questions}
<h2>Method</h2>
<p>${
    poll.anonymous
      ? `Anonymous poll: who responded and what was answered are stored in separate tables with no shared key, timestamp or order; answers were sealed until at least ${results.threshold} were waiting and then stored together in random order, so nobody, including the co-chairs and the system's operators, can link an answer to a member.`
      : 'Named poll: the co-chairs can see who gave each answer.'
  } Each member of the audience, snapshotted when the poll opened, could respond once.</p>
<p>Breakdown cells with fewer than ${results.threshold} respondents are suppressed (*), and further cells are suppressed where needed so that no hidden value can be worked out from the totals. Before publication every figure was checked, with the member list, for anything that would show how a particular member answered. † marks a group in which every respondent gave the same answer.${
    results.breakdownNote ? ` ${esc(results.breakdownNote)}` : ''
  }</p>${
    results.withheld.length
      ? `<h2>What is not shown, and why</h2><ul>${results.withheld.map((note) => `<li>${esc(note.reason)}</li>`).join('')}</ul>`
      : ''
  }
<script type="application/json" id="chart-data">${JSON.stringify(chartData).replace(/</g, '\\u003c')}</script>
</body></html>`;
}
