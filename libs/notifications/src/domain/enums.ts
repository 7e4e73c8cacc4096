/** Every kind of notification. Each user picks a channel per kind. */
export enum NotificationKind {
  ForumReply = 'forum_reply',
  ForumMention = 'forum_mention',
  ForumQuote = 'forum_quote',
  EventUpdate = 'event_update',
  EventReminder = 'event_reminder',
  EventWaitlist = 'event_waitlist',
  /** The confirmation (with the .ics) a member gets when they reply to an event. */
  EventRsvp = 'event_rsvp',
  PollInvitation = 'poll_invitation',
  PollReminder = 'poll_reminder',
  PollResults = 'poll_results',
  Membership = 'membership',
  /** A post was reported: for the community's moderators and co-chairs. */
  ModerationFlag = 'moderation_flag',
  /** A co-chair's announcement to the community (or to an audience in it). */
  Announcement = 'announcement',
  /** Something changed on the member's own account that they did not do (a handle renamed). */
  Account = 'account',
}

/**
 * `in_app`: the bell only; `email`: the bell and an email straight away; `digest`: the bell and a
 * daily summary email; `off`: nothing.
 */
export enum NotificationChannel {
  InApp = 'in_app',
  Email = 'email',
  Digest = 'digest',
  Off = 'off',
}

export const DEFAULT_CHANNEL: Record<NotificationKind, NotificationChannel> = {
  [NotificationKind.ForumReply]: NotificationChannel.InApp,
  [NotificationKind.ForumMention]: NotificationChannel.Email,
  [NotificationKind.ForumQuote]: NotificationChannel.InApp,
  [NotificationKind.EventUpdate]: NotificationChannel.Email,
  [NotificationKind.EventReminder]: NotificationChannel.Email,
  [NotificationKind.EventWaitlist]: NotificationChannel.Email,
  [NotificationKind.EventRsvp]: NotificationChannel.Email,
  [NotificationKind.PollInvitation]: NotificationChannel.Email,
  [NotificationKind.PollReminder]: NotificationChannel.Email,
  [NotificationKind.PollResults]: NotificationChannel.InApp,
  [NotificationKind.Membership]: NotificationChannel.Email,
  [NotificationKind.ModerationFlag]: NotificationChannel.Email,
  [NotificationKind.Announcement]: NotificationChannel.Email,
  [NotificationKind.Account]: NotificationChannel.InApp,
};
