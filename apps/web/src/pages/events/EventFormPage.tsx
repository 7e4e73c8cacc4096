import { useEffect, useState, type FormEvent } from 'react';
import { useNavigate, useParams } from 'react-router-dom';
import { api, seg } from '../../api/client';
import type {
  CareerStage,
  CommunityEvent,
  EventInput,
  EventLocationKind,
  EventVisibility,
  Profession,
} from '../../api/types';
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
import { LOCATIONS, localParts, londonInstant, PROFESSIONS, STAGES } from '../../components/labels';
import { Breadcrumbs, ErrorPanel, Loading, PageHeading } from '../../components/ui';

interface Values {
  title: string;
  description: string;
  date: string;
  startTime: string;
  endTime: string;
  locationKind: EventLocationKind | '';
  joinUrl: string;
  venue: string;
  capacity: string;
  visibility: EventVisibility;
  cpdHours: string;
  /** Chosen reminder offsets, minutes before the start. */
  reminders: number[];
  /** Offsets other than the presets that the event had (or the API's default has): offered as boxes too. */
  extraReminders: number[];
  /** A further reminder time, in `customUnit`s before the start (empty: none). */
  customAmount: string;
  customUnit: ReminderUnit;
  audienceProfessions: Profession[];
  audienceStages: CareerStage[];
  /** Replies close at this UK date and time (both empty: no deadline). */
  deadlineDate: string;
  deadlineTime: string;
}

type ReminderUnit = 'minutes' | 'hours' | 'days';

const UNIT_MINUTES: Record<ReminderUnit, number> = { minutes: 1, hours: 60, days: 1440 };

/** Reminder times offered as checkboxes, in minutes before the start. */
const PRESET_REMINDERS: Array<[number, string]> = [
  [10080, '1 week before'],
  [1440, '1 day before'],
  [120, '2 hours before'],
  [30, '30 minutes before'],
];

const MAX_REMINDERS = 5;

/** The API's default for a new event: a day and an hour before. */
const DEFAULT_REMINDERS = [1440, 60];

/** "3 days before", "90 minutes before": how an offset is written back to the co-chair. */
export function reminderText(minutes: number): string {
  const preset = PRESET_REMINDERS.find(([m]) => m === minutes);
  if (preset) return preset[1];
  const [amount, unit] =
    minutes % 1440 === 0 ? [minutes / 1440, 'day'] : minutes % 60 === 0 ? [minutes / 60, 'hour'] : [minutes, 'minute'];
  return `${amount} ${unit}${amount === 1 ? '' : 's'} before`;
}

const EMPTY: Values = {
  title: '',
  description: '',
  date: '',
  startTime: '',
  endTime: '',
  locationKind: '',
  joinUrl: '',
  venue: '',
  capacity: '',
  visibility: 'members',
  cpdHours: '',
  reminders: DEFAULT_REMINDERS,
  extraReminders: DEFAULT_REMINDERS.filter((m) => !PRESET_REMINDERS.some(([p]) => p === m)),
  customAmount: '',
  customUnit: 'hours',
  audienceProfessions: [],
  audienceStages: [],
  deadlineDate: '',
  deadlineTime: '',
};

const FIELD_IDS = {
  title: 'title',
  description: 'description',
  startsAt: 'date',
  endsAt: 'endTime',
  locationKind: 'locationKind',
  joinUrl: 'joinUrl',
  venue: 'venue',
  capacity: 'capacity',
  visibility: 'visibility',
  cpdHours: 'cpdHours',
  reminderOffsets: 'reminder-10080',
  audienceProfessions: 'audienceProfessions',
  audienceStages: 'audienceStages',
  rsvpDeadline: 'deadlineDate',
};

function fromEvent(event: CommunityEvent): Values {
  const start = localParts(event.startsAtLocal);
  const end = localParts(event.endsAtLocal);
  return {
    title: event.title,
    description: event.description,
    date: start.date,
    startTime: start.time,
    endTime: end.time,
    locationKind: event.locationKind,
    joinUrl: event.joinUrl ?? '',
    venue: event.venue ?? '',
    capacity: event.capacity === null ? '' : String(event.capacity),
    visibility: event.visibility,
    cpdHours: event.cpdHours ? String(event.cpdHours) : '',
    reminders: event.reminderOffsets,
    extraReminders: event.reminderOffsets.filter((m) => !PRESET_REMINDERS.some(([p]) => p === m)),
    customAmount: '',
    customUnit: 'hours',
    audienceProfessions: event.audienceProfessions as Profession[],
    audienceStages: event.audienceStages as CareerStage[],
    ...deadlineParts(event.rsvpDeadline),
  };
}

/** A stored deadline as the UK date and time the form shows. */
function deadlineParts(iso: string | null): { deadlineDate: string; deadlineTime: string } {
  if (!iso) return { deadlineDate: '', deadlineTime: '' };
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-GB', {
      timeZone: 'Europe/London',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    })
      .formatToParts(new Date(iso))
      .map((p) => [p.type, p.value]),
  );
  return { deadlineDate: `${parts.year}-${parts.month}-${parts.day}`, deadlineTime: `${parts.hour}:${parts.minute}` };
}

/** The custom reminder in minutes, null when none was entered, NaN when it is not a whole number. */
function customMinutes(v: Values): number | null {
  if (!v.customAmount.trim()) return null;
  const amount = Number(v.customAmount);
  return Number.isInteger(amount) ? amount * UNIT_MINUTES[v.customUnit] : NaN;
}

function reminderOffsets(v: Values): number[] {
  const custom = customMinutes(v);
  const all = custom === null || Number.isNaN(custom) ? v.reminders : [...v.reminders, custom];
  return [...new Set(all)].sort((a, b) => b - a);
}

function validate(v: Values): FieldError[] {
  const errors: FieldError[] = [];
  if (v.title.trim().length < 3) errors.push({ field: 'title', message: 'Enter a title of at least 3 characters' });
  if (!/^\d{4}-\d{2}-\d{2}$/.test(v.date)) errors.push({ field: 'date', message: 'Enter the date of the event' });
  if (!/^\d{2}:\d{2}$/.test(v.startTime)) errors.push({ field: 'startTime', message: 'Enter the start time' });
  if (!/^\d{2}:\d{2}$/.test(v.endTime)) errors.push({ field: 'endTime', message: 'Enter the end time' });
  else if (v.startTime && v.endTime <= v.startTime) {
    errors.push({ field: 'endTime', message: 'The end time must be after the start time' });
  }
  if (!v.locationKind)
    errors.push({ field: 'locationKind', message: 'Select whether the event is online or in person' });
  if (v.joinUrl && !/^https?:\/\/\S+$/.test(v.joinUrl)) {
    errors.push({ field: 'joinUrl', message: 'Enter a join link starting with https://' });
  }
  if (v.capacity && !(Number.isInteger(Number(v.capacity)) && Number(v.capacity) >= 1)) {
    errors.push({ field: 'capacity', message: 'Places must be a whole number, 1 or more' });
  }
  if (v.cpdHours && !(Number(v.cpdHours) >= 0 && Number(v.cpdHours) <= 100)) {
    errors.push({ field: 'cpdHours', message: 'CPD hours must be a number from 0 to 100' });
  }
  if (
    (v.deadlineDate || v.deadlineTime) &&
    !(/^\d{4}-\d{2}-\d{2}$/.test(v.deadlineDate) && /^\d{2}:\d{2}$/.test(v.deadlineTime))
  ) {
    errors.push({ field: 'deadlineDate', message: 'Enter both the date and the time replies close, or neither' });
  }
  const custom = customMinutes(v);
  if (custom !== null && !(custom >= 5 && custom <= 30 * 1440)) {
    errors.push({
      field: 'customAmount',
      message: 'Another reminder time must be a whole number, from 5 minutes to 30 days before',
    });
  } else if (reminderOffsets(v).length > MAX_REMINDERS) {
    errors.push({ field: 'reminder-10080', message: `Choose at most ${MAX_REMINDERS} reminder times` });
  }
  return errors;
}

function toInput(v: Values): EventInput {
  return {
    title: v.title.trim(),
    description: v.description,
    startsAt: londonInstant(v.date, v.startTime),
    endsAt: londonInstant(v.date, v.endTime),
    locationKind: v.locationKind as EventLocationKind,
    joinUrl: v.joinUrl.trim() || null,
    venue: v.venue.trim() || null,
    capacity: v.capacity ? Number(v.capacity) : null,
    visibility: v.visibility,
    cpdHours: v.cpdHours ? Number(v.cpdHours) : 0,
    reminderOffsets: reminderOffsets(v),
    audienceProfessions: v.audienceProfessions,
    audienceStages: v.audienceStages,
    rsvpDeadline: v.deadlineDate && v.deadlineTime ? londonInstant(v.deadlineDate, v.deadlineTime) : null,
  };
}

/** Create (`/c/:slug/events/new`) or edit (`/events/:id/edit`) an event; co-chairs only. */
export function EventFormPage() {
  const { slug, id } = useParams();
  const navigate = useNavigate();
  const [values, setValues] = useState<Values | null>(id ? null : EMPTY);
  const [loadError, setLoadError] = useState<unknown>(null);
  const [errors, setErrors] = useState<FieldError[]>([]);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    if (!id) return;
    api.get<CommunityEvent>(`/events/${id}`).then((event) => setValues(fromEvent(event)), setLoadError);
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
      const saved = id
        ? await api.patch<CommunityEvent>(`/events/${id}`, toInput(values))
        : await api.post<CommunityEvent>(`/communities/${seg(slug ?? '')}/events`, toInput(values));
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
