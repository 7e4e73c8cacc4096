import { Injectable } from '@nestjs/common';
import { Columns, Row, Sql, SqlPort } from '@cophub/core';
import { FlagStatus } from './enums';
import { BUMP_THREAD_OF_POST } from './forum.sql';

export type FlagRow = Columns<'forum_flags', 'id' | 'post_id' | 'reason' | 'created_at' | 'reporter_id'> &
  Columns<'forum_posts', 'thread_id' | 'post_number' | 'body_html' | 'body_text' | 'hidden_at'> & {
    status: FlagStatus;
    reporter_name: Row<'users'>['display_name'] | null;
    thread_title: Row<'forum_threads'>['title'];
  };

export type LockedFlag = Columns<'forum_flags', 'id' | 'post_id'> &
  Columns<'forum_posts', 'thread_id' | 'post_number'> & { status: FlagStatus };

/** The moderators' statements: pins, locks and moves of threads, hidden posts and the flag queue. */
@Injectable()
export class ModerationRepository {
  constructor(private readonly sql: SqlPort) {}

  /** Sets `pinned` or `locked` (bumping the version); false when it already had that value. */
  async setThreadFlag(
    tx: Sql,
    communityId: string,
    threadId: string,
    column: 'pinned' | 'locked',
    value: boolean,
  ): Promise<boolean> {
    const rows = await tx.rows(
      `UPDATE forum_threads SET ${column} = $2, version = version + 1, updated_at = now()
        WHERE id = $1 AND ${column} <> $2 AND community_id = $3 RETURNING id`,
      [threadId, value, communityId],
    );
    return rows.length > 0;
  }

  async moveThread(tx: Sql, communityId: string, threadId: string, categoryId: string): Promise<void> {
    await tx.exec(
      'UPDATE forum_threads SET category_id = $2, version = version + 1, updated_at = now() WHERE id = $1 AND community_id = $3',
      [threadId, categoryId, communityId],
    );
  }

  /** Hides the post (bumping its thread's version); the new version, or null when it already was hidden. */
  async hidePost(
    tx: Sql,
    communityId: string,
    postId: string,
    at: Date,
    by: string,
    reason: string | null,
  ): Promise<number | null> {
    const row = await tx.maybeOne<{ version: number }>(
      `WITH changed AS (
         UPDATE forum_posts SET hidden_at = $2, hidden_by = $3, hidden_reason = $4, version = version + 1, updated_at = now()
          WHERE id = $1 AND hidden_at IS NULL AND community_id = $5 RETURNING thread_id, version),
       bumped AS (${BUMP_THREAD_OF_POST('changed')})
       SELECT version FROM changed`,
      [postId, at, by, reason, communityId],
    );
    return row?.version ?? null;
  }

  /** Shows the post again; the new version, or null when it was not hidden. */
  async unhidePost(tx: Sql, communityId: string, postId: string): Promise<number | null> {
    const row = await tx.maybeOne<{ version: number }>(
      `WITH changed AS (
         UPDATE forum_posts SET hidden_at = NULL, hidden_by = NULL, hidden_reason = NULL, version = version + 1, updated_at = now()
          WHERE id = $1 AND hidden_at IS NOT NULL AND community_id = $2 RETURNING thread_id, version),
       bumped AS (${BUMP_THREAD_OF_POST('changed')})
       SELECT version FROM changed`,
      [postId, communityId],
    );
    return row?.version ?? null;
  }

  /** Settles every open flag on the post as acted on. */
  async actionOpenFlags(tx: Sql, communityId: string, postId: string, by: string, at: Date): Promise<void> {
    await tx.exec(
      `UPDATE forum_flags SET status = 'actioned', resolved_by = $2, resolved_at = $3
        WHERE post_id = $1 AND status = 'open' AND community_id = $4`,
      [postId, by, at, communityId],
    );
  }

  async insertFlag(
    tx: Sql,
    flag: { communityId: string; postId: string; reporterId: string; reason: string; at: Date },
  ): Promise<string> {
    const row = await tx.one<{ id: string }>(
      `INSERT INTO forum_flags (community_id, post_id, reporter_id, reason, created_at) VALUES ($1, $2, $3, $4, $5) RETURNING id`,
      [flag.communityId, flag.postId, flag.reporterId, flag.reason, flag.at],
    );
    return row.id;
  }

  /** The moderation queue, newest first, keyset over (created_at, id); one more than asked. */
  flags(
    communityId: string,
    status: FlagStatus,
    limit: number,
    before?: { at: unknown; id: unknown },
  ): Promise<FlagRow[]> {
    const params: unknown[] = [communityId, status, limit + 1];
    let where = '';
    if (before) {
      params.push(before.at, before.id);
      where = 'AND (f.created_at, f.id) < ($4, $5)';
    }
    return this.sql.rows<FlagRow>(
      `SELECT f.id, f.post_id, f.reason, f.status, f.created_at, f.reporter_id, u.display_name AS reporter_name,
              p.thread_id, p.post_number, p.body_html, p.body_text, p.hidden_at, t.title AS thread_title
         FROM forum_flags f
         JOIN forum_posts p ON p.id = f.post_id
         JOIN forum_threads t ON t.id = p.thread_id
         LEFT JOIN users u ON u.id = f.reporter_id
        WHERE f.community_id = $1 AND f.status = $2 ${where}
        ORDER BY f.created_at DESC, f.id DESC LIMIT $3`,
      params,
    );
  }

  /** The flag with its post's place, locked for resolving. */
  lockFlag(tx: Sql, communityId: string, flagId: string): Promise<LockedFlag | null> {
    return tx.maybeOne<LockedFlag>(
      `SELECT f.id, f.status, f.post_id, p.thread_id, p.post_number
         FROM forum_flags f JOIN forum_posts p ON p.id = f.post_id
        WHERE f.id = $1 AND f.community_id = $2 FOR UPDATE OF f`,
      [flagId, communityId],
    );
  }

  async resolveFlag(
    tx: Sql,
    communityId: string,
    flagId: string,
    status: FlagStatus,
    by: string,
    at: Date,
  ): Promise<void> {
    await tx.exec(
      `UPDATE forum_flags SET status = $2, resolved_by = $3, resolved_at = $4
        WHERE id = $1 AND status = 'open' AND community_id = $5`,
      [flagId, status, by, at, communityId],
    );
  }
}
