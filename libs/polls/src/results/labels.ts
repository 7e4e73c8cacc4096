import { QuestionKind } from '../entities/enums';
import type { Dimension } from './disclosure-audit';

/**
 * The words every poll output uses for the codes stored with a ballot, so that a council report, a
 * spreadsheet and the web page read "North West" and "Qualified", never `north_west` or `qualified`.
 * The same labels as the web app's forms (apps/web/src/components/labels.ts).
 */
export const PROFESSION_LABELS: Record<string, string> = {
  PWP: 'Psychological Wellbeing Practitioner (PWP)',
  CYWP: "Children and Young People's Wellbeing Practitioner (CYWP)",
  EMHP: 'Education Mental Health Practitioner (EMHP)',
  MHWP: 'Mental Health and Wellbeing Practitioner (MHWP)',
  other: 'Other psychological profession',
};

export const CAREER_STAGE_LABELS: Record<string, string> = {
  trainee: 'Trainee',
  qualified: 'Qualified',
  senior: 'Senior (supervisor, lead or trainer)',
};

export const REGION_LABELS: Record<string, string> = {
  north_east_and_yorkshire: 'North East and Yorkshire',
  north_west: 'North West',
  midlands: 'Midlands',
  east_of_england: 'East of England',
  london: 'London',
  south_east: 'South East',
  south_west: 'South West',
  national: 'National',
};

const GROUP_LABELS: Record<Dimension, Record<string, string>> = {
  profession: PROFESSION_LABELS,
  careerStage: CAREER_STAGE_LABELS,
  region: REGION_LABELS,
};

/** "By profession", as a table is titled. */
export const DIMENSION_TITLES: Record<Dimension, string> = {
  profession: 'Profession',
  careerStage: 'Career stage',
  region: 'Region',
};

export const QUESTION_KIND_LABELS: Record<QuestionKind, string> = {
  [QuestionKind.SingleChoice]: 'One answer',
  [QuestionKind.MultipleChoice]: 'Several answers',
  [QuestionKind.Likert]: 'Agreement scale',
  [QuestionKind.Ranked]: 'Ranked choice',
  [QuestionKind.Score]: 'Score from 0 to 10',
  [QuestionKind.FreeText]: 'Written answer',
};

/** The label of a group; an unknown code is written out as words rather than shown raw. */
export function groupLabel(dimension: Dimension, code: string): string {
  return GROUP_LABELS[dimension][code] ?? humanise(code);
}

/** The code of a group from its label (for reading an export back); undefined when it is not one. */
export function groupCode(dimension: Dimension, label: string): string | undefined {
  return Object.entries(GROUP_LABELS[dimension]).find(([, l]) => l === label)?.[0];
}

function humanise(code: string): string {
  const words = code.replace(/[_-]+/g, ' ').trim();
  return words ? words[0].toUpperCase() + words.slice(1) : code;
}
