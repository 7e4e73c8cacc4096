import { Injectable } from '@nestjs/common';
import { hashToken, newSecretToken, Sql, SqlPort } from '@cophub/core';
import { PostService } from '@cophub/forum';
import { InboundRepository } from '../db/inbound.repository';
import { ConfirmationRow, ReplyConfirmationRepository } from '../db/reply-confirmation.repository';
import { MailInError, MailInErrorCode } from '../errors/mail-in.error';

export interface PendingReply {
  id: string;
  userId: string;
  threadId: string;
  communityId: string;
  body: string;
  expiresAt: Date;
}

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
    private readonly sql: SqlPort,
    private readonly confirmations: ReplyConfirmationRepository,
    private readonly inbound: InboundRepository,
    private readonly posts: PostService,
  ) {}

  /** Writes a pending reply in the caller's transaction and returns the token for the link. */
  async create(
    tx: Sql,
    input: { inboundMessageId: string; communityId: string; userId: string; threadId: string; body: string },
    hours: number,
  ): Promise<string> {
    const { token, hash } = newSecretToken();
    await this.confirmations.insert(tx, hash, input, hours);
    return token;
  }

  /** How many replies of this member wait for confirmation from the last day (a cap on such mail). */
  waitingFor(tx: Sql, userId: string): Promise<number> {
    return this.confirmations.waitingFor(tx, userId);
  }

  private async find(db: Sql, token: string | undefined, lock: boolean): Promise<ConfirmationRow> {
    if (!token || !TOKEN_SHAPE.test(token)) {
      throw new MailInError(MailInErrorCode.ConfirmationInvalid, 'This link is not a valid "post this reply" link');
    }
    const row = await this.confirmations.byTokenHash(hashToken(token), lock, db);
    if (!row)
      throw new MailInError(MailInErrorCode.ConfirmationInvalid, 'This link is not a valid "post this reply" link');
    if (row.usedAt) throw new MailInError(MailInErrorCode.ConfirmationUsed, 'This reply has already been posted');
    if (row.expiresAt.getTime() <= Date.now()) {
      throw new MailInError(
        MailInErrorCode.ConfirmationExpired,
        'This link has expired; please post your reply on the website instead',
      );
    }
    return row;
  }

  /** What the link would post (the page the link opens shows it; opening it changes nothing). */
  async preview(token: string | undefined): Promise<PendingReply> {
    const row = await this.find(this.sql, token, false);
    return {
      id: row.id,
      userId: row.userId,
      threadId: row.threadId,
      communityId: row.communityId,
      body: row.body,
      expiresAt: row.expiresAt,
    };
  }

  /** Posts the reply as the member, once. */
  async confirm(token: string | undefined): Promise<{ postId: string; threadId: string; communitySlug: string }> {
    const posted = await this.sql.transaction(async (tx, manager) => {
      const row = await this.find(tx, token, true);
      const reply = await this.posts.replyWithin(
        manager,
        { id: row.userId, isAdmin: false, sessionId: 'email' },
        row.threadId,
        { body: row.body },
      );
      await this.confirmations.markUsed(tx, row.id, reply.post.id);
      await this.inbound.markConfirmedPosted(tx, row.inboundMessageId);
      const slug = await this.confirmations.communitySlug(tx, row.communityId);
      return { postId: reply.post.id, threadId: row.threadId, slug, announce: reply.announce };
    });
    posted.announce();
    return { postId: posted.postId, threadId: posted.threadId, communitySlug: posted.slug };
  }
}
