import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { createHmac, timingSafeEqual } from 'node:crypto';
import { APP_CONFIG, AppConfig } from '@cophub/core';
import { DataSource, EntityManager } from 'typeorm';

const ALPHABET = 'abcdefghijklmnopqrstuvwxyz234567';
const MAC_BYTES = 10;

/** RFC 4648 base32, lower case and unpadded: mail systems may change the case of a local part. */
export function base32Encode(bytes: Buffer): string {
  let bits = 0;
  let value = 0;
  let out = '';
  for (const byte of bytes) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += ALPHABET[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += ALPHABET[(value << (5 - bits)) & 31];
  return out;
}

export function base32Decode(text: string): Buffer | null {
  let bits = 0;
  let value = 0;
  const out: number[] = [];
  for (const char of text.toLowerCase()) {
    const index = ALPHABET.indexOf(char);
    if (index < 0) return null;
    value = (value << 5) | index;
    bits += 5;
    if (bits >= 8) {
      out.push((value >>> (bits - 8)) & 255);
      bits -= 8;
    }
  }
  return Buffer.from(out);
}

const uuidToBytes = (id: string) => Buffer.from(id.replace(/-/g, ''), 'hex');
const bytesToUuid = (b: Buffer) => b.toString('hex').replace(/^(.{8})(.{4})(.{4})(.{4})(.{12})$/, '$1-$2-$3-$4-$5');

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
    @InjectDataSource() private readonly dataSource: DataSource,
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
    manager: EntityManager,
    userIds: string[],
    thread: { id: string; communityId: string },
  ): Promise<Map<string, string>> {
    const addresses = new Map<string, string>();
    if (!this.enabled || !userIds.length) return addresses;
    const rows = (await manager.query(
      `INSERT INTO forum_reply_tokens (user_id, thread_id, community_id, expires_at)
       SELECT u, $2, $3, now() + make_interval(days => $4) FROM unnest($1::uuid[]) AS u
       ON CONFLICT (user_id, thread_id) DO UPDATE SET expires_at = EXCLUDED.expires_at
       RETURNING id, user_id`,
      [userIds, thread.id, thread.communityId, this.config.mailIn.replyTokenDays],
    )) as Array<{ id: string; user_id: string }>;
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
    const [row] = (await this.dataSource.query(
      'SELECT user_id, thread_id, community_id, expires_at FROM forum_reply_tokens WHERE id = $1',
      [id],
    )) as Array<{ user_id: string; thread_id: string; community_id: string; expires_at: Date }>;
    if (!row) return { ok: false, reason: 'invalid' };
    const expected = Buffer.from(this.tokenFor(id, row.user_id, row.thread_id));
    const given = Buffer.from(token.toLowerCase());
    if (expected.length !== given.length || !timingSafeEqual(expected, given)) return { ok: false, reason: 'invalid' };
    if (row.expires_at.getTime() < Date.now()) return { ok: false, reason: 'expired' };
    return { ok: true, userId: row.user_id, threadId: row.thread_id, communityId: row.community_id };
  }
}
