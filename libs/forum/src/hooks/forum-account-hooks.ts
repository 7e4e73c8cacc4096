import { Injectable, OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { pagedRows, PersonalDataRegistry } from '@cophub/core';
import { formerMemberHandle } from '@cophub/identity';
import { DataSource } from 'typeorm';

/**
 * The forum's share of a personal data export, and what closing an account means here: what a member wrote
 * stays where others replied to it (the author shows as "Former member"); reactions and mentions stay
 * de-identified; their private lists and reply-by-email addresses go.
 */
@Injectable()
export class ForumAccountHooks implements OnModuleInit {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly registry: PersonalDataRegistry,
  ) {}

  onModuleInit(): void {
    const db = this.dataSource;
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
        {
          name: 'threads',
          about: 'Threads you started.',
          rows: (userId) =>
            db.query(
              `SELECT t.id, c.slug AS community, t.title, t.created_at AS "createdAt", t.deleted_at AS "deletedAt"
                 FROM forum_threads t JOIN communities c ON c.id = t.community_id
                WHERE t.author_id = $1 ORDER BY t.created_at, t.id`,
              [userId],
            ),
        },
        {
          name: 'posts',
          about: 'Posts you wrote (as Markdown), with when they were edited or deleted.',
          rows: (userId) =>
            pagedRows<{ id: string }>(
              (after, size) =>
                db.query(
                  `SELECT p.id, t.title AS thread, p.post_number AS "postNumber", p.body_source AS markdown,
                          p.created_at AS "createdAt", p.edited_at AS "editedAt", p.deleted_at AS "deletedAt"
                     FROM forum_posts p JOIN forum_threads t ON t.id = p.thread_id
                    WHERE p.author_id = $1 AND ($2::uuid IS NULL OR p.id > $2::uuid)
                    ORDER BY p.id LIMIT $3`,
                  [userId, after, size],
                ),
              (row) => row.id,
            ),
        },
        {
          name: 'earlierVersions',
          about: 'Earlier versions of posts, kept as edit history, where you made the edit.',
          rows: (userId) =>
            db.query(
              `SELECT post_id AS "postId", version, body_source AS markdown, created_at AS "editedAt"
                 FROM forum_post_revisions WHERE edited_by = $1 ORDER BY created_at, id`,
              [userId],
            ),
        },
        {
          name: 'reactions',
          about: 'Reactions you gave to posts.',
          rows: (userId) =>
            db.query(
              'SELECT post_id AS "postId", kind, created_at AS "createdAt" FROM forum_reactions WHERE user_id = $1 ORDER BY created_at',
              [userId],
            ),
        },
        {
          name: 'flags',
          about: 'Posts you reported to the moderators, with the reason you gave.',
          rows: (userId) =>
            db.query(
              `SELECT post_id AS "postId", reason, status, created_at AS "createdAt"
                 FROM forum_flags WHERE reporter_id = $1 ORDER BY created_at`,
              [userId],
            ),
        },
        {
          name: 'mentions',
          about: 'Posts that mention you by your handle.',
          rows: (userId) =>
            db.query('SELECT post_id AS "postId", handle FROM forum_post_mentions WHERE user_id = $1', [userId]),
        },
        {
          name: 'bookmarks',
          about: 'Posts you bookmarked.',
          rows: (userId) =>
            db.query(
              'SELECT post_id AS "postId", created_at AS "createdAt" FROM forum_bookmarks WHERE user_id = $1 ORDER BY created_at',
              [userId],
            ),
        },
        {
          name: 'subscriptions',
          about: 'Threads you watch or muted.',
          rows: (userId) =>
            db.query('SELECT thread_id AS "threadId", level FROM forum_subscriptions WHERE user_id = $1', [userId]),
        },
        {
          name: 'readState',
          about: 'How far you have read in each thread.',
          rows: (userId) =>
            db
              .query('SELECT * FROM forum_read_states WHERE user_id = $1', [userId])
              .then((rows: Record<string, unknown>[]) => rows.map(({ user_id: _user, ...rest }) => rest)),
        },
        {
          name: 'replyAddresses',
          about: 'Reply-by-email addresses given to you in notifications (only when each was made and expires).',
          rows: (userId) =>
            db.query(
              'SELECT thread_id AS "threadId", created_at AS "createdAt", expires_at AS "expiresAt" FROM forum_reply_tokens WHERE user_id = $1 ORDER BY created_at',
              [userId],
            ),
        },
      ],
      close: async (userId) => {
        await db.query('UPDATE forum_post_mentions SET handle = $2 WHERE user_id = $1', [
          userId,
          formerMemberHandle(userId),
        ]);
        for (const table of ['forum_bookmarks', 'forum_subscriptions', 'forum_read_states', 'forum_reply_tokens']) {
          await db.query(`DELETE FROM ${table} WHERE user_id = $1`, [userId]);
        }
      },
    });
  }
}
