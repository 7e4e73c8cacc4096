import { useMutation } from '@tanstack/react-query';
import { useEffect, useState, type FormEvent } from 'react';
import { useNavigate, useParams } from 'react-router-dom';
import { http, ok } from '../../api/http';
import { keys, useInvalidate } from '../../api/query';
import type { EventInput, EventLocationKind, EventVisibility } from '../../api/types';
import {
  apiErrors,
  Button,
  Checkbox,
  ErrorSummary,
  errorFor,
  Radios,
  Select,
  Textarea,
  TextInput,
  type FieldError,
} from '../../components/forms';
import { CheckboxGroup } from '../../components/CheckboxGroup';
import { LOCATIONS, PROFESSIONS, STAGES } from '../../components/labels';
import { Breadcrumbs, ErrorPanel, Loading, PageHeading } from '../../components/ui';
import {
  EMPTY,
  FIELD_IDS,
  fromEvent,
  MAX_REMINDERS,
  PRESET_REMINDERS,
  reminderText,
  toInput,
  validate,
  type ReminderUnit,
  type Values,
} from './eventForm';

/** Create (`/c/:slug/events/new`) or edit (`/events/:id/edit`) an event; co-chairs only. */
export function EventFormPage() {
  const { slug, id } = useParams();
  const navigate = useNavigate();
  const [values, setValues] = useState<Values | null>(id ? null : EMPTY);
  const [loadError, setLoadError] = useState<unknown>(null);
  const [errors, setErrors] = useState<FieldError[]>([]);
  const [busy, setBusy] = useState(false);

  const invalidate = useInvalidate();
  const save = useMutation({
    mutationFn: (input: EventInput) =>
      id
        ? ok(http.PATCH('/api/v1/events/{id}', { params: { path: { id } }, body: input }))
        : ok(http.POST('/api/v1/communities/{slug}/events', { params: { path: { slug: slug ?? '' } }, body: input })),
    // The event, and the community's calendars and lists that show it.
    onSuccess: (saved) =>
      invalidate(
        ['/events/*', saved.id],
        ...(slug ? [['/communities/*/events/calendar', slug], keys.community(slug)] : []),
      ),
  });

  useEffect(() => {
    if (!id) return;
    ok(http.GET('/api/v1/events/{id}', { params: { path: { id } } })).then(
      (event) => setValues(fromEvent(event)),
      setLoadError,
    );
  }, [id]);

  if (loadError) return <ErrorPanel error={loadError} />;
  if (!values) return <Loading what="Loading event" />;
  const set = (patch: Partial<Values>) => setValues({ ...values, ...patch });

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (!values) return;
    const found = validate(values);
    setErrors(found);
    if (found.length) return;
    setBusy(true);
    try {
      const saved = await save.mutateAsync(toInput(values));
      navigate(`/events/${saved.id}`);
    } catch (error) {
      setErrors(apiErrors(error, FIELD_IDS, 'title'));
      setBusy(false);
    }
  }

  const heading = id ? 'Edit event' : 'Create an event';
  return (
    <div className="nhsuk-grid-row">
      <div className="nhsuk-grid-column-two-thirds">
        {slug && (
          <Breadcrumbs
            items={[
              { to: `/c/${slug}`, label: 'Community' },
              { to: `/c/${slug}/events`, label: 'Events' },
            ]}
          />
        )}
        <ErrorSummary errors={errors} />
        <PageHeading>{heading}</PageHeading>
        <form onSubmit={submit} noValidate>
          <TextInput
            id="title"
            label="Title"
            value={values.title}
            error={errorFor(errors, 'title')}
            onValue={(title) => set({ title })}
          />
          <Textarea
            id="description"
            label="Description (optional)"
            hint="You can use Markdown: **bold**, lists and links"
            rows={6}
            value={values.description}
            error={errorFor(errors, 'description')}
            onValue={(description) => set({ description })}
          />
          <TextInput
            id="date"
            type="date"
            label="Date"
            hint="UK time"
            value={values.date}
            error={errorFor(errors, 'date')}
            onValue={(date) => set({ date })}
          />
          <div className="cophub-actions">
            <TextInput
              id="startTime"
              type="time"
              label="Start time"
              value={values.startTime}
              error={errorFor(errors, 'startTime')}
              onValue={(startTime) => set({ startTime })}
            />
            <TextInput
              id="endTime"
              type="time"
              label="End time"
              value={values.endTime}
              error={errorFor(errors, 'endTime')}
              onValue={(endTime) => set({ endTime })}
            />
          </div>
          <Radios
            name="locationKind"
            legend="Where is it?"
            options={LOCATIONS}
            value={values.locationKind}
            error={errorFor(errors, 'locationKind')}
            onValue={(v) => set({ locationKind: v as EventLocationKind })}
          />
          <TextInput
            id="joinUrl"
            type="url"
            label="Join link (optional)"
            hint="Only members who are going can see it"
            value={values.joinUrl}
            error={errorFor(errors, 'joinUrl')}
            onValue={(joinUrl) => set({ joinUrl })}
          />
          <TextInput
            id="venue"
            label="Venue (optional)"
            value={values.venue}
            error={errorFor(errors, 'venue')}
            onValue={(venue) => set({ venue })}
          />
          <TextInput
            id="capacity"
            inputMode="numeric"
            label="Number of places (optional)"
            hint="Leave empty for no limit. When it is full, members can join a waiting list."
            width={4}
            value={values.capacity}
            error={errorFor(errors, 'capacity')}
            onValue={(capacity) => set({ capacity })}
          />
          <TextInput
            id="cpdHours"
            inputMode="decimal"
            label="CPD hours (optional)"
            width={4}
            value={values.cpdHours}
            error={errorFor(errors, 'cpdHours')}
            onValue={(cpdHours) => set({ cpdHours })}
          />
          <div className="cophub-actions">
            <TextInput
              id="deadlineDate"
              type="date"
              label="Replies close on (optional)"
              hint="UK time"
              value={values.deadlineDate}
              error={errorFor(errors, 'deadlineDate')}
              onValue={(deadlineDate) => set({ deadlineDate })}
            />
            <TextInput
              id="deadlineTime"
              type="time"
              label="Time replies close"
              value={values.deadlineTime}
              onValue={(deadlineTime) => set({ deadlineTime })}
            />
          </div>
          <CheckboxGroup
            id="audienceProfessions"
            legend="Which professions is it for? (optional)"
            hint="Shown on the event; anyone in the community can still reply"
            options={PROFESSIONS}
            value={values.audienceProfessions}
            error={errorFor(errors, 'audienceProfessions')}
            onValue={(audienceProfessions) => set({ audienceProfessions })}
          />
          <CheckboxGroup
            id="audienceStages"
            legend="Which career stages is it for? (optional)"
            options={STAGES}
            value={values.audienceStages}
            error={errorFor(errors, 'audienceStages')}
            onValue={(audienceStages) => set({ audienceStages })}
          />
          <ReminderFields values={values} errors={errors} set={set} />
          <Radios
            name="visibility"
            legend="Who can see it?"
            options={{ members: 'Community members only', public: 'Anyone, on the public calendar' }}
            value={values.visibility}
            error={errorFor(errors, 'visibility')}
            onValue={(v) => set({ visibility: v as EventVisibility })}
          />
          <Button busy={busy}>{id ? 'Save changes' : 'Create event'}</Button>
        </form>
      </div>
    </div>
  );
}

/**
 * Reminder times: the usual ones as checkboxes, and one more of the co-chair's choosing. Reminders go
 * by email (or the bell) to everyone going, per their own notification settings.
 */
function ReminderFields({
  values,
  errors,
  set,
}: {
  values: Values;
  errors: FieldError[];
  set: (patch: Partial<Values>) => void;
}) {
  const toggle = (minutes: number, on: boolean) =>
    set({ reminders: on ? [...values.reminders, minutes] : values.reminders.filter((m) => m !== minutes) });
  const listError = errorFor(errors, 'reminder-10080');
  const customError = errorFor(errors, 'customAmount');
  return (
    <div className={`nhsuk-form-group${listError || customError ? ' nhsuk-form-group--error' : ''}`}>
      <fieldset className="nhsuk-fieldset" aria-describedby="reminders-hint">
        <legend className="nhsuk-fieldset__legend nhsuk-fieldset__legend--s">Reminders</legend>
        <div className="nhsuk-hint" id="reminders-hint">
          When to remind everyone who is going (UK time). Select all that apply, up to {MAX_REMINDERS}.
        </div>
        {listError && (
          <span className="nhsuk-error-message" id="reminders-error">
            <span className="nhsuk-u-visually-hidden">Error:</span> {listError}
          </span>
        )}
        <div className="nhsuk-checkboxes">
          {[...PRESET_REMINDERS.map(([m]) => m), ...values.extraReminders]
            .sort((a, b) => b - a)
            .map((minutes) => (
              <Checkbox
                key={minutes}
                id={`reminder-${minutes}`}
                label={reminderText(minutes)}
                checked={values.reminders.includes(minutes)}
                onChecked={(on) => toggle(minutes, on)}
              />
            ))}
        </div>
      </fieldset>
      <div className="cophub-actions nhsuk-u-margin-top-3">
        <TextInput
          id="customAmount"
          inputMode="numeric"
          label="Another reminder (optional)"
          hint="A number, then choose minutes, hours or days before"
          width={3}
          value={values.customAmount}
          error={customError}
          onValue={(customAmount) => set({ customAmount })}
        />
        <Select
          id="customUnit"
          label="Before the start, in"
          options={{ minutes: 'minutes', hours: 'hours', days: 'days' }}
          value={values.customUnit}
          onValue={(unit) => set({ customUnit: unit as ReminderUnit })}
        />
      </div>
    </div>
  );
}
