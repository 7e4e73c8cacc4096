export enum PollStatus {
  Draft = 'draft',
  Scheduled = 'scheduled',
  Open = 'open',
  Closed = 'closed',
}

export enum QuestionKind {
  SingleChoice = 'single_choice',
  MultipleChoice = 'multiple_choice',
  /** 5-point: 1 strongly disagree … 5 strongly agree. */
  Likert = 'likert',
  Ranked = 'ranked',
  /** 0–10. */
  Score = 'score',
  FreeText = 'free_text',
}

export enum ResultsVisibility {
  /** Counts update as responses arrive. */
  Live = 'live',
  /** Members see nothing until the poll closes. */
  AfterClose = 'after_close',
}

export const LIKERT_LABELS = ['Strongly disagree', 'Disagree', 'Neither agree nor disagree', 'Agree', 'Strongly agree'];
export const SCORE_MIN = 0;
export const SCORE_MAX = 10;
export const FREE_TEXT_MAX = 2000;

/** Kinds whose answers pick from the question's option list. */
export const OPTION_KINDS = [QuestionKind.SingleChoice, QuestionKind.MultipleChoice, QuestionKind.Ranked];
