import { useEffect, useRef, useState, type FormEvent, type ReactNode } from 'react';
import { Link } from 'react-router-dom';
import { download, http } from '../../api/http';
import type { ElectoratePreview, Poll, RemindResult } from '../../api/types';
import { Button, ErrorSummary, type FieldError } from '../../components/forms';
import { formatDateTime, PROFESSIONS, REGIONS, STAGES } from '../../components/labels';
import { SummaryList } from '../../components/ui';
import { NO_TIME, resolveTime, TimeInputs, timeErrorField, type TimeValue } from './pollTimes';
import { audienceInput, usePollWrites } from './pollWrites';

const plural = (n: number) => (n === 1 ? '1 member' : `${n} members`);

function audienceText(poll: Poll): string {
  const parts = [
    poll.audience.professions.map((p) => PROFESSIONS[p as keyof typeof PROFESSIONS] ?? p).join(', '),
    poll.audience.careerStages.map((s) => STAGES[s as keyof typeof STAGES] ?? s).join(', '),
    poll.audience.regions.map((r) => REGIONS[r as keyof typeof REGIONS] ?? r).join(', '),
  ].filter(Boolean);
  return parts.length ? parts.join('; ') : 'Every member';
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
  const { schedule } = usePollWrites(poll);
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
    if (await act(() => schedule.mutateAsync({ remindAt: iso }), `A reminder is planned for ${formatDateTime(iso)}.`)) {
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
export function ManagePoll({
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
  const writes = usePollWrites(poll);
  const base = `/c/${poll.communitySlug}/polls/${poll.id}`;
  const showResults = poll.status === 'open' || poll.status === 'closed';

  async function ask(kind: 'open' | 'schedule') {
    onProblem(null);
    try {
      const count = await writes.electorate.mutateAsync(audienceInput(poll.audience));
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
                  () => writes.remind.mutateAsync(),
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
              onClick={() =>
                void download(
                  http.GET('/api/v1/polls/{id}/results.csv', { params: { path: { id: poll.id } }, parseAs: 'blob' }),
                  'poll-results.csv',
                ).catch(onProblem)
              }
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
            void confirm(() => writes.open.mutateAsync(), 'The poll is open. Members have been invited.')
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
              () => writes.schedule.mutateAsync({}),
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
          onConfirm={() => void confirm(() => writes.close.mutateAsync(), 'The poll is closed.')}
        >
          <p>Members will no longer be able to answer. Closing cannot be undone.</p>
        </ConfirmDialog>
      )}
    </section>
  );
}
