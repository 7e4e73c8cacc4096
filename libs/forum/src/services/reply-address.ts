import { Inject, Injectable } from '@nestjs/common';
import { createHmac, timingSafeEqual } from 'node:crypto';
import { APP_CONFIG, AppConfig, Queryable } from '@cophub/core';
import { base32Decode, base32Encode, bytesToUuid, uuidToBytes } from '../domain/reply-token';
import { ReplyTokenRepository } from '../db/reply-token.repository';

const MAC_BYTES = 10;

export type ReplyTokenCheck =
  { ok: true; userId: string; threadId: string; communityId: string } | { ok: false; reason: 'invalid' | 'expired' };

/**
 * Per-member, per-thread reply addresses for notification emails: `reply+<token>@MAIL_IN_DOMAIN`.
 * The token is a random row id (unguessable) followed by an HMAC over id, member and thread, so a
 * token cannot be made up or moved to another member or thread even by someone who can read the
 * table. The row carries the expiry, pushed forward each time the member is mailed about the thread.
 * 42 characters keep the local part well under the 64 that RFC 5321 allows.
 */
@Injectable()
export class ReplyAddressService {
  constructor(
    private readonly tokens: ReplyTokenRepository,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  get enabled(): boolean {
    return this.config.mailIn.domain !== null;
  }

  private mac(id: string, userId: string, threadId: string): Buffer {
    return createHmac('sha256', `reply-address:${this.config.auth.jwtSecret}`)
      .update(`${id}:${userId}:${threadId}`)
      .digest()
      .subarray(0, MAC_BYTES);
  }

  tokenFor(id: string, userId: string, threadId: string): string {
    return base32Encode(uuidToBytes(id)) + base32Encode(this.mac(id, userId, threadId));
  }

  /** Reply addresses for these members in one statement, inside the caller's transaction. */
  async issue(
    manager: Queryable,
    userIds: string[],
    thread: { id: string; communityId: string },
  ): Promise<Map<string, string>> {
    const addresses = new Map<string, string>();
    if (!this.enabled || !userIds.length) return addresses;
    const rows = await this.tokens.issue(manager, userIds, thread, this.config.mailIn.replyTokenDays);
    for (const row of rows) {
      addresses.set(row.user_id, `reply+${this.tokenFor(row.id, row.user_id, thread.id)}@${this.config.mailIn.domain}`);
    }
    return addresses;
  }

  async verify(token: string): Promise<ReplyTokenCheck> {
    if (!/^[a-z2-7]{42}$/i.test(token)) return { ok: false, reason: 'invalid' };
    const idBytes = base32Decode(token.slice(0, 26));
    if (!idBytes || idBytes.length !== 16) return { ok: false, reason: 'invalid' };
    const id = bytesToUuid(idBytes);
    const row = await this.tokens.find(id);
    if (!row) return { ok: false, reason: 'invalid' };
    const expected = Buffer.from(this.tokenFor(id, row.user_id, row.thread_id));
    const given = Buffer.from(token.toLowerCase());
    if (expected.length !== given.length || !timingSafeEqual(expected, given)) return { ok: false, reason: 'invalid' };
    if (row.expires_at.getTime() < Date.now()) return { ok: false, reason: 'expired' };
    return { ok: true, userId: row.user_id, threadId: row.thread_id, communityId: row.community_id };
  }
}
