/** Who may start threads and reply in a category: everyone, or co-chairs only (announcements). */
export enum CategoryPostPolicy {
  Members = 'members',
  CoChairs = 'co_chairs',
}

/** The small fixed set of reactions; counts are kept per post. */
export enum ReactionKind {
  Like = 'like',
  Thanks = 'thanks',
  Insightful = 'insightful',
  Support = 'support',
}

/** `watching`: notified of every reply; `muted`: never notified, not even when auto-watching would apply. */
export enum SubscriptionLevel {
  Watching = 'watching',
  Muted = 'muted',
}

export enum FlagStatus {
  Open = 'open',
  Dismissed = 'dismissed',
  Actioned = 'actioned',
}

/** Longest post body accepted (Markdown source characters). */
export const POST_MAX_LENGTH = 20_000;
export const TITLE_MAX_LENGTH = 200;
