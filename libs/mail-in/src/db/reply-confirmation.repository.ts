import { Injectable } from '@nestjs/common';
import { Sql, SqlPort } from '@cophub/core';

/** A reply waiting for its member's "post this reply" click. */
export interface ConfirmationRow {
  id: string;
  inboundMessageId: string;
  userId: string;
  threadId: string;
  communityId: string;
  body: string;
  expiresAt: Date;
  usedAt: Date | null;
}

const CONFIRMATION_COLUMNS = `id, inbound_message_id AS "inboundMessageId", user_id AS "userId", thread_id AS "threadId",
  community_id AS "communityId", body, expires_at AS "expiresAt", used_at AS "usedAt"`;

/** Every statement on `mail_reply_confirmations` (only a token's hash is stored). */
@Injectable()
export class ReplyConfirmationRepository {
  constructor(private readonly sql: SqlPort) {}

  async insert(
    tx: Sql,
    tokenHash: string,
    input: { inboundMessageId: string; communityId: string; userId: string; threadId: string; body: string },
    hours: number,
  ): Promise<void> {
    await tx.exec(
      `INSERT INTO mail_reply_confirmations (token_hash, inbound_message_id, community_id, user_id, thread_id, body, expires_at)
       VALUES ($1, $2, $3, $4, $5, $6, now() + make_interval(hours => $7))`,
      [tokenHash, input.inboundMessageId, input.communityId, input.userId, input.threadId, input.body, hours],
    );
  }

  /** How many replies of this member wait for confirmation from the last day. */
  async waitingFor(tx: Sql, userId: string): Promise<number> {
    const row = await tx.one<{ n: number }>(
      `SELECT count(*)::int AS n FROM mail_reply_confirmations
        WHERE user_id = $1 AND used_at IS NULL AND created_at > now() - interval '1 day'`,
      [userId],
    );
    return row.n;
  }

  /** The confirmation with this token hash, locked in `db` when `lock` (a second click waits, then sees it used). */
  byTokenHash(tokenHash: string, lock: boolean, db: Sql = this.sql): Promise<ConfirmationRow | null> {
    return db.maybeOne<ConfirmationRow>(
      `SELECT ${CONFIRMATION_COLUMNS} FROM mail_reply_confirmations WHERE token_hash = $1${lock ? ' FOR UPDATE' : ''}`,
      [tokenHash],
    );
  }

  async markUsed(tx: Sql, id: string, postId: string): Promise<void> {
    await tx.exec('UPDATE mail_reply_confirmations SET used_at = now(), post_id = $2 WHERE id = $1', [id, postId]);
  }

  async communitySlug(tx: Sql, communityId: string): Promise<string> {
    return (await tx.one<{ slug: string }>('SELECT slug FROM communities WHERE id = $1', [communityId])).slug;
  }
}
