import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { createHash, randomBytes } from 'node:crypto';
import { PostService } from '@cophub/forum';
import { DataSource, EntityManager } from 'typeorm';
import { MailInError, MailInErrorCode } from '../errors/mail-in.error';

export interface PendingReply {
  id: string;
  userId: string;
  threadId: string;
  communityId: string;
  body: string;
  expiresAt: Date;
}

interface ConfirmationRow {
  id: string;
  inbound_message_id: string;
  user_id: string;
  thread_id: string;
  community_id: string;
  body: string;
  expires_at: Date;
  used_at: Date | null;
}

const hashOf = (token: string) => createHash('sha256').update(token).digest('hex');

/** A token is 32 random bytes in base64url: 43 characters. */
const TOKEN_SHAPE = /^[A-Za-z0-9_-]{43}$/;

/**
 * "Post this reply": an emailed reply that did not prove its sender waits for the member to confirm
 * it through a single-use link sent to their registered address. Only the token's hash is stored;
 * the click claims the row (`used_at`) in the same transaction that posts the reply, so two clicks
 * at once post it once, and a refusal (a locked thread) keeps nothing and leaves the link unused.
 */
@Injectable()
export class ReplyConfirmationService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly posts: PostService,
  ) {}

  /** Writes a pending reply in the caller's transaction and returns the token for the link. */
  async create(
    manager: EntityManager,
    input: { inboundMessageId: string; communityId: string; userId: string; threadId: string; body: string },
    hours: number,
  ): Promise<string> {
    const token = randomBytes(32).toString('base64url');
    await manager.query(
      `INSERT INTO mail_reply_confirmations (token_hash, inbound_message_id, community_id, user_id, thread_id, body, expires_at)
       VALUES ($1, $2, $3, $4, $5, $6, now() + make_interval(hours => $7))`,
      [hashOf(token), input.inboundMessageId, input.communityId, input.userId, input.threadId, input.body, hours],
    );
    return token;
  }

  /** How many replies of this member wait for confirmation from the last day (a cap on such mail). */
  async waitingFor(manager: EntityManager, userId: string): Promise<number> {
    const [row] = (await manager.query(
      `SELECT count(*)::int AS n FROM mail_reply_confirmations
        WHERE user_id = $1 AND used_at IS NULL AND created_at > now() - interval '1 day'`,
      [userId],
    )) as Array<{ n: number }>;
    return row.n;
  }

  private async find(manager: EntityManager, token: string | undefined, lock: boolean): Promise<ConfirmationRow> {
    if (!token || !TOKEN_SHAPE.test(token)) {
      throw new MailInError(MailInErrorCode.ConfirmationInvalid, 'This link is not a valid "post this reply" link');
    }
    const [row] = (await manager.query(
      `SELECT * FROM mail_reply_confirmations WHERE token_hash = $1${lock ? ' FOR UPDATE' : ''}`,
      [hashOf(token)],
    )) as ConfirmationRow[];
    if (!row)
      throw new MailInError(MailInErrorCode.ConfirmationInvalid, 'This link is not a valid "post this reply" link');
    if (row.used_at) throw new MailInError(MailInErrorCode.ConfirmationUsed, 'This reply has already been posted');
    if (row.expires_at.getTime() <= Date.now()) {
      throw new MailInError(
        MailInErrorCode.ConfirmationExpired,
        'This link has expired; please post your reply on the website instead',
      );
    }
    return row;
  }

  /** What the link would post (the page the link opens shows it; opening it changes nothing). */
  async preview(token: string | undefined): Promise<PendingReply> {
    const row = await this.find(this.dataSource.manager, token, false);
    return {
      id: row.id,
      userId: row.user_id,
      threadId: row.thread_id,
      communityId: row.community_id,
      body: row.body,
      expiresAt: row.expires_at,
    };
  }

  /** Posts the reply as the member, once. */
  async confirm(token: string | undefined): Promise<{ postId: string; threadId: string; communitySlug: string }> {
    const posted = await this.dataSource.transaction(async (manager) => {
      const row = await this.find(manager, token, true);
      const reply = await this.posts.replyWithin(
        manager,
        { id: row.user_id, isAdmin: false, sessionId: 'email' },
        row.thread_id,
        { body: row.body },
      );
      await manager.query('UPDATE mail_reply_confirmations SET used_at = now(), post_id = $2 WHERE id = $1', [
        row.id,
        reply.post.id,
      ]);
      await manager.query(
        `UPDATE inbound_messages SET outcome = 'posted', reason = 'confirmed by the member' WHERE id = $1`,
        [row.inbound_message_id],
      );
      const [community] = (await manager.query('SELECT slug FROM communities WHERE id = $1', [
        row.community_id,
      ])) as Array<{ slug: string }>;
      return { postId: reply.post.id, threadId: row.thread_id, slug: community.slug, announce: reply.announce };
    });
    posted.announce();
    return { postId: posted.postId, threadId: posted.threadId, communitySlug: posted.slug };
  }
}
