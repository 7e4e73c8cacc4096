import { Injectable } from '@nestjs/common';
import { Sql, SqlPort } from '@cophub/core';
import { insertInboundStatement, storeSubmissionStatement } from './inbound.statements';

/** A community as inbound mail sees it: its address settings with their defaults. */
export interface MailCommunityRow {
  id: string;
  slug: string;
  name: string;
  enabled: boolean;
  acceptDmarcFailures: boolean;
}

/** The sender of a share as a member: a verified, open account with that address, and its membership status. */
export interface MailMemberRow {
  id: string;
  email: string;
  displayName: string;
  status: string | null;
}

export interface MailUserRow {
  id: string;
  email: string;
  displayName: string;
}

/** The values of a submission and its attachments, after the message row's values. */
export interface SubmissionValues {
  communityId: string;
  address: 'share' | 'resources';
  senderId: string | null;
  senderAddress: string;
  subject: string;
  body: string;
  status: 'held' | 'pending';
  holdReason: string | null;
  files: Array<{
    fileName: string;
    kind: string;
    mediaType: string;
    sizeBytes: number;
    sha256: string;
    storageKey: string;
  }>;
  headerTo: string[];
  headerCc: string[];
}

interface CommunitySql {
  id: string;
  slug: string;
  name: string;
  enabled: boolean;
  accept_dmarc_failures: boolean;
}

const toCommunity = ({ accept_dmarc_failures, ...row }: CommunitySql): MailCommunityRow => ({
  ...row,
  acceptDmarcFailures: accept_dmarc_failures,
});

/** Every statement on `inbound_messages`, and the reads of communities and members (identity's published columns) that inbound mail needs. */
@Injectable()
export class InboundRepository {
  constructor(private readonly sql: SqlPort) {}

  async community(slug: string): Promise<MailCommunityRow | null> {
    const row = await this.sql.maybeOne<CommunitySql>(
      `SELECT c.id, c.slug, c.name, coalesce(s.enabled, true) AS enabled,
              coalesce(s.accept_dmarc_failures, false) AS accept_dmarc_failures
         FROM communities c LEFT JOIN community_mail_settings s ON s.community_id = c.id
        WHERE c.slug = $1`,
      [slug],
    );
    return row ? toCommunity(row) : null;
  }

  /**
   * The community a share address names and the sender as a member of it, in one round trip: the
   * member is null unless the address belongs to a verified, open account (membership status aside).
   */
  async communityAndMember(
    slug: string,
    address: string,
  ): Promise<{ community: MailCommunityRow; member: MailMemberRow | null } | null> {
    const row = await this.sql.maybeOne<
      CommunitySql & {
        member_id: string | null;
        member_email: string;
        member_display_name: string;
        member_status: string | null;
      }
    >(
      `SELECT c.id, c.slug, c.name, coalesce(s.enabled, true) AS enabled,
              coalesce(s.accept_dmarc_failures, false) AS accept_dmarc_failures,
              u.id AS member_id, u.email AS member_email, u.display_name AS member_display_name,
              m.status AS member_status
         FROM communities c
         LEFT JOIN community_mail_settings s ON s.community_id = c.id
         LEFT JOIN users u ON u.email = lower($2) AND $2 <> ''
                          AND u.email_verified_at IS NOT NULL AND u.closed_at IS NULL
         LEFT JOIN memberships m ON m.user_id = u.id AND m.community_id = c.id
        WHERE c.slug = $1`,
      [slug, address],
    );
    if (!row) return null;
    const { member_id, member_email, member_display_name, member_status, ...community } = row;
    return {
      community: toCommunity(community),
      member: member_id
        ? { id: member_id, email: member_email, displayName: member_display_name, status: member_status }
        : null,
    };
  }

  /** An open account by id (the member a reply address was issued to). */
  async openUser(userId: string): Promise<MailUserRow | null> {
    const row = await this.sql.maybeOne<{ id: string; email: string; display_name: string }>(
      'SELECT id, email, display_name FROM users WHERE id = $1 AND closed_at IS NULL',
      [userId],
    );
    return row ? { id: row.id, email: row.email, displayName: row.display_name } : null;
  }

  async communityName(tx: Sql, communityId: string): Promise<string | null> {
    const row = await tx.maybeOne<{ name: string }>('SELECT name FROM communities WHERE id = $1', [communityId]);
    return row?.name ?? null;
  }

  /**
   * Inserts the message's row, or nothing when its Message-ID is already stored. Inside a
   * transaction the unique key makes a concurrent duplicate wait for the first and then do nothing.
   */
  async insert(values: unknown[], db: Sql = this.sql): Promise<string | null> {
    const row = await db.maybeOne<{ id: string }>(insertInboundStatement(values.length), values);
    return row?.id ?? null;
  }

  /** The message's row, its submission and attachments in one statement; null for a Message-ID already stored. */
  async insertSubmission(
    tx: Sql,
    inbound: unknown[],
    s: SubmissionValues,
  ): Promise<{ id: string; submissionId: string } | null> {
    const row = await tx.maybeOne<{ id: string; submission_id: string }>(storeSubmissionStatement(inbound.length), [
      ...inbound,
      s.communityId,
      s.address,
      s.senderId,
      s.senderAddress,
      s.subject,
      s.body,
      s.status,
      s.holdReason,
      s.files.map((f) => f.fileName),
      s.files.map((f) => f.kind),
      s.files.map((f) => f.mediaType),
      s.files.map((f) => f.sizeBytes),
      s.files.map((f) => f.sha256),
      s.files.map((f) => f.storageKey),
      s.headerTo,
      s.headerCc,
    ]);
    return row ? { id: row.id, submissionId: row.submission_id } : null;
  }

  /** After an inbound reply was confirmed by its member. */
  markConfirmedPosted(tx: Sql, inboundMessageId: string): Promise<number> {
    return tx.count(
      `UPDATE inbound_messages SET outcome = 'posted', reason = 'confirmed by the member' WHERE id = $1`,
      [inboundMessageId],
    );
  }

  /** Deletes the bytes of up to 500 messages older than the retention; returns how many. */
  purgeRawBatch(retentionDays: number, now: Date): Promise<number> {
    return this.sql.count(
      `UPDATE inbound_messages SET raw = NULL, raw_deleted_at = $2
          WHERE id IN (SELECT id FROM inbound_messages
                        WHERE raw IS NOT NULL AND received_at < $2::timestamptz - make_interval(days => $1)
                        LIMIT 500)`,
      [retentionDays, now],
    );
  }
}
