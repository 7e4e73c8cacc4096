import type { Poll, PollInput, QuestionInput, QuestionKind } from '../../api/types';
import type { FieldError } from '../../components/forms';
import { londonFields } from '../../components/labels';
import { NO_TIME, resolveTime, timeErrorField, type TimeValue } from './pollTimes';

/** The builder's form values: how a poll becomes them, how they are checked, and the API input they make. */
export const OPTION_KINDS: QuestionKind[] = ['single_choice', 'multiple_choice', 'ranked'];

export interface QuestionDraft {
  /** Stable across reordering, so React keeps each question's inputs with it. */
  key: number;
  kind: QuestionKind | '';
  prompt: string;
  options: string;
  required: boolean;
  minChoices: string;
  maxChoices: string;
}

export interface Values {
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
export const newQuestion = (): QuestionDraft => ({
  key: nextKey++,
  kind: '',
  prompt: '',
  options: '',
  required: true,
  minChoices: '1',
  maxChoices: '',
});

export const EMPTY: Values = {
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

export function timeFrom(iso: string | null): TimeValue {
  return iso ? { mode: 'at', ...londonFields(iso) } : NO_TIME;
}

/** A poll as the builder's values: every setting and question; the times only when editing the same draft. */
export function fromPoll(poll: Poll, withTimes: boolean): Values {
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

export const optionList = (text: string) =>
  text
    .split('\n')
    .map((o) => o.trim())
    .filter(Boolean);

export function validate(v: Values, now: number): FieldError[] {
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

export function toInput(v: Values): PollInput {
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
