import { Injectable, OnModuleInit } from '@nestjs/common';
import { pagedRows, PersonalDataRegistry } from '@cophub/core';
import { formerMemberHandle } from '@cophub/identity';
import { ForumPersonalDataRepository } from '../db/personal-data.repository';

/**
 * The forum's share of a personal data export, and what closing an account means here: what a member wrote
 * stays where others replied to it (the author shows as "Former member"); reactions and mentions stay
 * de-identified; their private lists and reply-by-email addresses go.
 */
@Injectable()
export class ForumAccountHooks implements OnModuleInit {
  constructor(
    private readonly data: ForumPersonalDataRepository,
    private readonly registry: PersonalDataRegistry,
  ) {}

  onModuleInit(): void {
    const db = this.data;
    this.registry.register({
      section: 'forum',
      about: 'What you wrote in community forums, and your own lists and reactions there.',
      tables: {
        forum_threads: 'kept; the author shows as "Former member"',
        forum_posts:
          'kept (others replied to them); the author shows as "Former member"; a moderator who hid or deleted a post is kept by id',
        forum_post_revisions: 'kept with the post; the editor shows as "Former member"',
        forum_flags: 'kept for the moderation record; the reporter or resolver shows as "Former member"',
        forum_bookmarks: 'deleted',
        forum_subscriptions: 'deleted',
        forum_read_states: 'deleted',
        forum_reactions: 'kept so that posts\' reaction counts stay true; the reactor shows as "Former member"',
        forum_post_mentions: "kept; the handle becomes the former member's placeholder handle",
        forum_reply_tokens: 'deleted: reply-by-email addresses given to you stop working',
      },
      parts: [
        { name: 'threads', about: 'Threads you started.', rows: (userId) => db.threads(userId) },
        {
          name: 'posts',
          about: 'Posts you wrote (as Markdown), with when they were edited or deleted.',
          rows: (userId) =>
            pagedRows<{ id: string }>(
              (after, size) => db.posts(userId, after, size),
              (row) => row.id,
            ),
        },
        {
          name: 'earlierVersions',
          about: 'Earlier versions of posts, kept as edit history, where you made the edit.',
          rows: (userId) => db.earlierVersions(userId),
        },
        { name: 'reactions', about: 'Reactions you gave to posts.', rows: (userId) => db.reactions(userId) },
        {
          name: 'flags',
          about: 'Posts you reported to the moderators, with the reason you gave.',
          rows: (userId) => db.flags(userId),
        },
        { name: 'mentions', about: 'Posts that mention you by your handle.', rows: (userId) => db.mentions(userId) },
        { name: 'bookmarks', about: 'Posts you bookmarked.', rows: (userId) => db.bookmarks(userId) },
        { name: 'subscriptions', about: 'Threads you watch or muted.', rows: (userId) => db.subscriptions(userId) },
        { name: 'readState', about: 'How far you have read in each thread.', rows: (userId) => db.readStates(userId) },
        {
          name: 'replyAddresses',
          about: 'Reply-by-email addresses given to you in notifications (only when each was made and expires).',
          rows: (userId) => db.replyAddresses(userId),
        },
      ],
      close: (userId) => db.close(userId, formerMemberHandle(userId)),
    });
  }
}
