import { useState, type FormEvent, type ReactNode } from 'react';
import { Link } from 'react-router-dom';
import { download, file, http, ok } from '../../api/http';
import { keys } from '../../api/query';
import type { CpdActivityKind, CpdEntry, CpdRecord } from '../../api/types';
import {
  apiErrors,
  Button,
  ErrorSummary,
  errorFor,
  Radios,
  Textarea,
  TextInput,
  type FieldError,
} from '../../components/forms';
import { formatDate } from '../../components/labels';
import { Async, ErrorPanel, Notice, PageHeading, SummaryList, useAsync } from '../../components/ui';
import { useCpdWrites } from './cpdWrites';

const KIND_LABELS: Record<CpdEntry['kind'], string> = {
  event: 'CoP event',
  course: 'Course or training',
  reading: 'Reading',
  supervision: 'Supervision',
  other: 'Other',
};

const ACTIVITY_KINDS: Record<CpdActivityKind, string> = {
  course: KIND_LABELS.course,
  reading: KIND_LABELS.reading,
  supervision: KIND_LABELS.supervision,
  other: KIND_LABELS.other,
};

const REFLECTION_FIELDS = {
  learningOutcomes: 'learningOutcomes',
  reflection: 'reflection',
  evidenceUrl: 'evidenceUrl',
};

/** The UK calendar day today, YYYY-MM-DD (what the API compares a date with). */
function ukToday(): string {
  return new Date().toLocaleDateString('en-CA', { timeZone: 'Europe/London' });
}

function checkEvidence(url: string, found: FieldError[], field: string) {
  if (url.trim() && !/^https?:\/\/\S+$/i.test(url.trim())) {
    found.push({ field, message: 'Enter the evidence link as a web address starting https://' });
  }
}

interface ReflectionValues {
  learningOutcomes: string;
  reflection: string;
  evidenceUrl: string;
}

/** The reflection HCPC and BABCP audits ask for: what I learned, how it changes my practice, evidence. */
function ReflectionFields({
  prefix,
  values,
  errors,
  onChange,
}: {
  prefix: string;
  values: ReflectionValues;
  errors: FieldError[];
  onChange: (values: ReflectionValues) => void;
}) {
  return (
    <>
      <Textarea
        id={`${prefix}learningOutcomes`}
        label="What I learned (learning outcomes)"
        value={values.learningOutcomes}
        error={errorFor(errors, `${prefix}learningOutcomes`)}
        rows={3}
        onValue={(learningOutcomes) => onChange({ ...values, learningOutcomes })}
      />
      <Textarea
        id={`${prefix}reflection`}
        label="How it changes my practice (reflection)"
        value={values.reflection}
        error={errorFor(errors, `${prefix}reflection`)}
        rows={4}
        onValue={(reflection) => onChange({ ...values, reflection })}
      />
      <TextInput
        id={`${prefix}evidenceUrl`}
        label="Evidence link (optional)"
        hint="A web address for a certificate, notes or a portfolio entry"
        type="url"
        value={values.evidenceUrl}
        error={errorFor(errors, `${prefix}evidenceUrl`)}
        onValue={(evidenceUrl) => onChange({ ...values, evidenceUrl })}
      />
    </>
  );
}

function prefixed(prefix: string): Record<string, string> {
  return Object.fromEntries(Object.entries(REFLECTION_FIELDS).map(([k, v]) => [k, `${prefix}${v}`]));
}

function ReflectionForm({ entry, onDone }: { entry: CpdEntry; onDone: (message: string) => void }) {
  const writes = useCpdWrites();
  const prefix = `r-${entry.id}-`;
  const [values, setValues] = useState<ReflectionValues>({
    learningOutcomes: entry.learningOutcomes,
    reflection: entry.reflection,
    evidenceUrl: entry.evidenceUrl ?? '',
  });
  const [errors, setErrors] = useState<FieldError[]>([]);
  const [busy, setBusy] = useState(false);

  async function submit(event: FormEvent) {
    event.preventDefault();
    const found: FieldError[] = [];
    checkEvidence(values.evidenceUrl, found, `${prefix}evidenceUrl`);
    setErrors(found);
    if (found.length) return;
    setBusy(true);
    const body = { ...values, evidenceUrl: values.evidenceUrl.trim() || null };
    try {
      await writes.reflect.mutateAsync({ entry, body });
      onDone(`Your reflection on ${entry.title} has been saved.`);
    } catch (error) {
      setErrors(apiErrors(error, prefixed(prefix), `${prefix}learningOutcomes`));
    } finally {
      setBusy(false);
    }
  }

  return (
    <form onSubmit={submit} noValidate aria-label={`Reflection on ${entry.title}`}>
      <ErrorSummary errors={errors} />
      <ReflectionFields prefix={prefix} values={values} errors={errors} onChange={setValues} />
      <div className="cophub-actions">
        <Button busy={busy}>Save reflection</Button>
        <button type="button" className="nhsuk-button nhsuk-button--secondary" onClick={() => onDone('')}>
          Cancel
        </button>
      </div>
    </form>
  );
}

function EntryCard({ entry, onNotice }: { entry: CpdEntry; onNotice: (message: string) => void }) {
  const writes = useCpdWrites();
  const [editing, setEditing] = useState(false);
  const [problem, setProblem] = useState<unknown>(null);
  const reflected = Boolean(entry.learningOutcomes || entry.reflection || entry.evidenceUrl);

  async function remove() {
    if (!window.confirm(`Remove "${entry.title}" from your CPD record?`)) return;
    try {
      await writes.remove.mutateAsync(entry.id);
      onNotice(`${entry.title} has been removed from your record.`);
    } catch (error) {
      setProblem(error);
    }
  }

  return (
    <li className="nhsuk-card cophub-cpd-entry">
      <div className="nhsuk-card__content">
        <h3 className="nhsuk-card__heading nhsuk-heading-s">
          {entry.eventId ? <Link to={`/events/${entry.eventId}`}>{entry.title}</Link> : entry.title}
        </h3>
        <p className="nhsuk-body-s">
          {formatDate(entry.date)} · {KIND_LABELS[entry.kind]} · {entry.cpdHours}{' '}
          {entry.cpdHours === 1 ? 'hour' : 'hours'}
          {entry.communityName ? ` · ${entry.communityName}` : ''}
        </p>
        {problem ? <ErrorPanel error={problem} /> : null}
        {editing ? (
          <ReflectionForm
            entry={entry}
            onDone={(message) => {
              setEditing(false);
              if (message) onNotice(message);
            }}
          />
        ) : (
          <>
            {reflected ? (
              <SummaryList
                rows={[
                  ['What I learned', entry.learningOutcomes || 'Not written yet'],
                  ['How it changes my practice', entry.reflection || 'Not written yet'],
                  ...(entry.evidenceUrl
                    ? ([
                        [
                          'Evidence',
                          <a href={entry.evidenceUrl} rel="noopener noreferrer nofollow" target="_blank" key="e">
                            {entry.evidenceUrl}
                            <span className="nhsuk-u-visually-hidden"> (opens in a new tab)</span>
                          </a>,
                        ],
                      ] as Array<[string, ReactNode]>)
                    : []),
                ]}
              />
            ) : (
              <p>No reflection yet.</p>
            )}
            <div className="cophub-actions">
              <button type="button" className="nhsuk-button nhsuk-button--secondary" onClick={() => setEditing(true)}>
                {reflected ? 'Edit reflection' : 'Add a reflection'}
                <span className="nhsuk-u-visually-hidden"> on {entry.title}</span>
              </button>
              {entry.source === 'own' ? (
                <button type="button" className="nhsuk-button nhsuk-button--warning" onClick={() => void remove()}>
                  Remove<span className="nhsuk-u-visually-hidden"> {entry.title}</span>
                </button>
              ) : null}
            </div>
          </>
        )}
      </div>
    </li>
  );
}

const EMPTY_ACTIVITY = {
  kind: '' as CpdActivityKind | '',
  activity: '',
  date: '',
  hours: '',
  learningOutcomes: '',
  reflection: '',
  evidenceUrl: '',
};

function AddActivityForm({ onNotice }: { onNotice: (message: string) => void }) {
  const writes = useCpdWrites();
  const [values, setValues] = useState(EMPTY_ACTIVITY);
  const [errors, setErrors] = useState<FieldError[]>([]);
  const [busy, setBusy] = useState(false);

  async function submit(event: FormEvent) {
    event.preventDefault();
    const found: FieldError[] = [];
    if (!values.kind) found.push({ field: 'kind', message: 'Choose what kind of CPD it was' });
    if (!values.activity.trim()) found.push({ field: 'activity', message: 'Enter what the activity was' });
    if (!/^\d{4}-\d{2}-\d{2}$/.test(values.date)) found.push({ field: 'date', message: 'Enter the date it happened' });
    else if (values.date > ukToday()) found.push({ field: 'date', message: 'The date cannot be in the future' });
    const hours = Number(values.hours);
    if (!values.hours.trim() || !(hours > 0 && hours <= 100) || Math.round(hours * 100) !== hours * 100) {
      found.push({ field: 'hours', message: 'Enter the hours as a number more than 0 and at most 100, like 1.5' });
    }
    checkEvidence(values.evidenceUrl, found, 'evidenceUrl');
    setErrors(found);
    const { kind } = values;
    if (found.length || !kind) return;
    setBusy(true);
    try {
      await writes.add.mutateAsync({
        ...values,
        kind,
        activity: values.activity.trim(),
        hours,
        evidenceUrl: values.evidenceUrl.trim() || null,
      });
      onNotice(`${values.activity.trim()} has been added to your CPD record.`);
      setValues(EMPTY_ACTIVITY);
    } catch (error) {
      setErrors(
        apiErrors(
          error,
          { kind: 'kind', activity: 'activity', date: 'date', hours: 'hours', ...REFLECTION_FIELDS },
          'activity',
        ),
      );
    } finally {
      setBusy(false);
    }
  }

  return (
    <form onSubmit={submit} noValidate aria-labelledby="add-cpd-heading">
      <h2 className="nhsuk-heading-m nhsuk-u-margin-top-6" id="add-cpd-heading">
        Add CPD that was not a CoP event
      </h2>
      <ErrorSummary errors={errors} />
      <Radios
        name="kind"
        legend="What kind of CPD was it?"
        options={ACTIVITY_KINDS}
        value={values.kind}
        error={errorFor(errors, 'kind')}
        onValue={(kind) => setValues({ ...values, kind: kind as CpdActivityKind })}
      />
      <TextInput
        id="activity"
        label="Activity"
        hint="For example, Motivational interviewing course"
        value={values.activity}
        error={errorFor(errors, 'activity')}
        onValue={(activity) => setValues({ ...values, activity })}
      />
      <TextInput
        id="date"
        label="Date"
        type="date"
        max={ukToday()}
        width={10}
        value={values.date}
        error={errorFor(errors, 'date')}
        onValue={(date) => setValues({ ...values, date })}
      />
      <TextInput
        id="hours"
        label="CPD hours"
        inputMode="decimal"
        width={5}
        value={values.hours}
        error={errorFor(errors, 'hours')}
        onValue={(hours) => setValues({ ...values, hours })}
      />
      <ReflectionFields prefix="" values={values} errors={errors} onChange={(v) => setValues({ ...values, ...v })} />
      <Button busy={busy}>Add to my CPD record</Button>
    </form>
  );
}

export function CpdPage() {
  const record = useAsync<CpdRecord>(keys.cpd, () => ok(http.GET('/api/v1/me/cpd')));
  const [problem, setProblem] = useState<unknown>(null);
  const [notice, setNotice] = useState('');

  async function openPrintable() {
    try {
      const { data } = await file(http.GET('/api/v1/me/cpd/print', { parseAs: 'blob' }));
      const url = URL.createObjectURL(new Blob([await data.text()], { type: 'text/html' }));
      window.open(url, '_blank', 'noopener');
      setTimeout(() => URL.revokeObjectURL(url), 60_000);
    } catch (error) {
      setProblem(error);
    }
  }

  return (
    <>
      <PageHeading>My CPD record</PageHeading>
      <p>
        CoP events you attended and other CPD you add, each with your reflection: what you learned and how it changes
        your practice, as HCPC and BABCP audits ask. Only you can see this record.
      </p>
      {problem ? <ErrorPanel error={problem} /> : null}
      <Notice>{notice}</Notice>
      <Async state={record} what="Loading your CPD record">
        {(data) =>
          data.entries.length === 0 ? (
            <p>
              Nothing yet. When a co-chair records your attendance, or you check in at an event, it appears here; you
              can also add other CPD below. <Link to="/communities">Find events in your communities</Link>.
            </p>
          ) : (
            <>
              <p className="nhsuk-body-l">
                Total: <strong>{data.totalHours} hours</strong>
              </p>
              <h2 className="nhsuk-heading-m">Entries and reflections</h2>
              <ul className="nhsuk-list cophub-cpd-list">
                {data.entries.map((e) => (
                  <EntryCard key={`${e.source}-${e.id}`} entry={e} onNotice={setNotice} />
                ))}
              </ul>
            </>
          )
        }
      </Async>
      <div className="cophub-actions">
        <button
          type="button"
          className="nhsuk-button nhsuk-button--secondary"
          onClick={() =>
            void download(http.GET('/api/v1/me/cpd.csv', { parseAs: 'blob' }), 'cpd-record.csv').catch(setProblem)
          }
        >
          Download as a spreadsheet (CSV)
        </button>
        <button type="button" className="nhsuk-button nhsuk-button--secondary" onClick={() => void openPrintable()}>
          Open a printable version
        </button>
      </div>
      <AddActivityForm onNotice={setNotice} />
    </>
  );
}
