import { FREE_TEXT_MAX, QuestionKind, SCORE_MAX, SCORE_MIN } from '../entities/enums';
import { PollError, PollErrorCode } from '../errors/polls.error';

export interface QuestionSpec {
  id: string;
  position: number;
  kind: QuestionKind;
  prompt: string;
  required: boolean;
  minChoices: number;
  maxChoices: number | null;
  options: Array<{ id: string; label: string }>;
}

export interface AnswerInput {
  questionId: string;
  optionIds?: string[];
  ranking?: string[];
  value?: number;
  text?: string;
}

export interface AnswerRow {
  questionId: string;
  ordinal: number;
  optionId: string | null;
  rank: number | null;
  value: number | null;
  text: string | null;
}

const invalid = (message: string) => new PollError(PollErrorCode.InvalidAnswers, message);

/**
 * Checks a submission against the poll's questions and turns it into answer rows. Anything not
 * exactly right is refused with a message naming the question, before anything is written.
 */
export function validateAnswers(questions: QuestionSpec[], answers: AnswerInput[]): AnswerRow[] {
  const byId = new Map(questions.map((q) => [q.id, q]));
  const seen = new Set<string>();
  const rows: AnswerRow[] = [];
  for (const answer of answers) {
    const question = byId.get(answer.questionId);
    if (!question) throw invalid(`question ${answer.questionId} is not in this poll`);
    if (seen.has(question.id)) throw invalid(`question ${question.position + 1} is answered twice`);
    seen.add(question.id);
    const label = `question ${question.position + 1}`;
    const optionIds = new Set(question.options.map((o) => o.id));
    const fields = (['optionIds', 'ranking', 'value', 'text'] as const).filter((f) => answer[f] !== undefined);
    const expect = (field: (typeof fields)[number]) => {
      if (fields.length !== 1 || fields[0] !== field) throw invalid(`${label} needs exactly "${field}"`);
    };
    const pick = (ids: string[]) => {
      if (new Set(ids).size !== ids.length) throw invalid(`${label} names an option twice`);
      for (const id of ids) if (!optionIds.has(id)) throw invalid(`${label} has no option ${id}`);
    };
    switch (question.kind) {
      case QuestionKind.SingleChoice: {
        expect('optionIds');
        if (answer.optionIds!.length !== 1) throw invalid(`${label} takes exactly one option`);
        pick(answer.optionIds!);
        rows.push({
          questionId: question.id,
          ordinal: 0,
          optionId: answer.optionIds![0],
          rank: null,
          value: null,
          text: null,
        });
        break;
      }
      case QuestionKind.MultipleChoice: {
        expect('optionIds');
        const ids = answer.optionIds!;
        const min = Math.max(1, question.minChoices);
        const max = question.maxChoices ?? question.options.length;
        if (ids.length < min || ids.length > max) {
          throw invalid(`${label} takes between ${min} and ${max} options (got ${ids.length})`);
        }
        pick(ids);
        ids.forEach((optionId, ordinal) =>
          rows.push({ questionId: question.id, ordinal, optionId, rank: null, value: null, text: null }),
        );
        break;
      }
      case QuestionKind.Ranked: {
        expect('ranking');
        const ids = answer.ranking!;
        if (ids.length < 1) throw invalid(`${label} needs at least a first choice`);
        pick(ids);
        ids.forEach((optionId, ordinal) =>
          rows.push({ questionId: question.id, ordinal, optionId, rank: ordinal + 1, value: null, text: null }),
        );
        break;
      }
      case QuestionKind.Likert:
      case QuestionKind.Score: {
        expect('value');
        const [lo, hi] = question.kind === QuestionKind.Likert ? [1, 5] : [SCORE_MIN, SCORE_MAX];
        if (!Number.isInteger(answer.value) || answer.value! < lo || answer.value! > hi) {
          throw invalid(`${label} takes a whole number from ${lo} to ${hi}`);
        }
        rows.push({
          questionId: question.id,
          ordinal: 0,
          optionId: null,
          rank: null,
          value: answer.value!,
          text: null,
        });
        break;
      }
      case QuestionKind.FreeText: {
        expect('text');
        const text = answer.text!.trim();
        if (!text) throw invalid(`${label} needs some text`);
        if (text.length > FREE_TEXT_MAX) throw invalid(`${label} is longer than ${FREE_TEXT_MAX} characters`);
        rows.push({ questionId: question.id, ordinal: 0, optionId: null, rank: null, value: null, text });
        break;
      }
    }
  }
  for (const question of questions) {
    if (question.required && !seen.has(question.id)) throw invalid(`question ${question.position + 1} needs an answer`);
  }
  if (!rows.length) throw invalid('answer at least one question');
  return rows;
}
