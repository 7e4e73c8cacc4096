import { useState, type FormEvent } from 'react';
import type { Poll, PollAnswer, PollQuestion } from '../../api/types';
import { apiErrors, Button, ErrorSummary, type FieldError } from '../../components/forms';
import { usePollWrites } from './pollWrites';

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
  const { answer } = usePollWrites(poll);

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
      await answer.mutateAsync(list);
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
