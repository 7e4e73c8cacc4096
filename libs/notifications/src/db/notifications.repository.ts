import { Injectable } from '@nestjs/common';
import { Queryable, Sql, SqlPort } from '@cophub/core';
import { NotificationChannel, NotificationKind } from '../domain/enums';

/** A notification as the module reads it. */
export interface NotificationRow {
  id: string;
  userId: string;
  communityId: string | null;
  kind: NotificationKind;
  title: string;
  body: string;
  url: string;
  readAt: Date | null;
  createdAt: Date;
}

/** A notification to write; `digestPending` when it waits for the daily digest. */
export interface NewNotification {
  userId: string;
  kind: NotificationKind;
  communityId: string | null;
  title: string;
  body: string;
  url: string;
  data: Record<string, unknown>;
  digestPending: boolean;
}

export interface PreferenceRow {
  userId: string;
  kind: NotificationKind;
  channel: NotificationChannel;
}

export interface DigestItemRow {
  id: string;
  title: string;
  url: string;
}

const NOTIFICATION_COLUMNS = `n.id, n.user_id AS "userId", n.community_id AS "communityId", n.kind, n.title, n.body,
  n.url, n.read_at AS "readAt", n.created_at AS "createdAt"`;

/** Every statement on `notifications` and `notification_preferences`; each takes the user whose rows they are. */
@Injectable()
export class NotificationsRepository {
  constructor(private readonly sql: SqlPort) {}

  /** The channels the users chose for the kinds asked about (kinds without a row use the default). */
  preferences(userIds: string[], kinds: NotificationKind[], db: Sql = this.sql): Promise<PreferenceRow[]> {
    return db.rows<PreferenceRow>(
      `SELECT user_id AS "userId", kind, channel FROM notification_preferences
        WHERE user_id = ANY($1::uuid[]) AND kind = ANY($2::text[])`,
      [userIds, kinds],
    );
  }

  /**
   * Of the (person, kind) pairs, those whose owner chose a channel that leaves this email out: anything but email,
   * or for a `timely` one (a reminder, which a daily summary would bring too late) the bell only or nothing.
   */
  async notEmailed(
    db: Queryable,
    wanted: ReadonlyArray<{ userId: string; kind: string }>,
    timely: boolean,
  ): Promise<Array<{ userId: string; kind: string }>> {
    return Sql.over(db).rows<{ userId: string; kind: string }>(
      timely
        ? `SELECT p.user_id AS "userId", p.kind FROM notification_preferences p
             JOIN unnest($1::uuid[], $2::text[]) AS wanted(user_id, kind)
               ON wanted.user_id = p.user_id AND wanted.kind = p.kind
            WHERE p.channel IN ('off', 'in_app')`
        : `SELECT p.user_id AS "userId", p.kind FROM notification_preferences p
             JOIN unnest($1::uuid[], $2::text[]) AS wanted(user_id, kind)
               ON wanted.user_id = p.user_id AND wanted.kind = p.kind
            WHERE p.channel <> 'email'`,
      [wanted.map((w) => w.userId), wanted.map((w) => w.kind)],
    );
  }

  /** Of `userIds`, those who already have a notification of `kind` about the post (`data.postId`). */
  async notifiedAboutPost(
    db: Queryable,
    kind: NotificationKind,
    postId: string,
    userIds: string[],
  ): Promise<Set<string>> {
    if (!userIds.length) return new Set();
    const rows = await Sql.over(db).rows<{ userId: string }>(
      `SELECT DISTINCT n.user_id AS "userId" FROM notifications n
        WHERE n.user_id = ANY($1::uuid[]) AND n.kind = $2 AND n.data->>'postId' = $3`,
      [userIds, kind, postId],
    );
    return new Set(rows.map((r) => r.userId));
  }

  /** Sets each kind's channel, replacing an earlier choice. */
  async upsertPreferences(userId: string, rows: Array<{ kind: NotificationKind; channel: NotificationChannel }>) {
    await this.sql.exec(
      `INSERT INTO notification_preferences (user_id, kind, channel)
       SELECT $1, kind, channel FROM unnest($2::text[], $3::text[]) AS p(kind, channel)
       ON CONFLICT (user_id, kind) DO UPDATE SET channel = EXCLUDED.channel`,
      [userId, rows.map((r) => r.kind), rows.map((r) => r.channel)],
    );
  }

  /** Writes the notifications in one statement; answers each new id with its user. */
  insert(tx: Sql, rows: NewNotification[]): Promise<Array<{ id: string; userId: string }>> {
    return tx.rows<{ id: string; userId: string }>(
      `INSERT INTO notifications (user_id, kind, community_id, title, body, url, data, digest_pending)
       SELECT * FROM unnest($1::uuid[], $2::text[], $3::uuid[], $4::text[], $5::text[], $6::text[], $7::jsonb[], $8::boolean[])
       RETURNING id, user_id AS "userId"`,
      [
        rows.map((r) => r.userId),
        rows.map((r) => r.kind),
        rows.map((r) => r.communityId),
        rows.map((r) => r.title),
        rows.map((r) => r.body),
        rows.map((r) => r.url),
        rows.map((r) => JSON.stringify(r.data)),
        rows.map((r) => r.digestPending),
      ],
    );
  }

  /** A user's notifications, newest first, from before the cursor's (createdAt, id); `limit` rows at most. */
  list(
    userId: string,
    limit: number,
    unreadOnly: boolean,
    before: { createdAt: string; id: string } | null,
  ): Promise<NotificationRow[]> {
    const params: unknown[] = [userId, limit];
    const where = ['n.user_id = $1'];
    if (unreadOnly) where.push('n.read_at IS NULL');
    if (before) {
      params.push(before.createdAt, before.id);
      where.push('(n.created_at, n.id) < ($3, $4)');
    }
    return this.sql.rows<NotificationRow>(
      `SELECT ${NOTIFICATION_COLUMNS} FROM notifications n
        WHERE ${where.join(' AND ')}
        ORDER BY n.created_at DESC, n.id DESC
        LIMIT $2`,
      params,
    );
  }

  async unreadCount(userId: string): Promise<number> {
    const row = await this.sql.one<{ count: number }>(
      'SELECT count(*)::int AS count FROM notifications WHERE user_id = $1 AND read_at IS NULL',
      [userId],
    );
    return row.count;
  }

  /** Marks the user's unread notifications read (only `ids` among them when given); answers how many. */
  markRead(userId: string, ids: string[] | 'all', at: Date): Promise<number> {
    return ids === 'all'
      ? this.sql.count('UPDATE notifications SET read_at = $2 WHERE user_id = $1 AND read_at IS NULL', [userId, at])
      : this.sql.count(
          'UPDATE notifications SET read_at = $2 WHERE user_id = $1 AND read_at IS NULL AND id = ANY($3::uuid[])',
          [userId, at, ids],
        );
  }

  /** Members with notifications waiting for a digest, in id order after `after`; at most `limit`. */
  async digestUsers(after: string, limit: number): Promise<string[]> {
    const rows = await this.sql.rows<{ userId: string }>(
      `SELECT DISTINCT n.user_id AS "userId" FROM notifications n
          WHERE n.digest_pending AND n.user_id > $1
          ORDER BY n.user_id
          LIMIT $2`,
      [after, limit],
    );
    return rows.map((r) => r.userId);
  }

  /** The user's notifications waiting for the digest, locked in `tx` (another worker's are skipped). */
  lockDigestItems(tx: Sql, userId: string): Promise<DigestItemRow[]> {
    return tx.rows<DigestItemRow>(
      `SELECT id, title, url FROM notifications WHERE user_id = $1 AND digest_pending
          ORDER BY created_at, id FOR UPDATE SKIP LOCKED`,
      [userId],
    );
  }

  /** The digest's addressee (identity's published columns). */
  digestRecipient(tx: Sql, userId: string): Promise<{ email: string; displayName: string } | null> {
    return tx.maybeOne<{ email: string; displayName: string }>(
      'SELECT email, display_name AS "displayName" FROM users WHERE id = $1',
      [userId],
    );
  }

  async markDigested(tx: Sql, ids: string[]): Promise<void> {
    await tx.exec('UPDATE notifications SET digest_pending = false WHERE id = ANY($1::uuid[])', [ids]);
  }

  /** A person's choices, for their personal data export. */
  preferencesOf(userId: string): Promise<Record<string, unknown>[]> {
    return this.sql.rows('SELECT kind, channel FROM notification_preferences WHERE user_id = $1 ORDER BY kind', [
      userId,
    ]);
  }

  /** A page of a person's notifications after `after` (by id), for their personal data export. */
  pageOf(userId: string, after: string | null, size: number): Promise<Array<{ id: string } & Record<string, unknown>>> {
    return this.sql.rows(
      `SELECT id, kind, title, body, url, read_at AS "readAt", created_at AS "createdAt" FROM notifications
                    WHERE user_id = $1 AND ($2::uuid IS NULL OR id > $2::uuid) ORDER BY id LIMIT $3`,
      [userId, after, size],
    );
  }

  /** Deletes a person's notifications and choices when their account closes. */
  async deleteAllOf(userId: string): Promise<void> {
    await this.sql.exec('DELETE FROM notifications WHERE user_id = $1', [userId]);
    await this.sql.exec('DELETE FROM notification_preferences WHERE user_id = $1', [userId]);
  }
}
