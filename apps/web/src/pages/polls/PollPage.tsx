import { useEffect, useState, type FormEvent } from 'react';
import { Link, useParams } from 'react-router-dom';
import { api, ApiError } from '../../api/client';
import { subscribe } from '../../api/realtime';
import type { BreakdownTable, Poll, PollAnswer, PollQuestion, PollResults, QuestionResult } from '../../api/types';
import { apiErrors, Button, ErrorSummary, type FieldError } from '../../components/forms';
import { formatDateTime, PROFESSIONS, REGIONS, STAGES } from '../../components/labels';

const GROUP_LABELS: Record<string, string> = { ...PROFESSIONS, ...STAGES, ...REGIONS };
import { ErrorPanel, Loading, Notice, PageHeading, SummaryList, Tag, useAsync } from '../../components/ui';
import { ItemCommunityNav } from '../communities/CommunityNav';
import { STATUS_TAGS } from './PollsPages';

const LIKERT = ['Strongly disagree', 'Disagree', 'Neither agree nor disagree', 'Agree', 'Strongly agree'];
const DIMENSIONS: Record<string, string> = {
  profession: 'By profession',
  careerStage: 'By career stage',
  region: 'By region',
};

function errorText(errors: FieldError[], field: string) {
  const message = errors.find((e) => e.field === field)?.message;
  return message ? (
    <span className="nhsuk-error-message" id={`${field}-error`}>
      <span className="nhsuk-u-visually-hidden">Error:</span> {message}
    </span>
  ) : null;
}

/**
 * Ranked choice: the order is a list; each option can be moved with buttons (keyboard and screen
 * readers) or dragged with a mouse. The new position is announced.
 */
function RankedQuestion({
  question,
  order,
  onOrder,
}: {
  question: PollQuestion;
  order: string[];
  onOrder: (o: string[]) => void;
}) {
  const [dragging, setDragging] = useState<string | null>(null);
  const [said, setSaid] = useState('');
  const label = (id: string) => question.options.find((o) => o.id === id)?.label ?? '';
  const move = (from: number, to: number) => {
    if (to < 0 || to >= order.length) return;
    const next = [...order];
    const [item] = next.splice(from, 1);
    next.splice(to, 0, item);
    onOrder(next);
    setSaid(`${label(item)} is now number ${to + 1} of ${order.length}.`);
  };
  return (
    <>
      <ol className="nhsuk-list cophub-ranking" aria-label={`Your order for: ${question.prompt}`}>
        {order.map((id, index) => (
          <li
            key={id}
            draggable
            onDragStart={() => setDragging(id)}
            onDragOver={(e) => e.preventDefault()}
            onDrop={(e) => {
              e.preventDefault();
              if (dragging) move(order.indexOf(dragging), index);
              setDragging(null);
            }}
            className="cophub-rank-item"
          >
            <span className="cophub-rank-number" aria-hidden="true">
              {index + 1}
            </span>
            <span className="cophub-rank-label">{label(id)}</span>
            <button
              type="button"
              className="cophub-link-button"
              disabled={index === 0}
              onClick={() => move(index, index - 1)}
            >
              Move up<span className="nhsuk-u-visually-hidden"> ({label(id)})</span>
            </button>
            <button
              type="button"
              className="cophub-link-button"
              disabled={index === order.length - 1}
              onClick={() => move(index, index + 1)}
            >
              Move down<span className="nhsuk-u-visually-hidden"> ({label(id)})</span>
            </button>
          </li>
        ))}
      </ol>
      <div role="status" className="nhsuk-u-visually-hidden">
        {said}
      </div>
    </>
  );
}

function AnswerForm({ poll, onDone }: { poll: Poll; onDone: () => Promise<void> }) {
  const [choices, setChoices] = useState<Record<string, string[]>>({});
  const [values, setValues] = useState<Record<string, string>>({});
  const [orders, setOrders] = useState<Record<string, string[]>>(() =>
    Object.fromEntries(
      poll.questions.filter((q) => q.kind === 'ranked').map((q) => [q.id, q.options.map((o) => o.id)]),
    ),
  );
  const [errors, setErrors] = useState<FieldError[]>([]);
  const [busy, setBusy] = useState(false);

  function answers(): { list: PollAnswer[]; problems: FieldError[] } {
    const list: PollAnswer[] = [];
    const problems: FieldError[] = [];
    poll.questions.forEach((q, i) => {
      const field = `answer-${q.id}`;
      const name = `Question ${i + 1}`;
      switch (q.kind) {
        case 'single_choice':
        case 'multiple_choice': {
          const picked = choices[q.id] ?? [];
          if (picked.length) list.push({ questionId: q.id, optionIds: picked });
          else if (q.required) problems.push({ field, message: `${name}: choose an answer` });
          break;
        }
        case 'ranked':
          list.push({ questionId: q.id, ranking: orders[q.id] });
          break;
        case 'likert':
        case 'score':
          if (values[q.id] !== undefined) list.push({ questionId: q.id, value: Number(values[q.id]) });
          else if (q.required) problems.push({ field, message: `${name}: choose an answer` });
          break;
        case 'free_text':
          if (values[q.id]?.trim()) list.push({ questionId: q.id, text: values[q.id].trim() });
          else if (q.required) problems.push({ field, message: `${name}: write an answer` });
          break;
      }
    });
    return { list, problems };
  }

  async function submit(event: FormEvent) {
    event.preventDefault();
    const { list, problems } = answers();
    setErrors(problems);
    if (problems.length) return;
    setBusy(true);
    try {
      await api.post(`/polls/${poll.id}/responses`, { answers: list });
      await onDone();
    } catch (error) {
      setErrors(apiErrors(error, {}, `answer-${poll.questions[0].id}`));
      setBusy(false);
    }
  }

  return (
    <form onSubmit={submit} noValidate>
      <ErrorSummary errors={errors} />
      {poll.questions.map((q, i) => {
        const field = `answer-${q.id}`;
        const hasError = errors.some((e) => e.field === field);
        const legend = (
          <legend className="nhsuk-fieldset__legend nhsuk-fieldset__legend--m">
            <span className="nhsuk-caption-m">
              Question {i + 1} of {poll.questions.length}
              {q.required ? '' : ' (optional)'}
            </span>
            {q.prompt}
          </legend>
        );
        const scale =
          q.kind === 'likert'
            ? LIKERT.map((label, k) => [String(k + 1), label])
            : q.kind === 'score'
              ? Array.from({ length: 11 }, (_, k) => [String(k), String(k)])
              : [];
        return (
          <div className={`nhsuk-form-group${hasError ? ' nhsuk-form-group--error' : ''}`} key={q.id}>
            <fieldset className="nhsuk-fieldset" aria-describedby={hasError ? `${field}-error` : undefined}>
              {legend}
              {errorText(errors, field)}
              {(q.kind === 'single_choice' || q.kind === 'multiple_choice') && (
                <>
                  {q.kind === 'multiple_choice' && (
                    <div className="nhsuk-hint">
                      Select all that apply{q.maxChoices ? ` (up to ${q.maxChoices})` : ''}
                    </div>
                  )}
                  <div className={q.kind === 'single_choice' ? 'nhsuk-radios' : 'nhsuk-checkboxes'}>
                    {q.options.map((o, k) => {
                      const id = k === 0 ? field : `${field}-${o.id}`;
                      const picked = choices[q.id] ?? [];
                      const single = q.kind === 'single_choice';
                      return (
                        <div className={single ? 'nhsuk-radios__item' : 'nhsuk-checkboxes__item'} key={o.id}>
                          <input
                            className={single ? 'nhsuk-radios__input' : 'nhsuk-checkboxes__input'}
                            id={id}
                            name={field}
                            type={single ? 'radio' : 'checkbox'}
                            checked={picked.includes(o.id)}
                            onChange={(e) =>
                              setChoices({
                                ...choices,
                                [q.id]: single
                                  ? [o.id]
                                  : e.target.checked
                                    ? [...picked, o.id]
                                    : picked.filter((x) => x !== o.id),
                              })
                            }
                          />
                          <label
                            className={`nhsuk-label ${single ? 'nhsuk-radios__label' : 'nhsuk-checkboxes__label'}`}
                            htmlFor={id}
                          >
                            {o.label}
                          </label>
                        </div>
                      );
                    })}
                  </div>
                </>
              )}
              {(q.kind === 'likert' || q.kind === 'score') && (
                <>
                  {q.kind === 'score' && <div className="nhsuk-hint">0 is the lowest, 10 the highest</div>}
                  <div className={`nhsuk-radios${q.kind === 'score' ? ' nhsuk-radios--inline' : ''}`}>
                    {scale.map(([value, label], k) => {
                      const id = k === 0 ? field : `${field}-${value}`;
                      return (
                        <div className="nhsuk-radios__item" key={value}>
                          <input
                            className="nhsuk-radios__input"
                            id={id}
                            name={field}
                            type="radio"
                            checked={values[q.id] === value}
                            onChange={() => setValues({ ...values, [q.id]: value })}
                          />
                          <label className="nhsuk-label nhsuk-radios__label" htmlFor={id}>
                            {label}
                          </label>
                        </div>
                      );
                    })}
                  </div>
                </>
              )}
              {q.kind === 'ranked' && (
                <>
                  <div className="nhsuk-hint">
                    Put your first choice at the top: use Move up and Move down, or drag.
                  </div>
                  <span id={field} tabIndex={-1} />
                  <RankedQuestion
                    question={q}
                    order={orders[q.id]}
                    onOrder={(o) => setOrders({ ...orders, [q.id]: o })}
                  />
                </>
              )}
              {q.kind === 'free_text' && (
                <>
                  <label className="nhsuk-label nhsuk-u-visually-hidden" htmlFor={field}>
                    Your answer to question {i + 1}
                  </label>
                  <textarea
                    id={field}
                    className="nhsuk-textarea"
                    rows={4}
                    value={values[q.id] ?? ''}
                    onChange={(e) => setValues({ ...values, [q.id]: e.target.value })}
                  />
                </>
              )}
            </fieldset>
          </div>
        );
      })}
      <Button busy={busy}>Send my answers</Button>
    </form>
  );
}

/** A bar chart made of text and bars: every number is written, the bar only repeats it. */
function Bars({ result }: { result: QuestionResult }) {
  const max = Math.max(1, ...result.counts.map((c) => c.count));
  return (
    <table className="nhsuk-table">
      <caption className="nhsuk-table__caption nhsuk-u-visually-hidden">Answers to: {result.prompt}</caption>
      <thead className="nhsuk-table__head">
        <tr className="nhsuk-table__row">
          <th className="nhsuk-table__header" scope="col">
            Answer
          </th>
          <th className="nhsuk-table__header" scope="col">
            Responses
          </th>
        </tr>
      </thead>
      <tbody className="nhsuk-table__body">
        {result.counts.map((c) => (
          <tr className="nhsuk-table__row" key={c.key}>
            <th className="nhsuk-table__cell" scope="row">
              {c.label}
            </th>
            <td className="nhsuk-table__cell">
              <span className="cophub-bar" style={{ width: `${(c.count / max) * 200}px` }} aria-hidden="true" />
              {c.count} ({c.percent}%)
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function Breakdown({ title, table, threshold }: { title: string; table: BreakdownTable; threshold: number }) {
  return (
    <table className="nhsuk-table-responsive nhsuk-table">
      <caption className="nhsuk-table__caption nhsuk-table__caption--s">{title}</caption>
      <thead className="nhsuk-table__head">
        <tr className="nhsuk-table__row">
          <th className="nhsuk-table__header" scope="col">
            Group
          </th>
          <th className="nhsuk-table__header" scope="col">
            Total
          </th>
          {table.columns.map((c) => (
            <th className="nhsuk-table__header" scope="col" key={c.key}>
              {c.label}
            </th>
          ))}
        </tr>
      </thead>
      <tbody className="nhsuk-table__body">
        {table.rows.map((row) => (
          <tr className="nhsuk-table__row" key={row.group}>
            <th className="nhsuk-table__cell" scope="row">
              {GROUP_LABELS[row.group] ?? row.group}
            </th>
            <td className="nhsuk-table__cell">
              {row.totalSuppressed ? <Suppressed threshold={threshold} /> : row.total}
            </td>
            {row.cells.map((cell, i) => (
              <td className="nhsuk-table__cell" key={i}>
                {cell.suppressed ? <Suppressed threshold={threshold} /> : cell.count}
              </td>
            ))}
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

/** What the API adds to the results to say what was withheld to protect anonymity, and why. */
type PublishedResults = Omit<PollResults, 'questions'> & {
  withheld?: Array<{ question: number | null; dimension: string | null; reason: string }>;
  questions: Array<QuestionResult & { withheld?: string }>;
};

function Results({ poll }: { poll: Poll }) {
  const results = useAsync(['/polls/*/results', poll.id], () => api.get<PublishedResults>(`/polls/${poll.id}/results`));
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
  const data = results.data;
  return (
    <>
      <p className="nhsuk-body-l">
        {data.turnout.responses} of {data.turnout.electorate} invited members answered ({data.turnout.percent}%).
      </p>
      {data.anonymous && data.status === 'open' && (
        <p>Results are updated in groups of {data.threshold} to protect anonymity.</p>
      )}
      {(data.withheld ?? []).length > 0 && (
        <div className="nhsuk-inset-text">
          <span className="nhsuk-u-visually-hidden">Information: </span>
          <p>Some figures are not shown, so that nobody can work out how particular members answered:</p>
          <ul className="nhsuk-list nhsuk-list--bullet">
            {data.withheld!.map((note, k) => (
              <li key={k}>{note.reason}</li>
            ))}
          </ul>
        </div>
      )}
      {data.breakdownNote && (
        <div className="nhsuk-inset-text">
          <span className="nhsuk-u-visually-hidden">Information: </span>
          <p>{data.breakdownNote}</p>
        </div>
      )}
      {data.questions.map((q, i) => (
        <section key={q.id} aria-labelledby={`result-${q.id}`}>
          <h3 className="nhsuk-heading-s" id={`result-${q.id}`}>
            {i + 1}. {q.prompt}
          </h3>
          {q.withheld ? (
            <p>Not published: {q.withheld}</p>
          ) : q.kind === 'free_text' ? (
            <ul className="nhsuk-list nhsuk-list--bullet">
              {(q.texts ?? []).map((t, k) => (
                <li key={k}>{t}</li>
              ))}
            </ul>
          ) : (
            <Bars result={q} />
          )}
          {q.mean !== undefined && (
            <p>
              Average {q.mean}, median {q.median}
            </p>
          )}
          {q.instantRunoff && q.instantRunoff.winners.length > 0 && (
            <p>
              Preferred after redistributing preferences:{' '}
              <strong>
                {q.instantRunoff.winners.map((w) => q.counts.find((c) => c.key === w)?.label ?? w).join(', ')}
              </strong>{' '}
              ({q.instantRunoff.rounds.length} {q.instantRunoff.rounds.length === 1 ? 'round' : 'rounds'})
            </p>
          )}
          {data.breakdownsShown &&
            Object.entries(q.breakdowns ?? {}).map(([dimension, table]) =>
              table ? (
                <Breakdown
                  key={dimension}
                  title={DIMENSIONS[dimension] ?? dimension}
                  table={table}
                  threshold={data.threshold}
                />
              ) : null,
            )}
        </section>
      ))}
    </>
  );
}

export function PollPage() {
  const { id = '' } = useParams();
  const poll = useAsync(['/polls/*', id], () => api.get<Poll>(`/polls/${id}`));
  const [notice, setNotice] = useState('');
  const [problem, setProblem] = useState<unknown>(null);

  async function act(action: () => Promise<unknown>, message: string) {
    setProblem(null);
    try {
      await action();
      setNotice(message);
      await poll.reload();
    } catch (error) {
      setProblem(error);
    }
  }

  async function openSummary() {
    try {
      const { data } = await api.blob(`/polls/${id}/summary`);
      const url = URL.createObjectURL(new Blob([await data.text()], { type: 'text/html' }));
      window.open(url, '_blank', 'noopener');
      setTimeout(() => URL.revokeObjectURL(url), 60_000);
    } catch (error) {
      setProblem(error);
    }
  }

  if (poll.error) return <ErrorPanel error={poll.error} />;
  if (!poll.data) return <Loading what="Loading poll" />;
  const p = poll.data;
  const [statusLabel, statusColour] = STATUS_TAGS[p.status];
  const showResults = p.status === 'open' || p.status === 'closed';
  return (
    <>
      <ItemCommunityNav communityId={p.communityId} tab="Polls" />
      <PageHeading caption="Poll">{p.title}</PageHeading>
      <p>
        <Tag colour={statusColour}>{statusLabel}</Tag>{' '}
        {p.anonymous ? <Tag colour="white">Anonymous</Tag> : <Tag colour="white">Named</Tag>}
      </p>
      {p.contextHtml && <div className="cophub-prose" dangerouslySetInnerHTML={{ __html: p.contextHtml }} />}
      <SummaryList
        rows={[
          ['Questions', String(p.questions.length)],
          ...(p.closesAt ? ([['Closes', formatDateTime(p.closesAt)]] as Array<[string, string]>) : []),
          ...(p.closedAt ? ([['Closed', formatDateTime(p.closedAt)]] as Array<[string, string]>) : []),
          [
            'Responses so far',
            p.anonymous && p.status === 'open'
              ? `${p.responses} (counted in groups, to protect anonymity)`
              : String(p.responses),
          ],
          ['Results', p.resultsVisibility === 'live' ? 'Shown as answers come in' : 'Shown when the poll closes'],
          [
            'Your answers',
            p.anonymous
              ? 'Anonymous: your answers are stored without your name'
              : 'Named: co-chairs can see your answers',
          ],
        ]}
      />
      <Notice>{notice}</Notice>
      {problem ? <ErrorPanel error={problem} /> : null}
      {p.status === 'open' && p.me.inAudience && !p.me.responded && (
        <>
          <h2 className="nhsuk-heading-l">Your answers</h2>
          <AnswerForm
            poll={p}
            onDone={() => act(async () => undefined, 'Thank you. Your answers have been recorded.')}
          />
        </>
      )}
      {p.me.responded && (
        <div className="nhsuk-inset-text">
          <span className="nhsuk-u-visually-hidden">Information: </span>
          <p>You have answered this poll.</p>
        </div>
      )}
      {p.status === 'open' && !p.me.inAudience && !p.me.manages && (
        <p>This poll is for a different group of members.</p>
      )}
      {p.me.manages && (
        <section aria-labelledby="manage-poll" className="nhsuk-u-margin-bottom-6">
          <h2 className="nhsuk-heading-m" id="manage-poll">
            Manage this poll
          </h2>
          <div className="cophub-actions">
            {(p.status === 'draft' || p.status === 'scheduled') && (
              <button
                type="button"
                className="nhsuk-button"
                onClick={() =>
                  void act(() => api.post(`/polls/${id}/open`), 'The poll is open. Members have been invited.')
                }
              >
                Open the poll now
              </button>
            )}
            {p.status === 'open' && (
              <button
                type="button"
                className="nhsuk-button nhsuk-button--warning"
                onClick={() => void act(() => api.post(`/polls/${id}/close`), 'The poll is closed.')}
              >
                Close the poll now
              </button>
            )}
            {showResults && (
              <>
                <button
                  type="button"
                  className="nhsuk-button nhsuk-button--secondary"
                  onClick={() => void api.download(`/polls/${id}/results.csv`, 'poll-results.csv').catch(setProblem)}
                >
                  Download results (CSV)
                </button>
                <button
                  type="button"
                  className="nhsuk-button nhsuk-button--secondary"
                  onClick={() => void openSummary()}
                >
                  Open the council summary
                </button>
              </>
            )}
          </div>
        </section>
      )}
      {showResults && (
        <section aria-labelledby="results-heading">
          <h2 className="nhsuk-heading-l" id="results-heading">
            Results
          </h2>
          <Results key={`${p.status}-${p.responses}`} poll={p} />
        </section>
      )}
      <p>
        <Link to="/communities">Back to your communities</Link>
      </p>
    </>
  );
}
