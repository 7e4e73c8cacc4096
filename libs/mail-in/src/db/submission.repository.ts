import { Injectable } from '@nestjs/common';
import { Page, Sql, SqlPort, toPage } from '@cophub/core';
import type { FileKind } from '@cophub/resources';
import type { AuthVerdict } from '../services/sender-authentication';

export type SubmissionStatus = 'pending' | 'held' | 'publishing' | 'published' | 'declined';

export interface SubmissionRow {
  id: string;
  communityId: string;
  address: 'share' | 'resources';
  status: SubmissionStatus;
  holdReason: string | null;
  senderId: string | null;
  senderName: string | null;
  senderEmail: string | null;
  senderAddress: string;
  headerTo: string[];
  headerCc: string[];
  subject: string;
  bodyText: string;
  createdAt: Date;
  auth: AuthVerdict;
  decisionNote: string | null;
  decidedAt: Date | null;
  threadId: string | null;
  resourceId: string | null;
}

export interface AttachmentRow {
  id: string;
  submissionId: string;
  fileName: string;
  kind: FileKind;
  mediaType: string;
  sizeBytes: string;
  sha256: string;
  storageKey: string | null;
  resourceId: string | null;
}

export interface MailSettingsRow {
  enabled: boolean;
  acceptDmarcFailures: boolean;
}

const SELECT = `SELECT s.id, s.community_id AS "communityId", s.address, s.status, s.hold_reason AS "holdReason",
       s.sender_id AS "senderId", u.display_name AS "senderName", u.email AS "senderEmail",
       s.sender_address AS "senderAddress", s.header_to AS "headerTo", s.header_cc AS "headerCc", s.subject,
       s.body_text AS "bodyText", s.created_at AS "createdAt", i.auth, s.decision_note AS "decisionNote",
       s.decided_at AS "decidedAt", s.thread_id AS "threadId", s.resource_id AS "resourceId"
  FROM mail_submissions s
  JOIN inbound_messages i ON i.id = s.inbound_message_id
  LEFT JOIN users u ON u.id = s.sender_id`;

const ATTACHMENT_COLUMNS = `id, submission_id AS "submissionId", file_name AS "fileName", kind, media_type AS "mediaType",
  size_bytes AS "sizeBytes", sha256, storage_key AS "storageKey", resource_id AS "resourceId"`;

/**
 * Every statement on `mail_submissions`, `mail_submission_attachments` and `community_mail_settings`. A
 * submission is read by its community; the writes after that take the id the community-scoped read gave.
 */
@Injectable()
export class SubmissionRepository {
  constructor(private readonly sql: SqlPort) {}

  async list(
    communityId: string,
    status: SubmissionStatus | undefined,
    limit: number,
    after?: [Date, string],
  ): Promise<Page<SubmissionRow>> {
    const params: unknown[] = [communityId, limit + 1];
    let where = 's.community_id = $1';
    if (status) {
      params.push(status);
      where += ` AND s.status = $${params.length}`;
    }
    if (after) {
      params.push(after[0], after[1]);
      where += ` AND (s.created_at, s.id) < ($${params.length - 1}, $${params.length})`;
    }
    const rows = await this.sql.rows<SubmissionRow>(
      `${SELECT} WHERE ${where} ORDER BY s.created_at DESC, s.id DESC LIMIT $2`,
      params,
    );
    return toPage(rows, limit, (r) => [r.createdAt.toISOString(), r.id]);
  }

  find(communityId: string, id: string, db: Sql = this.sql): Promise<SubmissionRow | null> {
    return db.maybeOne<SubmissionRow>(`${SELECT} WHERE s.id = $1 AND s.community_id = $2`, [id, communityId]);
  }

  attachments(communityId: string, submissionIds: string[]): Promise<AttachmentRow[]> {
    return this.sql.rows<AttachmentRow>(
      `SELECT ${ATTACHMENT_COLUMNS} FROM mail_submission_attachments
        WHERE submission_id = ANY($1::uuid[]) AND community_id = $2 ORDER BY position`,
      [submissionIds, communityId],
    );
  }

  /** Moves the submission to `publishing` from one of `from`; false when it was not in one of them. */
  async claim(communityId: string, id: string, from: SubmissionStatus[]): Promise<boolean> {
    const count = await this.sql.count(
      `UPDATE mail_submissions SET status = 'publishing'
        WHERE id = $1 AND community_id = $2 AND status = ANY($3::text[])`,
      [id, communityId, from],
    );
    return count === 1;
  }

  /** Back from `publishing` to `status` after a decision failed. */
  async release(communityId: string, id: string, status: SubmissionStatus): Promise<void> {
    await this.sql.exec(
      `UPDATE mail_submissions SET status = $3 WHERE id = $1 AND community_id = $2 AND status = 'publishing'`,
      [id, communityId, status],
    );
  }

  async decide(
    tx: Sql,
    communityId: string,
    id: string,
    decision: {
      status: 'published' | 'declined';
      note: string | null;
      by: string;
      threadId: string | null;
      resourceId: string | null;
    },
  ): Promise<void> {
    await tx.exec(
      `UPDATE mail_submissions SET status = $3, decision_note = $4, decided_by = $5, decided_at = now(),
                thread_id = coalesce($6, thread_id), resource_id = coalesce($7, resource_id)
          WHERE id = $1 AND community_id = $2`,
      [id, communityId, decision.status, decision.note, decision.by, decision.threadId, decision.resourceId],
    );
  }

  async linkResource(tx: Sql, communityId: string, submissionId: string, resourceId: string): Promise<void> {
    await tx.exec('UPDATE mail_submissions SET resource_id = $3 WHERE id = $1 AND community_id = $2', [
      submissionId,
      communityId,
      resourceId,
    ]);
  }

  async linkAttachment(tx: Sql, communityId: string, attachmentId: string, resourceId: string): Promise<void> {
    await tx.exec('UPDATE mail_submission_attachments SET resource_id = $3 WHERE id = $1 AND community_id = $2', [
      attachmentId,
      communityId,
      resourceId,
    ]);
  }

  async unlinkAttachments(communityId: string, submissionId: string): Promise<void> {
    await this.sql.exec(
      'UPDATE mail_submission_attachments SET resource_id = NULL WHERE submission_id = $1 AND community_id = $2',
      [submissionId, communityId],
    );
  }

  async forgetStoredFile(communityId: string, attachmentId: string): Promise<void> {
    await this.sql.exec(
      'UPDATE mail_submission_attachments SET storage_key = NULL WHERE id = $1 AND community_id = $2',
      [attachmentId, communityId],
    );
  }

  settings(communityId: string): Promise<MailSettingsRow | null> {
    return this.sql.maybeOne<MailSettingsRow>(
      `SELECT enabled, accept_dmarc_failures AS "acceptDmarcFailures" FROM community_mail_settings
        WHERE community_id = $1`,
      [communityId],
    );
  }

  async saveSettings(
    tx: Sql,
    communityId: string,
    changes: { enabled?: boolean; acceptDmarcFailures?: boolean },
  ): Promise<void> {
    await tx.exec(
      `INSERT INTO community_mail_settings (community_id, enabled, accept_dmarc_failures) VALUES ($1, coalesce($2, true), coalesce($3, false))
         ON CONFLICT (community_id) DO UPDATE
           SET enabled = coalesce($2, community_mail_settings.enabled),
               accept_dmarc_failures = coalesce($3, community_mail_settings.accept_dmarc_failures),
               updated_at = now()`,
      [communityId, changes.enabled ?? null, changes.acceptDmarcFailures ?? null],
    );
  }
}
