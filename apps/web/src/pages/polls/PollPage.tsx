import { useEffect, useRef, useState, type FormEvent, type ReactNode } from 'react';
import { Link, useParams } from 'react-router-dom';
import { api, ApiError, seg } from '../../api/client';
import type { ElectoratePreview, Poll, PollAnswer, PollQuestion, RemindResult } from '../../api/types';
import { apiErrors, Button, ErrorSummary, type FieldError } from '../../components/forms';
import { NO_TIME, resolveTime, TimeInputs, timeErrorField, type TimeValue } from './pollTimes';
import { formatDateTime, PROFESSIONS, REGIONS, STAGES } from '../../components/labels';
import { ErrorPanel, Loading, Notice, PageHeading, SummaryList, Tag, useAsync } from '../../components/ui';
import { Results } from './PollResults';
import { ItemCommunityNav } from '../communities/CommunityNav';
import { STATUS_TAGS } from './PollsPages';

const LIKERT = ['Strongly disagree', 'Disagree', 'Neither agree nor disagree', 'Agree', 'Strongly agree'];

function choiceHint(q: PollQuestion): string {
  const max = q.maxChoices ?? q.options.length;
  if (q.minChoices > 1 && q.minChoices === max) return `Choose ${max}`;
  if (q.minChoices > 1) return `Choose at least ${q.minChoices}${max < q.options.length ? ` and up to ${max}` : ''}`;
  return max < q.options.length ? `Select up to ${max}` : 'Select all that apply';
}

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

/**
 * The member's answer form. In `preview` (a co-chair looking at a draft) it is the same form, checked
 * the same way, but nothing is sent.
 */
export function AnswerForm({
  poll,
  onDone,
  preview = false,
}: {
  poll: Poll;
  onDone: () => Promise<void>;
  preview?: boolean;
}) {
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
          const max = q.maxChoices ?? q.options.length;
          if (q.kind === 'multiple_choice' && picked.length && picked.length < q.minChoices) {
            problems.push({ field, message: `${name}: choose at least ${q.minChoices}` });
          } else if (q.kind === 'multiple_choice' && picked.length > max) {
            problems.push({ field, message: `${name}: choose no more than ${max}` });
          } else if (picked.length) list.push({ questionId: q.id, optionIds: picked });
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
    if (preview) {
      await onDone();
      return;
    }
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
                  {q.kind === 'multiple_choice' && <div className="nhsuk-hint">{choiceHint(q)}</div>}
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

const plural = (n: number) => (n === 1 ? '1 member' : `${n} members`);

function audienceText(poll: Poll): string {
  const parts = [
    poll.audience.professions.map((p) => PROFESSIONS[p as keyof typeof PROFESSIONS] ?? p).join(', '),
    poll.audience.careerStages.map((s) => STAGES[s as keyof typeof STAGES] ?? s).join(', '),
    poll.audience.regions.map((r) => REGIONS[r as keyof typeof REGIONS] ?? r).join(', '),
  ].filter(Boolean);
  return parts.length ? parts.join('; ') : 'Every member';
}

/** The poll as a member meets it: title, status, why it is asked, and what happens to their answers. */
function PollIntro({ poll, caption }: { poll: Poll; caption: string }) {
  const [statusLabel, statusColour] = STATUS_TAGS[poll.status];
  return (
    <>
      <PageHeading caption={caption} title={caption === 'Poll' ? poll.title : `${caption}: ${poll.title}`}>
        {poll.title}
      </PageHeading>
      <p>
        <Tag colour={statusColour}>{statusLabel}</Tag>{' '}
        {poll.anonymous ? <Tag colour="white">Anonymous</Tag> : <Tag colour="white">Named</Tag>}
      </p>
      {poll.contextHtml && <div className="cophub-prose" dangerouslySetInnerHTML={{ __html: poll.contextHtml }} />}
    </>
  );
}

function memberRows(poll: Poll): Array<[string, string]> {
  return [
    ['Questions', String(poll.questions.length)],
    ...(poll.status === 'scheduled' && poll.timesText.opensAt
      ? ([['Opens', poll.timesText.opensAt]] as Array<[string, string]>)
      : []),
    ...(poll.timesText.closesAt && poll.status !== 'closed'
      ? ([['Closes', poll.timesText.closesAt]] as Array<[string, string]>)
      : []),
    ...(poll.closedAt ? ([['Closed', formatDateTime(poll.closedAt)]] as Array<[string, string]>) : []),
    [
      'Results',
      poll.anonymous
        ? 'Published once, when the poll closes (while it is open, only how many have answered)'
        : poll.resultsVisibility === 'live'
          ? 'Shown as answers come in'
          : 'Shown when the poll closes',
    ],
    [
      'Your answers',
      poll.anonymous
        ? 'Anonymous: your answers are stored sealed, with nothing that links them to you. Counts are shown from the close, only for groups of at least 5 people, and each count is moved by a small random amount (up to 2) so that nobody’s answer can be worked out, even by someone who knows their own answer'
        : poll.allowChange
          ? 'Named: co-chairs can see your answers. You can change them until the poll closes'
          : 'Named: co-chairs can see your answers',
    ],
  ];
}

/** A modal question with two answers (the browser's own dialog: focus is kept inside, Escape cancels). */
function ConfirmDialog({
  title,
  children,
  confirmLabel,
  warning,
  busy,
  onConfirm,
  onCancel,
}: {
  title: string;
  children: ReactNode;
  confirmLabel: string;
  warning?: boolean;
  busy: boolean;
  onConfirm: () => void;
  onCancel: () => void;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const dialog = ref.current;
    if (dialog && !dialog.open) dialog.showModal();
    return () => dialog?.close();
  }, []);
  return (
    <dialog
      ref={ref}
      className="cophub-dialog"
      aria-labelledby="confirm-title"
      onCancel={(event) => {
        event.preventDefault();
        onCancel();
      }}
    >
      <h2 className="nhsuk-heading-m" id="confirm-title">
        {title}
      </h2>
      {children}
      <div className="cophub-actions">
        <button
          type="button"
          className={`nhsuk-button${warning ? ' nhsuk-button--warning' : ''}`}
          disabled={busy}
          aria-disabled={busy || undefined}
          onClick={onConfirm}
        >
          {confirmLabel}
        </button>
        <button type="button" className="nhsuk-button nhsuk-button--secondary" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </dialog>
  );
}

/** On an open poll: the next planned reminder, at a UK time the co-chair chooses. */
function PlanReminder({
  poll,
  act,
}: {
  poll: Poll;
  act: (action: () => Promise<unknown>, message: string) => Promise<boolean>;
}) {
  const [value, setValue] = useState<TimeValue>({ ...NO_TIME, mode: 'at' });
  const [errors, setErrors] = useState<FieldError[]>([]);
  async function submit(event: FormEvent) {
    event.preventDefault();
    const time = resolveTime(value);
    const found: FieldError[] = time.problem
      ? [{ field: timeErrorField('next-remind', value, time.twice), message: `Reminder time: ${time.problem}` }]
      : time.iso && new Date(time.iso).getTime() <= Date.now()
        ? [{ field: 'next-remind-date', message: 'Reminder time: choose a time in the future' }]
        : [];
    setErrors(found);
    if (found.length || !time.iso) return;
    const iso = time.iso;
    if (
      await act(
        () => api.post(`/polls/${poll.id}/schedule`, { remindAt: iso }),
        `A reminder is planned for ${formatDateTime(iso)}.`,
      )
    ) {
      setValue({ ...NO_TIME, mode: 'at' });
    }
  }
  return (
    <form onSubmit={submit} noValidate className="nhsuk-u-margin-bottom-4">
      <fieldset className="nhsuk-fieldset">
        <legend className="nhsuk-fieldset__legend nhsuk-fieldset__legend--s">
          {poll.remindAt && !poll.reminders.scheduledSentAt ? 'Change the planned reminder' : 'Plan a reminder'}
        </legend>
        <ErrorSummary errors={errors} />
        <TimeInputs id="next-remind" value={value} errors={errors} onValue={setValue} />
        <Button variant="secondary">Plan the reminder</Button>
      </fieldset>
    </form>
  );
}

type Confirming =
  { kind: 'open'; count: ElectoratePreview } | { kind: 'schedule'; count: ElectoratePreview } | { kind: 'close' };

/** The co-chair's part of the poll page: edit and preview a draft, open, schedule, close, remind, export. */
function ManagePoll({
  poll,
  act,
  onProblem,
}: {
  poll: Poll;
  act: (action: () => Promise<unknown>, message: string | ((result: unknown) => string)) => Promise<boolean>;
  onProblem: (error: unknown) => void;
}) {
  const [confirming, setConfirming] = useState<Confirming | null>(null);
  const [busy, setBusy] = useState(false);
  const base = `/c/${poll.communitySlug}/polls/${poll.id}`;
  const showResults = poll.status === 'open' || poll.status === 'closed';

  async function ask(kind: 'open' | 'schedule') {
    onProblem(null);
    try {
      const count = await api.post<ElectoratePreview>(
        `/communities/${seg(poll.communitySlug)}/polls/electorate-preview`,
        poll.audience,
      );
      setConfirming({ kind, count });
    } catch (error) {
      onProblem(error);
    }
  }

  async function confirm(action: () => Promise<unknown>, message: string) {
    setBusy(true);
    await act(action, message);
    setBusy(false);
    setConfirming(null);
  }

  const next = poll.reminders.nextAllowedAt;
  const lastReminder = [poll.reminders.lastSentNowAt, poll.reminders.scheduledSentAt]
    .filter((t): t is string => Boolean(t))
    .sort()
    .pop();
  return (
    <section aria-labelledby="manage-poll" className="nhsuk-u-margin-bottom-6">
      <h2 className="nhsuk-heading-m" id="manage-poll">
        Manage this poll
      </h2>
      <SummaryList
        rows={[
          ['Audience', audienceText(poll)],
          ...(poll.status === 'draft' || poll.status === 'scheduled'
            ? ([
                [poll.status === 'draft' ? 'Planned opening' : 'Opens', poll.timesText.opensAt ?? 'When you open it'],
              ] as Array<[string, string]>)
            : []),
          ...(poll.status !== 'closed'
            ? ([['Closes', poll.timesText.closesAt ?? 'When you close it']] as Array<[string, string]>)
            : []),
          ...(poll.status !== 'closed'
            ? ([
                [
                  'Planned reminder',
                  poll.timesText.remindAt
                    ? `${poll.timesText.remindAt}${poll.reminders.scheduledSentAt ? ' (sent)' : ''}`
                    : 'None',
                ],
              ] as Array<[string, string]>)
            : []),
          ...(poll.status !== 'draft' && poll.status !== 'scheduled'
            ? ([['Invited when it opened', plural(poll.electorateSize)]] as Array<[string, string]>)
            : []),
        ]}
      />
      {poll.status === 'draft' && (
        <p className="cophub-actions">
          <Link to={`${base}/edit`}>Edit this draft</Link>
          <Link to={`${base}/preview`}>Preview as members will see it</Link>
        </p>
      )}
      {poll.status === 'open' && (
        <div className="nhsuk-u-margin-bottom-4">
          {lastReminder && <p>Reminder sent to members who have not answered on {formatDateTime(lastReminder)}.</p>}
          {next ? (
            <p>You can send another reminder from {formatDateTime(next)}.</p>
          ) : (
            <button
              type="button"
              className="nhsuk-button nhsuk-button--secondary"
              onClick={() =>
                void act(
                  () => api.post<RemindResult>(`/polls/${poll.id}/remind`),
                  (result) => (result as RemindResult).message,
                )
              }
            >
              Remind now
            </button>
          )}
          <PlanReminder poll={poll} act={act} />
          <p className="nhsuk-body-s">
            {poll.anonymous
              ? 'Reminders go only to members who have not answered. You are not told who they are or how many.'
              : 'Reminders go only to members who have not answered.'}
          </p>
        </div>
      )}
      <div className="cophub-actions nhsuk-u-margin-bottom-4">
        {poll.status === 'draft' && poll.opensAt && (
          <button type="button" className="nhsuk-button" onClick={() => void ask('schedule')}>
            Schedule the poll
          </button>
        )}
        {(poll.status === 'draft' || poll.status === 'scheduled') && (
          <button
            type="button"
            className={`nhsuk-button${poll.status === 'draft' && poll.opensAt ? ' nhsuk-button--secondary' : ''}`}
            onClick={() => void ask('open')}
          >
            Open the poll now
          </button>
        )}
        {poll.status === 'open' && (
          <button
            type="button"
            className="nhsuk-button nhsuk-button--warning"
            onClick={() => setConfirming({ kind: 'close' })}
          >
            Close the poll now
          </button>
        )}
        {showResults && (
          <>
            <button
              type="button"
              className="nhsuk-button nhsuk-button--secondary"
              onClick={() => void api.download(`/polls/${poll.id}/results.csv`, 'poll-results.csv').catch(onProblem)}
            >
              Download results (CSV)
            </button>
            <Link className="nhsuk-button nhsuk-button--secondary" to={`/polls/${poll.id}/report`}>
              Council report (print or PDF)
            </Link>
          </>
        )}
      </div>
      <p>
        <Link to={`/c/${poll.communitySlug}/polls/new?from=${poll.id}`}>Use this poll as a template</Link>
      </p>
      {confirming?.kind === 'open' && (
        <ConfirmDialog
          title={`Open this poll and email ${plural(confirming.count.emailed)}?`}
          confirmLabel={`Open and email ${plural(confirming.count.emailed)}`}
          busy={busy}
          onCancel={() => setConfirming(null)}
          onConfirm={() =>
            void confirm(() => api.post(`/polls/${poll.id}/open`), 'The poll is open. Members have been invited.')
          }
        >
          <p>
            {plural(confirming.count.members)} {confirming.count.members === 1 ? 'is' : 'are'} in the audience
            {confirming.count.members > confirming.count.emailed
              ? `; ${confirming.count.members - confirming.count.emailed} chose not to get poll emails and will not be emailed.`
              : '.'}{' '}
            The invitations go out through the mail queue over the next few minutes.
          </p>
          <p>Once the poll is open, its questions cannot be changed.</p>
        </ConfirmDialog>
      )}
      {confirming?.kind === 'schedule' && (
        <ConfirmDialog
          title={`Schedule this poll to open on ${poll.timesText.opensAt}?`}
          confirmLabel="Schedule the poll"
          busy={busy}
          onCancel={() => setConfirming(null)}
          onConfirm={() =>
            void confirm(
              () => api.post(`/polls/${poll.id}/schedule`, {}),
              'The poll is scheduled. Members will be invited when it opens.',
            )
          }
        >
          <p>
            When it opens, {plural(confirming.count.emailed)} will be emailed ({plural(confirming.count.members)} are in
            the audience today; it is counted again at that moment).
          </p>
          <p>
            {poll.timesText.closesAt ? `It closes on ${poll.timesText.closesAt}.` : 'It stays open until you close it.'}{' '}
            Once scheduled, its questions cannot be changed.
          </p>
        </ConfirmDialog>
      )}
      {confirming?.kind === 'close' && (
        <ConfirmDialog
          title="Close this poll now?"
          confirmLabel="Close the poll"
          warning
          busy={busy}
          onCancel={() => setConfirming(null)}
          onConfirm={() => void confirm(() => api.post(`/polls/${poll.id}/close`), 'The poll is closed.')}
        >
          <p>Members will no longer be able to answer. Closing cannot be undone.</p>
        </ConfirmDialog>
      )}
    </section>
  );
}

export function PollPage() {
  const { id = '' } = useParams();
  const poll = useAsync(['/polls/*', id], () => api.get<Poll>(`/polls/${id}`));
  const [notice, setNotice] = useState('');
  const [problem, setProblem] = useState<unknown>(null);

  async function act(action: () => Promise<unknown>, message: string | ((result: unknown) => string)) {
    setProblem(null);
    setNotice('');
    try {
      const result = await action();
      setNotice(typeof message === 'string' ? message : message(result));
      await poll.reload();
      return true;
    } catch (error) {
      setProblem(error);
      return false;
    }
  }

  if (poll.error instanceof ApiError && poll.error.body.code === 'not_in_audience') {
    return (
      <>
        <PageHeading>This poll is not open to you</PageHeading>
        <p>
          The co-chairs asked a particular group of members, for example one profession or career stage. You are not in
          that group, so you cannot see or answer this poll.
        </p>
        <p>
          <Link to="/communities">Back to your communities</Link>
        </p>
      </>
    );
  }
  if (poll.error) return <ErrorPanel error={poll.error} />;
  if (!poll.data) return <Loading what="Loading poll" />;
  const p = poll.data;
  const showResults = p.status === 'open' || p.status === 'closed';
  return (
    <>
      <ItemCommunityNav communityId={p.communityId} tab="Polls" />
      <PollIntro poll={p} caption="Poll" />
      <SummaryList
        rows={[
          ...memberRows(p),
          ...(showResults
            ? ([
                [
                  'Responses so far',
                  p.anonymous && p.status === 'open'
                    ? `${p.responses} (what they answered is published when the poll closes)`
                    : String(p.responses),
                ],
              ] as Array<[string, string]>)
            : []),
        ]}
      />
      <Notice>{notice}</Notice>
      {problem ? <ErrorPanel error={problem} /> : null}
      {p.status === 'open' && p.me.inAudience && !p.me.responded && (
        <>
          <h2 className="nhsuk-heading-l">Your answers</h2>
          <AnswerForm
            poll={p}
            onDone={() =>
              act(async () => undefined, 'Thank you. Your answers have been recorded.').then(() => undefined)
            }
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
      {p.me.manages && <ManagePoll poll={p} act={act} onProblem={setProblem} />}
      {showResults && (
        <section aria-labelledby="results-heading">
          <h2 className="nhsuk-heading-l" id="results-heading">
            Results
          </h2>
          <Results key={`${p.status}-${p.responses}`} poll={p} />
        </section>
      )}
      <p>
        <Link to={`/c/${p.communitySlug}/polls`}>All polls in {p.communityName}</Link>
      </p>
    </>
  );
}

/**
 * A co-chair's preview of a poll (usually a draft): the page a member will see, with the same answer
 * form and its checks, but nothing is sent.
 */
export function PollPreviewPage() {
  const { id = '' } = useParams();
  const poll = useAsync(['/polls/*', id], () => api.get<Poll>(`/polls/${id}`));
  const [notice, setNotice] = useState('');
  if (poll.error) return <ErrorPanel error={poll.error} />;
  if (!poll.data) return <Loading what="Loading poll" />;
  const p = poll.data;
  const base = `/c/${p.communitySlug}/polls/${p.id}`;
  return (
    <>
      <div className="nhsuk-warning-callout">
        <h2 className="nhsuk-warning-callout__label">
          <span role="text">
            <span className="nhsuk-u-visually-hidden">Important: </span>
            Preview
          </span>
        </h2>
        <p>
          This is how members will see the poll. You can try the answer form: your answers are checked but not sent.
        </p>
        <p className="cophub-actions">
          {p.status === 'draft' && <Link to={`${base}/edit`}>Edit this draft</Link>}
          <Link to={base}>Back to the poll</Link>
        </p>
      </div>
      <PollIntro poll={p} caption="Preview" />
      <SummaryList rows={memberRows(p)} />
      <Notice>{notice}</Notice>
      <h2 className="nhsuk-heading-l">Your answers</h2>
      <AnswerForm
        poll={p}
        preview
        onDone={async () => setNotice('These answers pass every check. This is a preview, so nothing was sent.')}
      />
    </>
  );
}
