/** Response and request shapes, written from the API's DTOs (`apps/api/src/**\/dto`, `/api/docs-json`). */

export type Profession = 'PWP' | 'CYWP' | 'EMHP' | 'MHWP' | 'other';
export type CareerStage = 'trainee' | 'qualified' | 'senior';
export type Region =
  | 'north_east_and_yorkshire'
  | 'north_west'
  | 'midlands'
  | 'east_of_england'
  | 'london'
  | 'south_east'
  | 'south_west'
  | 'national';
export type MembershipStatus = 'pending' | 'approved' | 'rejected' | 'suspended';
export type CommunityRole = 'member' | 'moderator' | 'co_chair';

export interface User {
  id: string;
  email: string;
  displayName: string;
  profession: Profession;
  careerStage: CareerStage;
  region: Region;
  organisation: string;
  emailVerified: boolean;
  isAdmin: boolean;
  createdAt: string;
}

export interface MyMembership {
  slug: string;
  name: string;
  status: MembershipStatus;
  role: CommunityRole;
}

export interface Me extends User {
  memberships: MyMembership[];
}

export interface TokenPair {
  accessToken: string;
  refreshToken: string;
  tokenType: 'Bearer';
  expiresIn: number;
  user: User;
}

export interface Community {
  id: string;
  slug: string;
  name: string;
  description: string;
  region: Region;
  autoApproveDomains?: string[];
  breakdownThreshold: number;
}

export interface CommunityListItem extends Community {
  myStatus: MembershipStatus | null;
  myRole: CommunityRole | null;
  memberCount: number;
}

export interface CommunityStanding {
  community: Community;
  role: CommunityRole;
  isAdmin: boolean;
}

export interface Membership {
  communityId: string;
  userId: string;
  status: MembershipStatus;
  role: CommunityRole;
  requestedAt: string;
  decidedAt: string | null;
}

export interface Member {
  userId: string;
  displayName: string;
  email?: string;
  profession: Profession;
  careerStage: CareerStage;
  region: Region;
  organisation: string;
  status: MembershipStatus;
  role: CommunityRole;
  requestedAt: string;
  decidedAt: string | null;
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export interface AuditEntry {
  id: string;
  actorId: string | null;
  action: string;
  targetType: string;
  targetId: string | null;
  data: Record<string, unknown>;
  createdAt: string;
}

export type EventLocationKind = 'online' | 'in_person';
export type EventVisibility = 'members' | 'public';
export type EventStatus = 'scheduled' | 'cancelled';
export type RsvpStatus = 'going' | 'not_going' | 'waitlisted';

export interface MyRsvp {
  status: RsvpStatus | null;
  waitlistPlace: number | null;
  reminders: boolean;
}

export interface CommunityEvent {
  id: string;
  communityId: string;
  title: string;
  description: string;
  descriptionHtml: string;
  startsAt: string;
  endsAt: string;
  startsAtLocal: string;
  endsAtLocal: string;
  timeZone: string;
  /** Start and end in UK words with zones, as emails and .ics write them. */
  whenText: string;
  addToCalendar?: { google: string; outlook: string };
  locationKind: EventLocationKind;
  joinUrl: string | null;
  venue: string | null;
  capacity: number | null;
  rsvpDeadline: string | null;
  visibility: EventVisibility;
  audienceProfessions: Profession[];
  audienceStages: CareerStage[];
  cpdHours: number;
  reminderOffsets: number[];
  status: EventStatus;
  sequence: number;
  goingCount: number;
  waitlistCount: number;
  checkInCode?: string | null;
  myRsvp?: MyRsvp;
  updatedAt: string;
}

export interface EventInput {
  title: string;
  description?: string;
  startsAt: string;
  endsAt: string;
  locationKind: EventLocationKind;
  joinUrl?: string | null;
  venue?: string | null;
  capacity?: number | null;
  visibility?: EventVisibility;
  cpdHours?: number;
}

export interface CalendarView {
  year: number;
  months: Array<{ month: number; events: CommunityEvent[] }>;
}

export interface Attendee {
  userId: string;
  displayName: string;
  status?: RsvpStatus;
  waitlistPosition?: number | null;
  method?: 'marked' | 'check_in';
}

export interface Attendees {
  going: Attendee[];
  waitlist: Attendee[];
  attended: Attendee[];
}

export interface CpdEntry {
  eventId: string;
  title: string;
  communityName: string;
  startsAt: string;
  endsAt: string;
  cpdHours: number;
  method: 'marked' | 'check_in';
}

export interface CpdRecord {
  totalHours: number;
  entries: CpdEntry[];
}

export type NotificationChannel = 'in_app' | 'email' | 'digest' | 'off';

export interface AppNotification {
  id: string;
  kind: string;
  communityId: string | null;
  title: string;
  body: string;
  url: string;
  read: boolean;
  createdAt: string;
}

export interface NotificationPage extends Page<AppNotification> {
  unread: number;
}

export interface ApiErrorBody {
  statusCode: number;
  error: string;
  message: string | string[];
  code?: string;
}

export interface ResourceVersion {
  versionNo: number;
  kind: 'file' | 'link';
  fileName: string;
  mediaType: string | null;
  sizeBytes: number | null;
  sha256: string | null;
  url: string | null;
  downloadUrl: string | null;
  extractionStatus: 'pending' | 'done' | 'failed' | 'none';
  uploadedBy: string;
  createdAt: string;
}

export interface Resource {
  id: string;
  communityId: string;
  title: string;
  description: string;
  descriptionHtml: string;
  tags: string[];
  professions: Profession[];
  careerStages: CareerStage[];
  eventId: string | null;
  currentVersionNo: number;
  currentVersion: ResourceVersion | null;
  versions: ResourceVersion[];
  archivedAt: string | null;
  createdBy: string;
  createdAt: string;
  updatedAt: string;
  canContribute: boolean;
}

export type SearchKind = 'thread' | 'post' | 'event' | 'resource' | 'poll';

export interface SearchHit {
  kind: SearchKind;
  id: string;
  rank: number;
  title: string;
  /** HTML-escaped text with matches wrapped in <mark>. */
  snippet: string;
  url: string;
  date: string;
  meta?: Record<string, unknown>;
}

export interface Author {
  id: string | null;
  displayName: string;
}

export interface Category {
  id: string;
  communityId: string;
  name: string;
  description: string;
  position: number;
  postPolicy: 'members' | 'co_chairs';
  threadCount: number;
  unreadThreadCount: number;
}

export type ReactionKind = 'like' | 'thanks' | 'insightful' | 'support';

export interface Thread {
  id: string;
  communityId: string;
  categoryId: string;
  title: string;
  author: Author;
  pinned: boolean;
  locked: boolean;
  postCount: number;
  lastPostAt: string;
  createdAt: string;
  lastReadPostNumber: number;
  unreadCount: number;
  firstUnreadPostNumber: number | null;
  subscription: 'watching' | 'muted' | null;
  deleted?: boolean;
}

export interface Post {
  id: string;
  threadId: string;
  postNumber: number;
  author: Author;
  html: string | null;
  source: string | null;
  quotedPostId: string | null;
  version: number;
  reactions: Record<string, number>;
  myReactions: ReactionKind[];
  bookmarked: boolean;
  hidden: boolean;
  hiddenReason: string | null;
  deleted: boolean;
  editedAt: string | null;
  createdAt: string;
}

export interface Flag {
  id: string;
  postId: string;
  threadId: string;
  threadTitle: string;
  postNumber: number;
  excerpt: string;
  /** The post in its thread (a path in this app). */
  url: string;
  reason: string;
  status: 'open' | 'dismissed' | 'actioned';
  reporter: Author;
  postHtml: string;
  postHidden: boolean;
  createdAt: string;
}

export interface Bookmark {
  postId: string;
  threadId: string;
  threadTitle: string;
  postNumber: number;
  excerpt: string;
  bookmarkedAt: string;
}

export type PollStatus = 'draft' | 'scheduled' | 'open' | 'closed';
export type QuestionKind = 'single_choice' | 'multiple_choice' | 'likert' | 'ranked' | 'score' | 'free_text';

export interface PollSummary {
  id: string;
  communityId: string;
  title: string;
  status: PollStatus;
  anonymous: boolean;
  allowChange: boolean;
  resultsVisibility: 'live' | 'after_close';
  audience: { professions: string[]; careerStages: string[]; regions: string[] };
  opensAt: string | null;
  closesAt: string | null;
  remindAt: string | null;
  openedAt: string | null;
  closedAt: string | null;
  electorateSize: number;
  createdAt: string;
}

export interface PollQuestion {
  id: string;
  position: number;
  kind: QuestionKind;
  prompt: string;
  required: boolean;
  minChoices: number;
  maxChoices: number | null;
  options: Array<{ id: string; label: string }>;
}

export interface Poll extends PollSummary {
  contextSource: string;
  contextHtml: string;
  questions: PollQuestion[];
  responses: number;
  me: { inAudience: boolean; responded: boolean; manages: boolean };
}

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
}

export interface BreakdownTable {
  columns: Array<{ key: string; label: string }>;
  rows: Array<{ group: string; total: number | null; totalSuppressed: boolean; cells: SuppressedCell[] }>;
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
}

export interface PollResults {
  pollId: string;
  status: PollStatus;
  anonymous: boolean;
  turnout: { electorate: number; responses: number; percent: number };
  threshold: number;
  breakdownsShown: boolean;
  breakdownNote: string | null;
  questions: QuestionResult[];
}
