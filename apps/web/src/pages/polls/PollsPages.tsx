import { useState, type FormEvent } from 'react';
import { Link, useNavigate } from 'react-router-dom';
import { api, seg } from '../../api/client';
import type { Page, Poll, PollStatus, PollSummary, QuestionKind } from '../../api/types';
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
import { formatDateTime } from '../../components/labels';
import { Async, Breadcrumbs, PageHeading, Tag, useAsync, type TagColour } from '../../components/ui';
import { isCoChair, useCommunity } from '../communities/community';

export const STATUS_TAGS: Record<PollStatus, [string, TagColour]> = {
  draft: ['Draft', 'grey'],
  scheduled: ['Upcoming', 'yellow'],
  open: ['Open', 'green'],
  closed: ['Closed', 'white'],
};

export const KINDS: Record<QuestionKind, string> = {
  single_choice: 'Choose one option',
  multiple_choice: 'Choose several options',
  likert: 'Agree or disagree (5-point scale)',
  ranked: 'Put options in order of preference',
  score: 'Score from 0 to 10',
  free_text: 'Written answer',
};

const GROUPS: Array<{ status: PollStatus; title: string; empty: string }> = [
  { status: 'open', title: 'Open now', empty: 'No polls are open.' },
  { status: 'scheduled', title: 'Upcoming', empty: 'Nothing planned.' },
  { status: 'closed', title: 'Closed', empty: 'No closed polls yet.' },
  { status: 'draft', title: 'Drafts', empty: 'No drafts.' },
];

export function PollsPage() {
  const { slug, standing } = useCommunity();
  const polls = useAsync(['/communities/*/polls', slug], () =>
    api.get<Page<PollSummary>>(`/communities/${seg(slug)}/polls?limit=100`),
  );
  const manages = Boolean(standing.data && isCoChair(standing.data));
  return (
    <>
      <Breadcrumbs
        items={[
          { to: '/communities', label: 'Communities' },
          { to: `/c/${slug}`, label: standing.data?.community.name ?? 'Community' },
        ]}
      />
      <PageHeading caption={standing.data?.community.name}>Polls and surveys</PageHeading>
      <p className="nhsuk-lede-text">Your answers shape what your co-chairs take to the regional Workforce Council.</p>
      {manages && (
        <Link className="nhsuk-button" to={`/c/${slug}/polls/new`}>
          Create a poll
        </Link>
      )}
      <Async state={polls} what="Loading polls">
        {(page) => (
          <>
            {GROUPS.filter((g) => g.status !== 'draft' || manages).map((group) => {
              const items = page.items.filter((p) => p.status === group.status);
              return (
                <section key={group.status} aria-labelledby={`polls-${group.status}`}>
                  <h2 className="nhsuk-heading-m" id={`polls-${group.status}`}>
                    {group.title}
                  </h2>
                  {items.length === 0 ? (
                    <p>{group.empty}</p>
                  ) : (
                    <ul className="nhsuk-list nhsuk-list--border">
                      {items.map((p) => (
                        <li key={p.id}>
                          <Link className="nhsuk-u-font-weight-bold" to={`/polls/${p.id}`}>
                            {p.title}
                          </Link>{' '}
                          <Tag colour={STATUS_TAGS[p.status][1]}>{STATUS_TAGS[p.status][0]}</Tag>{' '}
                          {p.anonymous && <Tag colour="white">Anonymous</Tag>}
                          <br />
                          <span className="nhsuk-body-s">
                            {p.status === 'open' && p.closesAt && `Closes ${formatDateTime(p.closesAt)}`}
                            {p.status === 'scheduled' && p.opensAt && `Opens ${formatDateTime(p.opensAt)}`}
                            {p.status === 'closed' && p.closedAt && `Closed ${formatDateTime(p.closedAt)}`}
                          </span>
                        </li>
                      ))}
                    </ul>
                  )}
                </section>
              );
            })}
          </>
        )}
      </Async>
    </>
  );
}

interface QuestionDraft {
  kind: QuestionKind | '';
  prompt: string;
  options: string;
  required: boolean;
}

const OPTION_KINDS: QuestionKind[] = ['single_choice', 'multiple_choice', 'ranked'];

/** The co-chair's builder: a draft with its questions; opening happens on the poll's page. */
export function PollBuilderPage() {
  const { slug, standing } = useCommunity();
  const navigate = useNavigate();
  const [title, setTitle] = useState('');
  const [context, setContext] = useState('');
  const [anonymous, setAnonymous] = useState('true');
  const [visibility, setVisibility] = useState('after_close');
  const [questions, setQuestions] = useState<QuestionDraft[]>([{ kind: '', prompt: '', options: '', required: true }]);
  const [errors, setErrors] = useState<FieldError[]>([]);
  const [busy, setBusy] = useState(false);

  const update = (index: number, patch: Partial<QuestionDraft>) =>
    setQuestions(questions.map((q, i) => (i === index ? { ...q, ...patch } : q)));

  async function submit(event: FormEvent) {
    event.preventDefault();
    const found: FieldError[] = [];
    if (title.trim().length < 3) found.push({ field: 'poll-title', message: 'Enter a title of at least 3 characters' });
    questions.forEach((q, i) => {
      if (!q.kind) found.push({ field: `q${i}-kind`, message: `Question ${i + 1}: choose the kind of question` });
      if (!q.prompt.trim()) found.push({ field: `q${i}-prompt`, message: `Question ${i + 1}: enter the question` });
      const options = q.options.split('\n').filter((o) => o.trim());
      if (q.kind && OPTION_KINDS.includes(q.kind) && options.length < 2) {
        found.push({ field: `q${i}-options`, message: `Question ${i + 1}: give at least 2 options, one per line` });
      }
    });
    setErrors(found);
    if (found.length) return;
    setBusy(true);
    try {
      const poll = await api.post<Poll>(`/communities/${seg(slug)}/polls`, {
        title: title.trim(),
        context,
        anonymous: anonymous === 'true',
        resultsVisibility: visibility,
        questions: questions.map((q) => ({
          kind: q.kind,
          prompt: q.prompt.trim(),
          required: q.required,
          ...(OPTION_KINDS.includes(q.kind as QuestionKind)
            ? {
                options: q.options
                  .split('\n')
                  .map((o) => o.trim())
                  .filter(Boolean),
              }
            : {}),
        })),
      });
      navigate(`/polls/${poll.id}`);
    } catch (error) {
      setErrors(apiErrors(error, { title: 'poll-title', context: 'poll-context' }, 'poll-title'));
      setBusy(false);
    }
  }

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
        <PageHeading>Create a poll</PageHeading>
        <form onSubmit={submit} noValidate>
          <TextInput
            id="poll-title"
            label="Title"
            value={title}
            error={errorFor(errors, 'poll-title')}
            onValue={setTitle}
          />
          <Textarea
            id="poll-context"
            label="Why you are asking (optional)"
            hint="Shown above the questions. You can use Markdown."
            value={context}
            onValue={setContext}
          />
          <Radios
            name="anonymous"
            legend="Identity"
            options={{
              true: 'Anonymous: nobody, not even co-chairs, can see who answered what',
              false: 'Named: co-chairs can see each member’s answers',
            }}
            value={anonymous}
            onValue={setAnonymous}
          />
          <Radios
            name="visibility"
            legend="When can members see the results?"
            options={{ after_close: 'When the poll closes', live: 'As answers come in' }}
            value={visibility}
            onValue={setVisibility}
          />
          {questions.map((q, i) => (
            <fieldset className="nhsuk-fieldset nhsuk-u-margin-bottom-5" key={i}>
              <legend className="nhsuk-fieldset__legend nhsuk-fieldset__legend--m">Question {i + 1}</legend>
              <Select
                id={`q${i}-kind`}
                label="Kind of question"
                options={KINDS}
                placeholder="Choose a kind"
                value={q.kind}
                error={errorFor(errors, `q${i}-kind`)}
                onValue={(kind) => update(i, { kind: kind as QuestionKind })}
              />
              <TextInput
                id={`q${i}-prompt`}
                label="Question"
                value={q.prompt}
                error={errorFor(errors, `q${i}-prompt`)}
                onValue={(prompt) => update(i, { prompt })}
              />
              {q.kind && OPTION_KINDS.includes(q.kind) && (
                <Textarea
                  id={`q${i}-options`}
                  label="Options"
                  hint="One per line, 2 to 20"
                  rows={4}
                  value={q.options}
                  error={errorFor(errors, `q${i}-options`)}
                  onValue={(options) => update(i, { options })}
                />
              )}
              <div className="nhsuk-checkboxes">
                <Checkbox
                  id={`q${i}-required`}
                  label="An answer is required"
                  checked={q.required}
                  onChecked={(required) => update(i, { required })}
                />
              </div>
              {questions.length > 1 && (
                <button
                  type="button"
                  className="cophub-link-button nhsuk-u-margin-top-3"
                  onClick={() => setQuestions(questions.filter((_, j) => j !== i))}
                >
                  Remove question {i + 1}
                </button>
              )}
            </fieldset>
          ))}
          <div className="cophub-actions nhsuk-u-margin-bottom-5">
            <button
              type="button"
              className="nhsuk-button nhsuk-button--secondary nhsuk-u-margin-bottom-0"
              onClick={() => setQuestions([...questions, { kind: '', prompt: '', options: '', required: true }])}
            >
              Add another question
            </button>
          </div>
          <Button busy={busy}>Save draft</Button>
        </form>
      </div>
    </div>
  );
}
