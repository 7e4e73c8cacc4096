import { useEffect, useState } from 'react';
import { Link, useParams } from 'react-router-dom';
import { ApiError } from '../../api/client';
import { download, http, okAs } from '../../api/http';
import { subscribe } from '../../api/realtime';
import type { BreakdownTable, Poll, PollResults, QuestionResult } from '../../api/types';
import { formatDateTime, PROFESSIONS, REGIONS, STAGES } from '../../components/labels';
import { ErrorPanel, Loading, PageHeading, SummaryList, useAsync } from '../../components/ui';
import { fetchPoll } from './pollWrites';

/** The results' shape is typed by hand (`types.ts`): the OpenAPI document leaves it open. */
function fetchResults(id: string): Promise<PollResults> {
  return okAs<PollResults>(http.GET('/api/v1/polls/{id}/results', { params: { path: { id } } }));
}

/**
 * Poll results as people read them: for each question a bar chart beside its table, where the table
 * is what assistive technology reads and the bars only repeat its numbers (aria-hidden); the
 * breakdowns by group with their hidden cells marked in words; what was not shown and why; how
 * ranked questions are counted. The same parts make the live results on the poll page and the
 * printable council report.
 */

const DIMENSIONS: Array<[string, string, Record<string, string>]> = [
  ['profession', 'By profession', PROFESSIONS],
  ['careerStage', 'By career stage', STAGES],
  ['region', 'By region', REGIONS],
];

const percent = (value: number | null | undefined) =>
  value === null || value === undefined ? '' : `${value.toFixed(1)}%`;

/** The question's answers: a table with a bar per row; every figure is in the table's text. */
function AnswersChart({ result }: { result: QuestionResult }) {
  const max = Math.max(1, ...result.counts.map((c) => c.count));
  return (
    <table className="nhsuk-table cophub-results-table">
      <caption className="nhsuk-table__caption nhsuk-u-visually-hidden">Answers to: {result.prompt}</caption>
      <thead className="nhsuk-table__head">
        <tr className="nhsuk-table__row">
          <th className="nhsuk-table__header" scope="col">
            Answer
          </th>
          <th className="nhsuk-table__header cophub-num" scope="col">
            Responses
          </th>
          <th className="nhsuk-table__header cophub-num" scope="col">
            Percentage
          </th>
          <td className="nhsuk-table__header cophub-chart-cell" aria-hidden="true" />
        </tr>
      </thead>
      <tbody className="nhsuk-table__body">
        {result.counts.map((c) => (
          <tr className="nhsuk-table__row" key={c.key}>
            <th className="nhsuk-table__cell" scope="row">
              {c.label}
            </th>
            <td className="nhsuk-table__cell cophub-num">{c.count}</td>
            <td className="nhsuk-table__cell cophub-num">{percent(c.percent)}</td>
            <td className="nhsuk-table__cell cophub-chart-cell" aria-hidden="true">
              <span className="cophub-bar" style={{ width: `${(c.count / max) * 100}%` }} />
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function Suppressed({ threshold }: { threshold: number }) {
  return (
    <abbr
      title={`Hidden: fewer than ${threshold} people, or it would reveal a hidden cell`}
      className="cophub-suppressed"
    >
      [hidden]
    </abbr>
  );
}

function Breakdown({
  title,
  table,
  labels,
  threshold,
}: {
  title: string;
  table: BreakdownTable;
  labels: Record<string, string>;
  threshold: number;
}) {
  return (
    <div className="cophub-table-scroll" role="region" aria-label={title} tabIndex={0}>
      <table className="nhsuk-table cophub-breakdown">
        <caption className="nhsuk-table__caption nhsuk-table__caption--s">{title}</caption>
        <thead className="nhsuk-table__head">
          <tr className="nhsuk-table__row">
            <th className="nhsuk-table__header" scope="col">
              Group
            </th>
            <th className="nhsuk-table__header cophub-num" scope="col">
              Respondents
            </th>
            {table.columns.map((c) => (
              <th className="nhsuk-table__header cophub-num" scope="col" key={c.key}>
                {c.label}
              </th>
            ))}
          </tr>
        </thead>
        <tbody className="nhsuk-table__body">
          {table.rows.map((row) => (
            <tr className="nhsuk-table__row" key={row.group}>
              <th className="nhsuk-table__cell" scope="row">
                {labels[row.group] ?? row.group}
              </th>
              <td className="nhsuk-table__cell cophub-num">
                {row.totalSuppressed ? <Suppressed threshold={threshold} /> : row.total}
              </td>
              {row.cells.map((cell, i) => (
                <td className="nhsuk-table__cell cophub-num" key={i}>
                  {cell.suppressed ? (
                    <Suppressed threshold={threshold} />
                  ) : (
                    <>
                      {cell.count}
                      {cell.percent !== null && cell.percent !== undefined && (
                        <span className="cophub-percent"> ({percent(cell.percent)})</span>
                      )}
                    </>
                  )}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function QuestionResults({ q, number, data }: { q: QuestionResult; number: number; data: PollResults }) {
  const label = (id: string) => q.counts.find((c) => c.key === id)?.label ?? id;
  const tables = DIMENSIONS.flatMap(([key, title, labels]) => {
    const table = q.breakdowns?.[key];
    // A table whose every count is hidden says nothing the note below it does not.
    return table && table.rows.some((r) => r.cells.some((c) => !c.suppressed)) ? [{ key, title, labels, table }] : [];
  });
  const notes = data.withheld.filter((n) => n.question === number && n.reason !== q.withheld);
  return (
    <section className="cophub-question-result" aria-labelledby={`result-${q.id}`}>
      <h3 className="nhsuk-heading-s" id={`result-${q.id}`}>
        {number}. {q.prompt}
      </h3>
      <p className="cophub-meta">
        {q.respondents} {q.respondents === 1 ? 'person' : 'people'} answered.
      </p>
      {q.withheld ? (
        <p>Not shown: {q.withheld}</p>
      ) : q.kind === 'free_text' ? (
        <ul className="nhsuk-list nhsuk-list--bullet">
          {(q.texts ?? []).map((t, k) => (
            <li key={k}>{t}</li>
          ))}
        </ul>
      ) : (
        <AnswersChart result={q} />
      )}
      {q.mean !== undefined && !q.withheld && (
        <p>
          Average {q.mean}, median {q.median}
        </p>
      )}
      {q.instantRunoff && q.instantRunoff.winners.length > 0 && (
        <p>
          Preferred after redistributing preferences (instant runoff):{' '}
          <strong>{q.instantRunoff.winners.map(label).join(', ')}</strong> ({q.instantRunoff.rounds.length}{' '}
          {q.instantRunoff.rounds.length === 1 ? 'round' : 'rounds'}).
          {q.borda && <> Borda points: {q.borda.ranking.map((r) => `${label(r.optionId)} ${r.points}`).join(', ')}.</>}
        </p>
      )}
      {q.percentNote && <p className="cophub-meta">{q.percentNote}</p>}
      {data.breakdownsShown &&
        tables.map(({ key, title, labels, table }) => (
          <Breakdown key={key} title={title} table={table} labels={labels} threshold={data.threshold} />
        ))}
      {notes.length > 0 && (
        <div className="cophub-note">
          {notes.map((n, k) => (
            <p key={k}>{n.reason}</p>
          ))}
        </div>
      )}
    </section>
  );
}

/** Everything a results page shows below its heading. */
export function ResultsBody({ data, printable = false }: { data: PollResults; printable?: boolean }) {
  const pollNotes = data.withheld.filter((n) => n.question === null);
  return (
    <>
      <p className="nhsuk-body-l">
        {data.turnout.responses} of {data.turnout.electorate} invited members answered ({data.turnout.percent}%).
      </p>
      {data.anonymous && (
        <p>
          Counts in anonymous results are shown from the close, only for groups of at least {data.threshold} people, and
          each count is moved by a small random amount (up to 2) so that nobody’s answer can be worked out, even by
          someone who knows their own answer. So a table may not add up exactly.
        </p>
      )}
      {(pollNotes.length > 0 || data.breakdownNote) && (
        <div className="nhsuk-inset-text">
          <span className="nhsuk-u-visually-hidden">Information: </span>
          {pollNotes.map((note, k) => (
            <p key={k}>{note.reason}</p>
          ))}
          {data.breakdownNote && <p>{data.breakdownNote}</p>}
        </div>
      )}
      {data.withheld.some((n) => n.question !== null) && (
        <p>
          Some figures are not shown, so that nobody can work out how particular members answered. Each question says
          which, and why.
        </p>
      )}
      {data.questions.map((q, i) => (
        <QuestionResults key={q.id} q={q} number={i + 1} data={data} />
      ))}
      {data.rankedRules && !printable && (
        <details className="nhsuk-details">
          <summary className="nhsuk-details__summary">
            <span className="nhsuk-details__summary-text">How ranked questions are counted</span>
          </summary>
          <div className="nhsuk-details__text">
            <p>{data.rankedRules}</p>
          </div>
        </details>
      )}
    </>
  );
}

/** Live results on the poll page: refetched when the turnout moves (anonymous) or a vote counts (named), and at close. */
export function Results({ poll }: { poll: Poll }) {
  const results = useAsync(['/polls/*/results', poll.id], () => fetchResults(poll.id));
  useEffect(
    () =>
      subscribe(`poll:${poll.id}`, {
        'poll.results': () => void results.reload(),
        'poll.closed': () => void results.reload(),
      }),
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [poll.id],
  );
  if (results.error instanceof ApiError && [403, 409].includes(results.error.status)) {
    return <p>Results will be published when the poll closes.</p>;
  }
  if (results.error) return <ErrorPanel error={results.error} />;
  if (!results.data) return <Loading what="Loading results" />;
  return <ResultsBody data={results.data} />;
}

/**
 * The council report, printable on A4 (print styles hide the navigation and keep each question's
 * chart and table together), with the PDF the API draws from the same figures.
 */
export function PollReportPage() {
  const { id = '' } = useParams();
  const poll = useAsync(['/polls/*', id], () => fetchPoll(id));
  const report = useAsync(['/polls/*/results', id], () => fetchResults(id));
  const [problem, setProblem] = useState<unknown>(null);
  if (report.error instanceof ApiError && [403, 409].includes(report.error.status)) {
    return (
      <>
        <PageHeading>Council report</PageHeading>
        <p>The report can be made once results are published.</p>
        <p>
          <Link to={`/polls/${id}`}>Back to the poll</Link>
        </p>
      </>
    );
  }
  if (poll.error || report.error) return <ErrorPanel error={poll.error ?? report.error} />;
  if (!poll.data || !report.data) return <Loading what="Loading the report" />;
  const p = poll.data;
  const results = report.data;
  return (
    <article className="cophub-report">
      <p className="cophub-no-print">
        <Link to={`/polls/${p.id}`}>Back to the poll</Link>
      </p>
      <PageHeading caption="Poll results for the Workforce Council" title={`${p.title}: council report`}>
        {p.title}
      </PageHeading>
      <div className="cophub-actions cophub-no-print">
        {p.me.manages && (
          <button
            type="button"
            className="nhsuk-button"
            onClick={() =>
              void download(
                http.GET('/api/v1/polls/{id}/report.pdf', { params: { path: { id: p.id } }, parseAs: 'blob' }),
                'council-report.pdf',
              ).catch(setProblem)
            }
          >
            Download PDF
          </button>
        )}
        <button type="button" className="nhsuk-button nhsuk-button--secondary" onClick={() => window.print()}>
          Print this report
        </button>
      </div>
      {problem ? <ErrorPanel error={problem} /> : null}
      <SummaryList
        rows={[
          ['Status', p.status === 'closed' ? 'Closed (final results)' : 'Open (results so far)'],
          ['Opened', p.openedAt ? formatDateTime(p.openedAt) : 'Not opened'],
          [
            'Closed',
            p.closedAt
              ? formatDateTime(p.closedAt)
              : p.closesAt
                ? `Closes ${formatDateTime(p.closesAt)}`
                : 'Still open',
          ],
          ['Electorate', `${results.turnout.electorate} members (the audience when the poll opened)`],
          [
            'Turnout',
            `${results.turnout.responses} of ${results.turnout.electorate} responded (${results.turnout.percent}%)`,
          ],
          ['Identity', p.anonymous ? 'Anonymous' : 'Named'],
        ]}
      />
      {p.contextHtml && <div className="cophub-prose" dangerouslySetInnerHTML={{ __html: p.contextHtml }} />}
      <h2 className="nhsuk-heading-l">Results</h2>
      <ResultsBody data={results} printable />
      <section className="cophub-method" aria-labelledby="method-heading">
        <h2 className="nhsuk-heading-m" id="method-heading">
          Method
        </h2>
        {results.method.map((paragraph, k) => (
          <p key={k}>{paragraph}</p>
        ))}
      </section>
    </article>
  );
}
