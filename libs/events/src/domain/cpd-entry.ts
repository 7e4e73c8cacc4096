import { AttendanceMethod, CpdActivityKind } from './enums';

/** Where an entry of the CPD record came from: a CoP event attended, or the member's own entry. */
export type CpdSource = 'event' | 'own';

/** One line of a member's CPD record, in the shape HCPC and BABCP audits ask for. */
export interface CpdEntry {
  /** The event's id for an attended event, the entry's own id otherwise. */
  id: string;
  source: CpdSource;
  /** `event` for a CoP event, otherwise what the member said it was. */
  kind: 'event' | CpdActivityKind;
  eventId: string | null;
  communityName: string | null;
  title: string;
  /** The UK calendar day (YYYY-MM-DD). */
  date: string;
  startsAt: Date | null;
  endsAt: Date | null;
  cpdHours: number;
  method: AttendanceMethod | null;
  learningOutcomes: string;
  reflection: string;
  evidenceUrl: string | null;
}

export interface CpdReflectionInput {
  learningOutcomes?: string;
  reflection?: string;
  evidenceUrl?: string | null;
}

export interface CpdActivityInput extends CpdReflectionInput {
  kind: CpdActivityKind;
  activity: string;
  date: string;
  hours: number;
}

/** Longest texts a reflection may hold: generous for an audit write-up, bounded for the CSV and the page. */
export const CPD_LIMITS = { activity: 200, learningOutcomes: 5_000, reflection: 10_000, evidenceUrl: 2_000 };
