import { useEffect, useRef, useState, type FormEvent, type ReactNode } from 'react';
import { Link, useNavigate, useParams, useSearchParams } from 'react-router-dom';
import { api, seg } from '../../api/client';
import type { ElectoratePreview, Poll, PollInput, QuestionInput, QuestionKind } from '../../api/types';
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
import { londonFields, PROFESSIONS, REGIONS, STAGES } from '../../components/labels';
import { Breadcrumbs, ErrorPanel, Inset, Loading, PageHeading } from '../../components/ui';
import { useCommunity } from '../communities/community';
import { NO_TIME, resolveTime, TimeField, timeErrorField, type TimeValue } from './pollTimes';
import { KINDS } from './PollsPages';

const OPTION_KINDS: QuestionKind[] = ['single_choice', 'multiple_choice', 'ranked'];

interface QuestionDraft {
  /** Stable across reordering, so React keeps each question's inputs with it. */
  key: number;
  kind: QuestionKind | '';
  prompt: string;
  options: string;
  required: boolean;
  minChoices: string;
  maxChoices: string;
}

interface Values {
  title: string;
  context: string;
  anonymous: 'true' | 'false';
  allowChange: boolean;
  visibility: 'after_close' | 'live';
  professions: string[];
  careerStages: string[];
  regions: string[];
  opens: TimeValue;
  closes: TimeValue;
  remind: TimeValue;
  questions: QuestionDraft[];
}

let nextKey = 1;
const newQuestion = (): QuestionDraft => ({
  key: nextKey++,
  kind: '',
  prompt: '',
  options: '',
  required: true,
  minChoices: '1',
  maxChoices: '',
});

const EMPTY: Values = {
  title: '',
  context: '',
  anonymous: 'true',
  allowChange: false,
  visibility: 'after_close',
  professions: [],
  careerStages: [],
  regions: [],
  opens: NO_TIME,
  closes: NO_TIME,
  remind: NO_TIME,
  questions: [],
};

function timeFrom(iso: string | null): TimeValue {
  return iso ? { mode: 'at', ...londonFields(iso) } : NO_TIME;
}

/** A poll as the builder's values: every setting and question; the times only when editing the same draft. */
function fromPoll(poll: Poll, withTimes: boolean): Values {
  return {
    title: poll.title,
    context: poll.contextSource,
    anonymous: poll.anonymous ? 'true' : 'false',
    allowChange: poll.allowChange,
    visibility: poll.resultsVisibility,
    professions: poll.audience.professions,
    careerStages: poll.audience.careerStages,
    regions: poll.audience.regions,
    opens: withTimes ? timeFrom(poll.opensAt) : NO_TIME,
    closes: withTimes ? timeFrom(poll.closesAt) : NO_TIME,
    remind: withTimes ? timeFrom(poll.remindAt) : NO_TIME,
    questions: poll.questions.map((q) => ({
      key: nextKey++,
      kind: q.kind,
      prompt: q.prompt,
      options: q.options.map((o) => o.label).join('\n'),
      required: q.required,
      minChoices: q.kind === 'multiple_choice' ? String(q.minChoices) : '1',
      maxChoices: q.kind === 'multiple_choice' && q.maxChoices !== null ? String(q.maxChoices) : '',
    })),
  };
}

const optionList = (text: string) =>
  text
    .split('\n')
    .map((o) => o.trim())
    .filter(Boolean);

function validate(v: Values, now: number): FieldError[] {
  const errors: FieldError[] = [];
  if (v.title.trim().length < 3)
    errors.push({ field: 'poll-title', message: 'Enter a title of at least 3 characters' });
  const times = {
    opens: resolveTime(v.opens),
    closes: resolveTime(v.closes),
    remind: resolveTime(v.remind),
  };
  const names = { opens: 'Opening time', closes: 'Closing time', remind: 'Reminder time' };
  for (const key of ['opens', 'closes', 'remind'] as const) {
    const t = times[key];
    const field = timeErrorField(key, v[key], t.twice);
    if (t.problem) errors.push({ field, message: `${names[key]}: ${t.problem}` });
    else if (t.iso && new Date(t.iso).getTime() <= now) {
      errors.push({ field: `${key}-date`, message: `${names[key]}: choose a time in the future` });
    }
  }
  const [opens, closes, remind] = [times.opens.iso, times.closes.iso, times.remind.iso].map((t) =>
    t ? new Date(t).getTime() : null,
  );
  if (opens !== null && closes !== null && closes <= opens) {
    errors.push({ field: 'closes-date', message: 'Closing time: the poll must close after it opens' });
  }
  if (remind !== null && closes !== null && remind >= closes) {
    errors.push({ field: 'remind-date', message: 'Reminder time: the reminder must go before the poll closes' });
  }
  if (remind !== null && opens !== null && remind <= opens) {
    errors.push({ field: 'remind-date', message: 'Reminder time: the reminder must go after the poll opens' });
  }
  if (v.questions.length === 0) errors.push({ field: 'add-question', message: 'Add at least one question' });
  v.questions.forEach((q, i) => {
    const name = `Question ${i + 1}`;
    if (!q.kind) errors.push({ field: `q${i}-kind`, message: `${name}: choose the kind of question` });
    if (!q.prompt.trim()) errors.push({ field: `q${i}-prompt`, message: `${name}: enter the question` });
    if (!q.kind || !OPTION_KINDS.includes(q.kind)) return;
    const options = optionList(q.options);
    if (options.length < 2 || options.length > 20) {
      errors.push({ field: `q${i}-options`, message: `${name}: give 2 to 20 options, one per line` });
    } else if (new Set(options.map((o) => o.toLowerCase())).size !== options.length) {
      errors.push({ field: `q${i}-options`, message: `${name}: each option must be different` });
    }
    if (q.kind === 'multiple_choice' && options.length >= 2) {
      const min = Number(q.minChoices);
      const max = q.maxChoices === '' ? options.length : Number(q.maxChoices);
      if (!/^\d+$/.test(q.minChoices) || min > options.length) {
        errors.push({
          field: `q${i}-min`,
          message: `${name}: the least choices must be a whole number from 0 to ${options.length}`,
        });
      } else if (q.maxChoices !== '' && (!/^\d+$/.test(q.maxChoices) || max < 1 || max > options.length)) {
        errors.push({
          field: `q${i}-max`,
          message: `${name}: the most choices must be a whole number from 1 to ${options.length}`,
        });
      } else if (min > max) {
        errors.push({ field: `q${i}-max`, message: `${name}: the most choices cannot be fewer than the least` });
      }
    }
  });
  return errors;
}

function toInput(v: Values): PollInput {
  const anonymous = v.anonymous === 'true';
  return {
    title: v.title.trim(),
    context: v.context,
    anonymous,
    allowChange: anonymous ? false : v.allowChange,
    resultsVisibility: v.visibility,
    audience: {
      professions: v.professions as NonNullable<PollInput['audience']>['professions'],
      careerStages: v.careerStages as NonNullable<PollInput['audience']>['careerStages'],
      regions: v.regions as NonNullable<PollInput['audience']>['regions'],
    },
    opensAt: resolveTime(v.opens).iso,
    closesAt: resolveTime(v.closes).iso,
    remindAt: resolveTime(v.remind).iso,
    questions: v.questions.map((q): QuestionInput => {
      const kind = q.kind as QuestionKind;
      const options = OPTION_KINDS.includes(kind) ? { options: optionList(q.options) } : {};
      const limits =
        kind === 'multiple_choice'
          ? { minChoices: Number(q.minChoices), ...(q.maxChoices !== '' ? { maxChoices: Number(q.maxChoices) } : {}) }
          : {};
      return { kind, prompt: q.prompt.trim(), required: q.required, ...options, ...limits };
    }),
  };
}

/** Ticked boxes for one audience dimension; none ticked means everyone. */
function AudienceChoices({
  id,
  legend,
  options,
  value,
  onValue,
}: {
  id: string;
  legend: string;
  options: Record<string, string>;
  value: string[];
  onValue: (value: string[]) => void;
}) {
  return (
    <div className="nhsuk-form-group">
      <fieldset className="nhsuk-fieldset" aria-describedby={`${id}-hint`}>
        <legend className="nhsuk-fieldset__legend nhsuk-fieldset__legend--s">{legend}</legend>
        <div className="nhsuk-hint" id={`${id}-hint`}>
          Leave all unticked to include everyone
        </div>
        <div className="nhsuk-checkboxes">
          {Object.entries(options).map(([key, label]) => (
            <Checkbox
              key={key}
              id={`${id}-${key}`}
              label={label}
              checked={value.includes(key)}
              onChecked={(checked) => onValue(checked ? [...value, key] : value.filter((v) => v !== key))}
            />
          ))}
        </div>
      </fieldset>
    </div>
  );
}

/** "Whom this reaches": counted by the API as the audience changes, announced politely. */
function ElectorateCount({
  slug,
  values,
  pollId,
  templateOf,
}: {
  slug: string;
  values: Values;
  pollId: string | null;
  templateOf: string | null;
}) {
  const [count, setCount] = useState<ElectoratePreview | null>(null);
  const [failed, setFailed] = useState(false);
  const prompts = values.questions.map((q) => q.prompt.trim()).filter(Boolean);
  const key = JSON.stringify([values.professions, values.careerStages, values.regions, prompts, values.anonymous]);
  useEffect(() => {
    let stale = false;
    const [professions, careerStages, regions, texts, anonymous] = JSON.parse(key) as [
      string[],
      string[],
      string[],
      string[],
      string,
    ];
    const timer = setTimeout(() => {
      api
        .post<ElectoratePreview>(`/communities/${seg(slug)}/polls/electorate-preview`, {
          professions,
          careerStages,
          regions,
          // Compared with the community's other anonymous polls sharing a question or this poll's template.
          prompts: texts.map((t) => t.slice(0, 500)),
          anonymous: anonymous === 'true',
          ...(pollId ? { pollId } : {}),
          ...(templateOf ? { templateOf } : {}),
        })
        .then(
          (result) => {
            if (stale) return;
            setCount(result);
            setFailed(false);
          },
          () => !stale && setFailed(true),
        );
    }, 250);
    return () => {
      stale = true;
      clearTimeout(timer);
    };
  }, [slug, key, pollId, templateOf]);
  const everyone = !values.professions.length && !values.careerStages.length && !values.regions.length;
  const plural = (n: number) => (n === 1 ? '1 member' : `${n} members`);
  return (
    <div className="nhsuk-inset-text" id="electorate-count">
      <span className="nhsuk-u-visually-hidden">Information: </span>
      <p role="status" aria-live="polite">
        {failed
          ? 'We could not count the members just now. The count is taken again when the poll opens.'
          : count === null
            ? 'Counting members…'
            : `${everyone ? 'Everyone: ' : 'This audience: '}${plural(count.members)} today, ${
                count.emailed === count.members ? 'all' : count.emailed
              } of them invited by email.`}
      </p>
      <p className="nhsuk-body-s nhsuk-u-margin-bottom-0">
        The audience is fixed when the poll opens: members who join or change their profile later are not added.
      </p>
      {count?.overlap && (
        <p className="nhsuk-u-margin-top-3 nhsuk-u-margin-bottom-0">
          <strong>Warning:</strong> {count.overlap}
        </p>
      )}
    </div>
  );
}

function Section({ id, title, children }: { id: string; title: string; children: ReactNode }) {
  return (
    <section aria-labelledby={id} className="nhsuk-u-margin-bottom-6">
      <h2 className="nhsuk-heading-m" id={id}>
        {title}
      </h2>
      {children}
    </section>
  );
}

/**
 * The co-chair's survey builder: a new draft (`/c/:slug/polls/new`), a copy of another poll as a
 * template (`…/new?from=<id>`), or an existing draft (`/c/:slug/polls/:id/edit`). Saving keeps it a
 * draft; previewing, opening and scheduling happen on the poll's page, each after a confirmation.
 */
export function PollBuilderPage() {
  const { slug, standing } = useCommunity();
  const { id } = useParams();
  const [search] = useSearchParams();
  const from = id ? null : search.get('from');
  const navigate = useNavigate();
  const [values, setValues] = useState<Values | null>(id || from ? null : { ...EMPTY, questions: [newQuestion()] });
  const [source, setSource] = useState<Poll | null>(null);
  const [loadError, setLoadError] = useState<unknown>(null);
  const [errors, setErrors] = useState<FieldError[]>([]);
  const [busy, setBusy] = useState(false);
  const [moved, setMoved] = useState('');
  const focusAfterMove = useRef<string | null>(null);

  useEffect(() => {
    const sourceId = id ?? from;
    if (!sourceId) return;
    api.get<Poll>(`/polls/${sourceId}`).then((poll) => {
      setSource(poll);
      setValues(fromPoll(poll, Boolean(id)));
    }, setLoadError);
  }, [id, from]);

  useEffect(() => {
    if (!focusAfterMove.current) return;
    document.getElementById(focusAfterMove.current)?.focus();
    focusAfterMove.current = null;
  });

  if (loadError) return <ErrorPanel error={loadError} />;
  if (!values) return <Loading what="Loading poll" />;
  const set = (patch: Partial<Values>) => setValues({ ...values, ...patch });
  const setQuestion = (index: number, patch: Partial<QuestionDraft>) =>
    set({ questions: values.questions.map((q, i) => (i === index ? { ...q, ...patch } : q)) });
  const move = (from: number, to: number) => {
    const next = [...values.questions];
    const [item] = next.splice(from, 1);
    next.splice(to, 0, item);
    set({ questions: next });
    setMoved(`Question moved to position ${to + 1} of ${next.length}.`);
    focusAfterMove.current = `q${to}-${to < from ? 'up' : 'down'}`;
    if ((to === 0 && to < from) || (to === next.length - 1 && to > from)) focusAfterMove.current = `q${to}-prompt`;
  };

  if (id && source && source.status !== 'draft') {
    return (
      <>
        <PageHeading>This poll is no longer a draft</PageHeading>
        <p>Once a poll is scheduled or open, its questions are what members see, so it cannot be edited.</p>
        <p>
          <Link to={`/c/${slug}/polls/new?from=${id}`}>Use it as a template for a new poll</Link>
        </p>
      </>
    );
  }

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (!values) return;
    const found = validate(values, Date.now());
    setErrors(found);
    if (found.length) return;
    setBusy(true);
    try {
      const saved = id
        ? await api.patch<Poll>(`/polls/${id}`, toInput(values))
        : await api.post<Poll>(`/communities/${seg(slug)}/polls`, {
            ...toInput(values),
            ...(from ? { templateOf: from } : {}),
          });
      navigate(`/c/${slug}/polls/${saved.id}`);
    } catch (error) {
      setErrors(
        apiErrors(
          error,
          {
            title: 'poll-title',
            context: 'poll-context',
            opensAt: 'opens-date',
            closesAt: 'closes-date',
            remindAt: 'remind-date',
            allowChange: 'allowChange',
          },
          'poll-title',
        ),
      );
      setBusy(false);
    }
  }

  const heading = id ? 'Edit a draft poll' : from ? 'Create a poll from a template' : 'Create a poll';
  const named = values.anonymous === 'false';
  return (
    <div className="nhsuk-grid-row">
      <div className="nhsuk-grid-column-two-thirds">
        <Breadcrumbs
          items={[
            { to: `/c/${slug}`, label: standing.data?.community.name ?? 'Community' },
            { to: `/c/${slug}/polls`, label: 'Polls' },
          ]}
        />
        <ErrorSummary errors={errors} />
        <PageHeading caption={standing.data?.community.name}>{heading}</PageHeading>
        {from && source && (
          <Inset>
            <p>
              Copied from “{source.title}”: the questions, audience and settings. Times are not copied; set new ones if
              you need them.
            </p>
          </Inset>
        )}
        <form onSubmit={submit} noValidate>
          <Section id="about" title="About the poll">
            <TextInput
              id="poll-title"
              label="Title"
              value={values.title}
              error={errorFor(errors, 'poll-title')}
              onValue={(title) => set({ title })}
            />
            <Textarea
              id="poll-context"
              label="Why you are asking (optional)"
              hint="Shown above the questions. You can use Markdown."
              value={values.context}
              error={errorFor(errors, 'poll-context')}
              onValue={(context) => set({ context })}
            />
          </Section>

          <Section id="audience" title="Who is asked">
            <AudienceChoices
              id="aud-profession"
              legend="Professions"
              options={PROFESSIONS}
              value={values.professions}
              onValue={(professions) => set({ professions })}
            />
            <AudienceChoices
              id="aud-stage"
              legend="Career stages"
              options={STAGES}
              value={values.careerStages}
              onValue={(careerStages) => set({ careerStages })}
            />
            <AudienceChoices
              id="aud-region"
              legend="Regions"
              options={REGIONS}
              value={values.regions}
              onValue={(regions) => set({ regions })}
            />
            <ElectorateCount slug={slug} values={values} pollId={id ?? null} templateOf={from} />
          </Section>

          <Section id="identity" title="Anonymous or named">
            <Radios
              name="anonymous"
              legend="Are members’ names kept with their answers?"
              options={{ true: 'Anonymous', false: 'Named' }}
              value={values.anonymous}
              onValue={(anonymous) => set({ anonymous: anonymous as Values['anonymous'] })}
            />
            {named ? (
              <Inset>
                <p>
                  <strong>Named.</strong> You and the other co-chairs can see each member’s name with their answers, and
                  who has not answered yet. Members are told this before they answer.
                </p>
              </Inset>
            ) : (
              <Inset>
                <p>
                  <strong>Anonymous.</strong> While the poll is open you see how many members have answered, not what
                  they answered. When it closes the results are published once: the totals for each answer and
                  breakdowns by profession, career stage and region, for groups of at least 5 people, each count moved
                  by a small random amount (up to 2) so that nobody’s answer can be worked out. A poll asking the same
                  question of an audience only a few members different from another anonymous poll cannot open.
                </p>
                <p>
                  You cannot see who answered what, or who has answered: nobody can, not even an administrator.
                  Reminders go to members who have not answered without telling you who they are.
                </p>
              </Inset>
            )}
            {named ? (
              <div className="nhsuk-form-group">
                <div className="nhsuk-checkboxes">
                  <Checkbox
                    id="allowChange"
                    label="Members can change their answers until the poll closes"
                    checked={values.allowChange}
                    onChecked={(allowChange) => set({ allowChange })}
                  />
                </div>
              </div>
            ) : (
              <p>Anonymous answers cannot be changed once sent, because nothing links them to the member.</p>
            )}
            <Radios
              name="visibility"
              legend="When can members see the results?"
              options={{ after_close: 'When the poll closes', live: 'As answers come in' }}
              value={values.visibility}
              onValue={(visibility) => set({ visibility: visibility as Values['visibility'] })}
            />
          </Section>

          <Section id="timing" title="When it runs">
            <p>Times are UK time. Nothing happens until you open or schedule the poll from its page.</p>
            <TimeField
              id="opens"
              legend="When does it open?"
              noneLabel="When I open it"
              value={values.opens}
              errors={errors}
              onValue={(opens) => set({ opens })}
            />
            <TimeField
              id="closes"
              legend="When does it close?"
              noneLabel="When I close it"
              value={values.closes}
              errors={errors}
              onValue={(closes) => set({ closes })}
            />
            <TimeField
              id="remind"
              legend="Remind members who have not answered"
              noneLabel="No planned reminder (you can still remind them from the poll’s page)"
              value={values.remind}
              errors={errors}
              onValue={(remind) => set({ remind })}
            />
          </Section>

          <Section id="questions" title="Questions">
            <div role="status" className="nhsuk-u-visually-hidden">
              {moved}
            </div>
            {values.questions.map((q, i) => (
              <fieldset className="nhsuk-fieldset nhsuk-u-margin-bottom-5 cophub-question" key={q.key}>
                <legend className="nhsuk-fieldset__legend nhsuk-fieldset__legend--m">Question {i + 1}</legend>
                <Select
                  id={`q${i}-kind`}
                  label="Kind of question"
                  options={KINDS}
                  placeholder="Choose a kind"
                  value={q.kind}
                  error={errorFor(errors, `q${i}-kind`)}
                  onValue={(kind) => setQuestion(i, { kind: kind as QuestionKind })}
                />
                <TextInput
                  id={`q${i}-prompt`}
                  label="Question"
                  value={q.prompt}
                  error={errorFor(errors, `q${i}-prompt`)}
                  onValue={(prompt) => setQuestion(i, { prompt })}
                />
                {q.kind && OPTION_KINDS.includes(q.kind) && (
                  <Textarea
                    id={`q${i}-options`}
                    label="Options"
                    hint="One per line, 2 to 20"
                    rows={4}
                    value={q.options}
                    error={errorFor(errors, `q${i}-options`)}
                    onValue={(options) => setQuestion(i, { options })}
                  />
                )}
                {q.kind === 'multiple_choice' && (
                  <div className="cophub-actions">
                    <TextInput
                      id={`q${i}-min`}
                      label="Least choices"
                      inputMode="numeric"
                      width={2}
                      value={q.minChoices}
                      error={errorFor(errors, `q${i}-min`)}
                      onValue={(minChoices) => setQuestion(i, { minChoices })}
                    />
                    <TextInput
                      id={`q${i}-max`}
                      label="Most choices"
                      hint="Empty: any number"
                      inputMode="numeric"
                      width={2}
                      value={q.maxChoices}
                      error={errorFor(errors, `q${i}-max`)}
                      onValue={(maxChoices) => setQuestion(i, { maxChoices })}
                    />
                  </div>
                )}
                <div className="nhsuk-checkboxes">
                  <Checkbox
                    id={`q${i}-required`}
                    label="An answer is required"
                    checked={q.required}
                    onChecked={(required) => setQuestion(i, { required })}
                  />
                </div>
                <div className="cophub-actions nhsuk-u-margin-top-3">
                  <button
                    type="button"
                    id={`q${i}-up`}
                    className="cophub-link-button"
                    disabled={i === 0}
                    onClick={() => move(i, i - 1)}
                  >
                    Move up<span className="nhsuk-u-visually-hidden"> question {i + 1}</span>
                  </button>
                  <button
                    type="button"
                    id={`q${i}-down`}
                    className="cophub-link-button"
                    disabled={i === values.questions.length - 1}
                    onClick={() => move(i, i + 1)}
                  >
                    Move down<span className="nhsuk-u-visually-hidden"> question {i + 1}</span>
                  </button>
                  {values.questions.length > 1 && (
                    <button
                      type="button"
                      className="cophub-link-button"
                      onClick={() => {
                        set({ questions: values.questions.filter((_, j) => j !== i) });
                        setMoved(`Question ${i + 1} removed.`);
                        focusAfterMove.current = 'add-question';
                      }}
                    >
                      Remove question {i + 1}
                    </button>
                  )}
                </div>
              </fieldset>
            ))}
            <div className="cophub-actions nhsuk-u-margin-bottom-5">
              <button
                type="button"
                id="add-question"
                className="nhsuk-button nhsuk-button--secondary nhsuk-u-margin-bottom-0"
                onClick={() => {
                  set({ questions: [...values.questions, newQuestion()] });
                  focusAfterMove.current = `q${values.questions.length}-kind`;
                }}
              >
                Add another question
              </button>
            </div>
          </Section>
          <Button busy={busy}>Save draft</Button>
        </form>
      </div>
    </div>
  );
}
