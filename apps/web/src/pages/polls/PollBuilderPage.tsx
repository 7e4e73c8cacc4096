import { useMutation } from '@tanstack/react-query';
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { Link, useNavigate, useParams, useSearchParams } from 'react-router-dom';
import { http, ok } from '../../api/http';
import { useInvalidate } from '../../api/query';
import type { Poll, PollInput, QuestionKind } from '../../api/types';
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
import { PROFESSIONS, REGIONS, STAGES } from '../../components/labels';
import { Breadcrumbs, ErrorPanel, Inset, Loading, PageHeading } from '../../components/ui';
import { useCommunity } from '../communities/community';
import { AudienceChoices, ElectorateCount, Section } from './AudienceFields';
import {
  EMPTY,
  fromPoll,
  newQuestion,
  OPTION_KINDS,
  toInput,
  validate,
  type QuestionDraft,
  type Values,
} from './pollDraft';
import { TimeField } from './pollTimes';
import { KINDS } from './PollsPages';
import { fetchPoll } from './pollWrites';

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
  const invalidate = useInvalidate();
  const save = useMutation({
    mutationFn: (input: PollInput) =>
      id
        ? ok(http.PATCH('/api/v1/polls/{id}', { params: { path: { id } }, body: input }))
        : ok(
            http.POST('/api/v1/communities/{slug}/polls', {
              params: { path: { slug } },
              body: { ...input, ...(from ? { templateOf: from } : {}) },
            }),
          ),
    onSuccess: (saved) => invalidate(['/polls/*', saved.id], ['/communities/*/polls', slug]),
  });

  useEffect(() => {
    const sourceId = id ?? from;
    if (!sourceId) return;
    fetchPoll(sourceId).then((poll) => {
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
      const saved = await save.mutateAsync(toInput(values));
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
