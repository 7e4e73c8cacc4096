import { useMutation } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { Link } from 'react-router-dom';
import { http, ok } from '../../api/http';
import { keys, useInvalidate } from '../../api/query';
import type { CommunityEvent, MyRsvp } from '../../api/types';
import {
  apiErrors,
  Button,
  Checkbox,
  ErrorSummary,
  errorFor,
  Textarea,
  TextInput,
  type FieldError,
} from '../../components/forms';
import { Async, ErrorPanel, Notice, Tag, useAsync, useNow } from '../../components/ui';

/**
 * What members and co-chairs do on an event page. Each write refetches the event (counts, the member's
 * reply, status) and its attendees; check-in and attendance change CPD records too.
 */
function useEventWrites(id: string) {
  const invalidate = useInvalidate();
  const path = { params: { path: { id } } };
  const event = () => invalidate(['/events/*', id], ['/events/*/attendees', id]);
  return {
    rsvp: useMutation({
      mutationFn: (body: { status: 'going' | 'not_going'; reminders: boolean }) =>
        ok(http.PUT('/api/v1/events/{id}/rsvp', { ...path, body })),
      onSuccess: event,
    }),
    checkIn: useMutation({
      mutationFn: (code: string) => ok(http.POST('/api/v1/events/{id}/check-in', { ...path, body: { code } })),
      onSuccess: () => invalidate(['/events/*', id], keys.cpd),
    }),
    attendance: useMutation({
      mutationFn: (body: { userIds: string[]; attended: boolean }) =>
        ok(http.POST('/api/v1/events/{id}/attendance', { ...path, body })),
      onSuccess: () => invalidate(['/events/*/attendees', id], keys.cpd),
    }),
    cancel: useMutation({
      mutationFn: (body: { message?: string }) => ok(http.POST('/api/v1/events/{id}/cancel', { ...path, body })),
      onSuccess: event,
    }),
  };
}

function RsvpState({ rsvp }: { rsvp?: MyRsvp }) {
  if (!rsvp?.status) return <p>You have not replied yet.</p>;
  if (rsvp.status === 'going') {
    return (
      <p>
        <Tag colour="green">Going</Tag> You have a place.
      </p>
    );
  }
  if (rsvp.status === 'waitlisted') {
    return (
      <p>
        <Tag colour="yellow">Waiting list</Tag> You are number {rsvp.waitlistPlace} on the waiting list. We will email
        you if a place comes up.
      </p>
    );
  }
  return (
    <p>
      <Tag colour="grey">Not going</Tag> You said you are not going.
    </p>
  );
}

export function RsvpPanel({ event }: { event: CommunityEvent }) {
  const { rsvp } = useEventWrites(event.id);
  const [reminders, setReminders] = useState(event.myRsvp?.reminders ?? true);
  const [notice, setNotice] = useState('');
  const [problem, setProblem] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const now = useNow();
  const full = event.capacity !== null && event.goingCount >= event.capacity;
  const started = new Date(event.startsAt).getTime() <= now;
  const closed = event.rsvpDeadline !== null && new Date(event.rsvpDeadline).getTime() <= now;
  const status = event.myRsvp?.status ?? null;

  async function respond(next: 'going' | 'not_going') {
    setBusy(true);
    setProblem(null);
    setNotice('');
    try {
      const result = await rsvp.mutateAsync({ status: next, reminders });
      setNotice(
        result.status === 'going'
          ? 'You are going. We have saved your place.'
          : result.status === 'waitlisted'
            ? `The event is full. You are number ${result.waitlistPlace} on the waiting list.`
            : 'You have said you are not going.',
      );
    } catch (error) {
      setProblem(error);
    } finally {
      setBusy(false);
    }
  }

  if (event.status === 'cancelled') return null;
  return (
    <section aria-labelledby="rsvp-heading" className="nhsuk-u-margin-bottom-6">
      <h2 className="nhsuk-heading-m" id="rsvp-heading">
        Your reply
      </h2>
      <RsvpState rsvp={event.myRsvp} />
      <Notice>{notice}</Notice>
      {problem ? <ErrorPanel error={problem} /> : null}
      {started || closed ? (
        <p>{started ? 'This event has started, so replies are closed.' : 'The deadline for replies has passed.'}</p>
      ) : (
        <>
          <div className="nhsuk-form-group">
            <div className="nhsuk-checkboxes">
              <Checkbox
                id="reminders"
                label="Email me reminders before the event"
                checked={reminders}
                onChecked={setReminders}
              />
            </div>
          </div>
          <div className="cophub-actions">
            {status !== 'going' && status !== 'waitlisted' && (
              <Button type="button" busy={busy} onClick={() => void respond('going')}>
                {full ? 'Join the waiting list' : "I'm going"}
              </Button>
            )}
            {(status === 'going' || status === 'waitlisted') && (
              <Button type="button" busy={busy} onClick={() => void respond('going')} variant="secondary">
                Save reminder choice
              </Button>
            )}
            {status !== 'not_going' && (
              <Button type="button" variant="secondary" busy={busy} onClick={() => void respond('not_going')}>
                {status === 'going'
                  ? 'Give up my place'
                  : status === 'waitlisted'
                    ? 'Leave the waiting list'
                    : "I can't go"}
              </Button>
            )}
          </div>
        </>
      )}
    </section>
  );
}

export function CheckInForm({ event }: { event: CommunityEvent }) {
  const { checkIn } = useEventWrites(event.id);
  const [code, setCode] = useState('');
  const [errors, setErrors] = useState<FieldError[]>([]);
  const [notice, setNotice] = useState('');
  async function submit(e: FormEvent) {
    e.preventDefault();
    if (code.trim().length < 4) {
      setErrors([{ field: 'checkInCode', message: 'Enter the check-in code shown at the event' }]);
      return;
    }
    setErrors([]);
    try {
      await checkIn.mutateAsync(code.trim().toUpperCase());
      setNotice('You are checked in. This event is now on your CPD record.');
    } catch (error) {
      setErrors(apiErrors(error, { code: 'checkInCode' }, 'checkInCode'));
    }
  }
  return (
    <form onSubmit={submit} noValidate aria-labelledby="check-in-heading">
      <h2 className="nhsuk-heading-m" id="check-in-heading">
        Check in
      </h2>
      <ErrorSummary errors={errors} />
      <Notice>{notice}</Notice>
      <TextInput
        id="checkInCode"
        label="Check-in code"
        hint="The co-chair shares it during the event"
        width={10}
        autoComplete="off"
        value={code}
        error={errorFor(errors, 'checkInCode')}
        onValue={setCode}
      />
      <Button variant="secondary">Check in</Button>
    </form>
  );
}

export function ManagePanel({ event }: { event: CommunityEvent }) {
  const attendees = useAsync(['/events/*/attendees', event.id, event.goingCount], () =>
    ok(http.GET('/api/v1/events/{id}/attendees', { params: { path: { id: event.id } } })),
  );
  const writes = useEventWrites(event.id);
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [confirmCancel, setConfirmCancel] = useState(false);
  const [cancelMessage, setCancelMessage] = useState('');
  const [notice, setNotice] = useState('');
  const [problem, setProblem] = useState<unknown>(null);

  async function markAttended() {
    setProblem(null);
    try {
      const { changed } = await writes.attendance.mutateAsync({ userIds: [...selected], attended: true });
      setNotice(`Attendance recorded for ${changed} ${changed === 1 ? 'person' : 'people'}.`);
      setSelected(new Set());
    } catch (error) {
      setProblem(error);
    }
  }

  async function cancel() {
    try {
      const message = cancelMessage.trim();
      await writes.cancel.mutateAsync(message ? { message } : {});
      setNotice(
        message
          ? 'The event has been cancelled and everyone who replied has been emailed your message.'
          : 'The event has been cancelled and everyone who replied has been told.',
      );
      setConfirmCancel(false);
    } catch (error) {
      setProblem(error);
    }
  }

  const attendedIds = new Set(attendees.data?.attended.map((a) => a.userId) ?? []);
  return (
    <section aria-labelledby="manage-heading" className="nhsuk-u-margin-top-6">
      <h2 className="nhsuk-heading-m" id="manage-heading">
        Manage this event
      </h2>
      <Notice>{notice}</Notice>
      {problem ? <ErrorPanel error={problem} /> : null}
      {event.checkInCode && (
        <p>
          Check-in code: <strong className="nhsuk-u-font-size-32">{event.checkInCode}</strong>
        </p>
      )}
      {event.status !== 'cancelled' && (
        <div className="cophub-actions nhsuk-u-margin-bottom-4">
          <Link className="nhsuk-button nhsuk-button--secondary" to={`/events/${event.id}/edit`}>
            Edit event
          </Link>
          {confirmCancel ? (
            <div className="nhsuk-warning-callout" role="alertdialog" aria-labelledby="cancel-title">
              <h3 className="nhsuk-warning-callout__label" id="cancel-title">
                <span role="text">
                  <span className="nhsuk-u-visually-hidden">Important: </span>
                  Cancel this event?
                </span>
              </h3>
              <p>
                Everyone going or on the waiting list ({event.goingCount + event.waitlistCount}{' '}
                {event.goingCount + event.waitlistCount === 1 ? 'person' : 'people'}) will be emailed. This cannot be
                undone.
              </p>
              <Textarea
                id="cancel-message"
                label="Message to attendees (optional)"
                hint="Included in the cancellation email, for example why it is cancelled or what happens instead"
                rows={3}
                value={cancelMessage}
                onValue={setCancelMessage}
              />
              <div className="cophub-actions">
                <button type="button" className="nhsuk-button nhsuk-button--warning" onClick={() => void cancel()}>
                  Yes, cancel the event
                </button>
                <button
                  type="button"
                  className="nhsuk-button nhsuk-button--secondary"
                  onClick={() => setConfirmCancel(false)}
                >
                  No, keep it
                </button>
              </div>
            </div>
          ) : (
            <button type="button" className="nhsuk-button nhsuk-button--warning" onClick={() => setConfirmCancel(true)}>
              Cancel event
            </button>
          )}
        </div>
      )}
      <Async state={attendees} what="Loading attendees">
        {(data) => (
          <>
            <h3 className="nhsuk-heading-s">Going ({data.going.length})</h3>
            {data.going.length === 0 ? (
              <p>No one yet.</p>
            ) : (
              <fieldset className="nhsuk-fieldset">
                <legend className="nhsuk-fieldset__legend nhsuk-fieldset__legend--s">Who attended?</legend>
                <div className="nhsuk-checkboxes">
                  {data.going.map((a) => (
                    <Checkbox
                      key={a.userId}
                      id={`attended-${a.userId}`}
                      label={
                        <>
                          {a.displayName}
                          {attendedIds.has(a.userId) && (
                            <>
                              {' '}
                              <Tag colour="green">Attended</Tag>
                            </>
                          )}
                        </>
                      }
                      checked={selected.has(a.userId)}
                      onChecked={(checked) => {
                        const next = new Set(selected);
                        if (checked) next.add(a.userId);
                        else next.delete(a.userId);
                        setSelected(next);
                      }}
                    />
                  ))}
                </div>
                <button
                  type="button"
                  className="nhsuk-button nhsuk-button--secondary nhsuk-u-margin-top-4"
                  disabled={selected.size === 0}
                  onClick={() => void markAttended()}
                >
                  Mark as attended
                </button>
              </fieldset>
            )}
            <h3 className="nhsuk-heading-s">Waiting list ({data.waitlist.length})</h3>
            {data.waitlist.length === 0 ? (
              <p>No one is waiting.</p>
            ) : (
              <ol className="nhsuk-list nhsuk-list--number">
                {data.waitlist.map((a) => (
                  <li key={a.userId}>{a.displayName}</li>
                ))}
              </ol>
            )}
          </>
        )}
      </Async>
    </section>
  );
}
