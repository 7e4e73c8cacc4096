import { renderMarkdown } from '@cophub/core';
import { QuestionKind, OPTION_KINDS, ResultsVisibility } from '../entities/enums';
import { PollError, PollErrorCode } from '../errors/polls.error';

export interface QuestionDefinition {
  kind: QuestionKind;
  prompt: string;
  required?: boolean;
  minChoices?: number;
  maxChoices?: number;
  options?: string[];
}

export interface PollDefinition {
  title?: string;
  context?: string;
  anonymous?: boolean;
  allowChange?: boolean;
  resultsVisibility?: ResultsVisibility;
  audience?: { professions?: string[]; careerStages?: string[]; regions?: string[] };
  /** A draft's planned opening: it takes effect when the co-chair schedules the poll. */
  opensAt?: string | null;
  closesAt?: string | null;
  remindAt?: string | null;
  questions?: QuestionDefinition[];
}

const bad = (message: string) => new PollError(PollErrorCode.InvalidPoll, message);

/** Rules the DTO cannot express: options per kind, choice limits, anonymity vs changing answers. */
export function checkDefinition(def: PollDefinition, current?: { anonymous: boolean; allowChange: boolean }): void {
  const anonymous = def.anonymous ?? current?.anonymous ?? true;
  const allowChange = def.allowChange ?? current?.allowChange ?? false;
  if (anonymous && allowChange) {
    throw bad('anonymous ballots cannot be changed: allowChange is for named polls only');
  }
  def.questions?.forEach((q, i) => {
    const label = `question ${i + 1}`;
    const hasOptions = OPTION_KINDS.includes(q.kind);
    if (hasOptions && (!q.options || q.options.length < 2)) throw bad(`${label} needs at least two options`);
    if (!hasOptions && q.options?.length) throw bad(`${label} (${q.kind}) does not take options`);
    if (hasOptions && new Set(q.options!.map((o) => o.trim().toLowerCase())).size !== q.options!.length) {
      throw bad(`${label} has the same option twice`);
    }
    if (q.kind !== QuestionKind.MultipleChoice && (q.minChoices !== undefined || q.maxChoices !== undefined)) {
      throw bad(`${label}: minChoices and maxChoices are for multiple-choice questions`);
    }
    if (q.kind === QuestionKind.MultipleChoice) {
      const n = q.options!.length;
      const min = q.minChoices ?? 1;
      const max = q.maxChoices ?? n;
      if (min > max || max > n || min > n) throw bad(`${label}: choose limits between 0 and ${n} with min ≤ max`);
    }
  });
}

export function renderContext(source: string): string {
  return source ? renderMarkdown(source) : '';
}
