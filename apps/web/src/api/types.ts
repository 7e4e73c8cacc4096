/**
 * The API's shapes, taken from the generated OpenAPI types (`schema.d.ts`, `npm run api:types`) so a
 * DTO change shows up here as a type error instead of a silent mismatch. The names are the ones the
 * pages use; the few shapes the API does not describe yet (poll results) are written below by hand.
 */
import type { components } from './schema';

type S = components['schemas'];

export type User = S['UserView'];
export type Profession = User['profession'];
export type CareerStage = User['careerStage'];
export type Region = User['region'];
export type MyMembership = S['MyMembershipView'];
export type MembershipStatus = MyMembership['status'];
export type CommunityRole = MyMembership['role'];
export type Me = S['MeView'];
export type TokenPair = S['TokenPairView'];
export type Community = S['CommunityView'];
export type CommunityListItem = S['CommunityListItemView'];
export type CommunityStanding = S['CommunityStandingView'];
export type Membership = S['MembershipView'];
export type Member = S['MemberView'];
export type AuditEntry = S['AuditEntryView'];

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export type CommunityEvent = S['EventView'];
export type EventLocationKind = CommunityEvent['locationKind'];
export type EventVisibility = CommunityEvent['visibility'];
export type EventStatus = CommunityEvent['status'];
export type MyRsvp = S['MyRsvpView'];
export type RsvpStatus = NonNullable<MyRsvp['status']>;
export type EventInput = S['CreateEventDto'];
export type CalendarView = S['CalendarView'];
export type Attendee = S['AttendeeView'];
export type Attendees = S['AttendeesView'];

export type CpdEntry = S['CpdEntryView'];
export type CpdRecord = S['CpdRecordView'];
export type CpdActivityKind = S['CreateCpdActivityDto']['kind'];

export type NotificationChannel = NonNullable<S['NotificationPreferencesDto']['forum_reply']>;
export type AppNotification = S['NotificationView'];
export type NotificationPage = S['NotificationPageView'];

/** The API's error body (`HttpExceptionFilter`). */
export interface ApiErrorBody {
  statusCode: number;
  error: string;
  message: string | string[];
  code?: string;
}

export type ResourceVersion = S['VersionView'];
export type Resource = S['ResourceView'];
export type SearchHit = S['SearchHitView'];
export type SearchKind = SearchHit['kind'];
export type Author = S['AuthorView'];
export type Category = S['CategoryView'];
export type Thread = S['ThreadView'];
export type Post = S['PostView'];
export type ReactionKind = Post['myReactions'][number];
export type Flag = S['FlagView'];
export type Bookmark = S['BookmarkView'];
export type PollSummary = S['PollSummaryView'];
export type PollStatus = PollSummary['status'];
export type PollQuestion = S['QuestionView'];
export type QuestionKind = PollQuestion['kind'];
export type Poll = S['PollView'];
export type PollInput = S['CreatePollDto'];
export type QuestionInput = S['QuestionDto'];
export type ElectoratePreview = S['ElectoratePreviewView'];
export type RemindResult = S['RemindResultView'];

export interface PollAnswer {
  questionId: string;
  optionIds?: string[];
  ranking?: string[];
  value?: number;
  text?: string;
}

export interface SuppressedCell {
  count: number | null;
  suppressed: boolean;
  unanimous: boolean;
  /** Of the row's answers (of the answers shown when `percentOfShown`); null when hidden. */
  percent: number | null;
}

export interface BreakdownTable {
  columns: Array<{ key: string; label: string }>;
  rows: Array<{
    group: string;
    total: number | null;
    totalSuppressed: boolean;
    cells: SuppressedCell[];
    percentOfShown: boolean;
  }>;
}

export interface QuestionResult {
  id: string;
  position: number;
  kind: QuestionKind;
  prompt: string;
  respondents: number;
  counts: Array<{ key: string; label: string; count: number; percent: number }>;
  mean?: number;
  median?: number;
  instantRunoff?: {
    rounds: Array<{ counts: Record<string, number>; exhausted: number; eliminated: string[] }>;
    winners: string[];
  };
  borda?: { ranking: Array<{ optionId: string; points: number; place: number }>; winners: string[] };
  texts?: string[];
  breakdowns?: Partial<Record<string, BreakdownTable>>;
  /** How to read the percentages when they do not simply add up to 100. */
  percentNote?: string;
  /** Why this question's figures or written answers are not shown. */
  withheld?: string;
}

export interface PollResults {
  pollId: string;
  status: PollStatus;
  anonymous: boolean;
  turnout: { electorate: number; responses: number; percent: number };
  threshold: number;
  breakdownsShown: boolean;
  breakdownNote: string | null;
  /** What was held back to protect anonymity, and why. */
  withheld: Array<{ question: number | null; dimension: string | null; reason: string }>;
  /** How ranked questions are counted, in the words every output uses. */
  rankedRules: string | null;
  /** The method, in plain words. */
  method: string[];
  questions: QuestionResult[];
}

export type ProfileCard = S['ProfileCardView'];
