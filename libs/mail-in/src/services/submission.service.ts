import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { AuditService } from '@cophub/audit';
import { APP_CONFIG, AppConfig, decodeCursor, Page, toPage } from '@cophub/core';
import { ThreadService } from '@cophub/forum';
import { CommunityAccessService, CommunityContext, CommunityRole } from '@cophub/identity';
import { MailOutboxService, MailTemplates } from '@cophub/mail';
import { FILE_STORAGE, FileKind, FileStorage, ResourceService } from '@cophub/resources';
import { DataSource, EntityManager } from 'typeorm';
import { MailInError, MailInErrorCode } from '../errors/mail-in.error';
import { communityAddresses } from '../parsing/addresses';
import type { AuthVerdict } from './sender-authentication';

export type SubmissionStatus = 'pending' | 'held' | 'publishing' | 'published' | 'declined';

export interface SubmissionAttachmentView {
  id: string;
  fileName: string;
  kind: string;
  mediaType: string;
  sizeBytes: number;
  resourceId: string | null;
}

export interface SubmissionView {
  id: string;
  address: 'share' | 'resources';
  status: SubmissionStatus;
  holdReason: string | null;
  sender: { id: string | null; displayName: string | null; address: string };
  /** To and Cc as the sender wrote them. */
  to: string[];
  cc: string[];
  subject: string;
  bodyText: string;
  receivedAt: string;
  authentication: Pick<AuthVerdict, 'spf' | 'dkim' | 'dmarc' | 'dmarcPolicy' | 'arc'>;
  attachments: SubmissionAttachmentView[];
  decisionNote: string | null;
  decidedAt: string | null;
  threadId: string | null;
  resourceId: string | null;
}

export interface MailSettingsView {
  enabled: boolean;
  acceptDmarcFailures: boolean;
  /** Null when this deployment has no inbound domain (MAIL_IN_DOMAIN). */
  addresses: { share: string; resources: string } | null;
}

interface SubmissionRow {
  id: string;
  community_id: string;
  address: 'share' | 'resources';
  status: SubmissionStatus;
  hold_reason: string | null;
  sender_id: string | null;
  sender_name: string | null;
  sender_email: string | null;
  sender_address: string;
  header_to: string[];
  header_cc: string[];
  subject: string;
  body_text: string;
  created_at: Date;
  auth: AuthVerdict;
  decision_note: string | null;
  decided_at: Date | null;
  thread_id: string | null;
  resource_id: string | null;
}

interface AttachmentRow {
  id: string;
  submission_id: string;
  file_name: string;
  kind: FileKind;
  media_type: string;
  size_bytes: string;
  sha256: string;
  storage_key: string | null;
  resource_id: string | null;
}

const SELECT = `SELECT s.*, u.display_name AS sender_name, u.email AS sender_email, i.auth
  FROM mail_submissions s
  JOIN inbound_messages i ON i.id = s.inbound_message_id
  LEFT JOIN users u ON u.id = s.sender_id`;

export interface PublishThreadInput {
  categoryId: string;
  title?: string;
  body?: string;
  note?: string;
}

export interface PublishResourceInput {
  attachmentId?: string;
  resourceId?: string;
  title?: string;
  description?: string;
  tags?: string[];
  note?: string;
}

/**
 * The co-chairs' review queue of emailed submissions. Each decision first moves the submission out
 * of `pending` with a conditional update, so two co-chairs deciding at once cannot both publish;
 * the sender hears the outcome by email, staged with the decision.
 */
@Injectable()
export class SubmissionService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(FILE_STORAGE) private readonly storage: FileStorage,
    private readonly threads: ThreadService,
    private readonly resources: ResourceService,
    private readonly access: CommunityAccessService,
    private readonly outbox: MailOutboxService,
    private readonly audit: AuditService,
  ) {}

  async list(
    context: CommunityContext,
    status: SubmissionStatus | undefined,
    limit: number,
    cursor?: string,
  ): Promise<Page<SubmissionView>> {
    const params: unknown[] = [context.community.id, limit + 1];
    let where = 's.community_id = $1';
    if (status) {
      params.push(status);
      where += ` AND s.status = $${params.length}`;
    }
    if (cursor) {
      const [createdAt, id] = decodeCursor(cursor, ['date', 'uuid']);
      params.push(createdAt, id);
      where += ` AND (s.created_at, s.id) < ($${params.length - 1}, $${params.length})`;
    }
    const rows = (await this.dataSource.query(
      `${SELECT} WHERE ${where} ORDER BY s.created_at DESC, s.id DESC LIMIT $2`,
      params,
    )) as SubmissionRow[];
    const page = toPage(rows, limit, (r) => [r.created_at.toISOString(), r.id]);
    const attachments = await this.attachmentsOf(page.items.map((r) => r.id));
    return { items: page.items.map((r) => this.toView(r, attachments.get(r.id) ?? [])), nextCursor: page.nextCursor };
  }

  async get(context: CommunityContext, id: string): Promise<SubmissionView> {
    const row = await this.find(context, id);
    return this.toView(row, (await this.attachmentsOf([id])).get(id) ?? []);
  }

  private async find(context: CommunityContext, id: string, manager: EntityManager = this.dataSource.manager) {
    const [row] = (await manager.query(`${SELECT} WHERE s.id = $1 AND s.community_id = $2`, [
      id,
      context.community.id,
    ])) as SubmissionRow[];
    if (!row) throw new MailInError(MailInErrorCode.SubmissionNotFound, 'Submission not found');
    return row;
  }

  private async attachmentsOf(ids: string[]): Promise<Map<string, AttachmentRow[]>> {
    const map = new Map<string, AttachmentRow[]>();
    if (!ids.length) return map;
    const rows = (await this.dataSource.query(
      'SELECT * FROM mail_submission_attachments WHERE submission_id = ANY($1::uuid[]) ORDER BY position',
      [ids],
    )) as AttachmentRow[];
    for (const row of rows) map.set(row.submission_id, [...(map.get(row.submission_id) ?? []), row]);
    return map;
  }

  private toView(row: SubmissionRow, attachments: AttachmentRow[]): SubmissionView {
    return {
      id: row.id,
      address: row.address,
      status: row.status,
      holdReason: row.hold_reason,
      sender: { id: row.sender_id, displayName: row.sender_name, address: row.sender_address },
      to: row.header_to,
      cc: row.header_cc,
      subject: row.subject,
      bodyText: row.body_text,
      receivedAt: row.created_at.toISOString(),
      authentication: {
        spf: row.auth.spf,
        dkim: row.auth.dkim,
        dmarc: row.auth.dmarc,
        dmarcPolicy: row.auth.dmarcPolicy,
        arc: row.auth.arc,
      },
      attachments: attachments.map((a) => ({
        id: a.id,
        fileName: a.file_name,
        kind: a.kind,
        mediaType: a.media_type,
        sizeBytes: Number(a.size_bytes),
        resourceId: a.resource_id,
      })),
      decisionNote: row.decision_note,
      decidedAt: row.decided_at?.toISOString() ?? null,
      threadId: row.thread_id,
      resourceId: row.resource_id,
    };
  }

  /** pending → publishing, or a 409 saying what happened to it. */
  private async claim(context: CommunityContext, id: string): Promise<SubmissionRow> {
    const row = await this.find(context, id);
    const [claimed] = (
      (await this.dataSource.query(
        `UPDATE mail_submissions SET status = 'publishing' WHERE id = $1 AND status = 'pending' RETURNING id`,
        [id],
      )) as [unknown[], number]
    )[0];
    if (!claimed) {
      throw new MailInError(
        MailInErrorCode.AlreadyDecided,
        row.status === 'held'
          ? 'This message was held (sender not a member, not authenticated, or not addressed to this community); it can only be declined'
          : `This submission is already ${row.status}`,
      );
    }
    return row;
  }

  private async release(id: string): Promise<void> {
    await this.dataSource.query(
      `UPDATE mail_submissions SET status = 'pending' WHERE id = $1 AND status = 'publishing'`,
      [id],
    );
  }

  /** The sender, still an approved member, is the author of what is published for them. */
  private async senderContext(context: CommunityContext, row: SubmissionRow): Promise<CommunityContext> {
    if (!row.sender_id) {
      throw new MailInError(MailInErrorCode.NothingToPublish, 'This submission has no member as its sender');
    }
    return this.access.byId(
      { id: row.sender_id, isAdmin: false, sessionId: 'mail-in' },
      context.community.id,
      CommunityRole.Member,
    );
  }

  private outcomeMail(
    row: SubmissionRow,
    context: CommunityContext,
    outcome: MailTemplates['mailin.outcome']['outcome'],
    note: string | null,
    url: string | null,
  ) {
    if (!row.sender_email) return [];
    return [
      {
        to: row.sender_email,
        template: 'mailin.outcome' as const,
        params: {
          displayName: row.sender_name ?? '',
          communityName: context.community.name,
          subject: row.subject,
          outcome,
          note,
          url,
        },
        dedupeKey: `mailin.outcome:${row.id}`,
      },
    ];
  }

  private async finish(
    row: SubmissionRow,
    context: CommunityContext,
    decision: { status: 'published' | 'declined'; note: string | null; threadId?: string; resourceId?: string },
    outcome: MailTemplates['mailin.outcome']['outcome'],
    /** A function when the link is known only after `extra` ran (a resource made in this transaction). */
    url: string | null | (() => string),
    extra?: (manager: EntityManager) => Promise<void>,
  ): Promise<void> {
    const mailIds = await this.dataSource.transaction(async (manager) => {
      await extra?.(manager);
      await manager.query(
        `UPDATE mail_submissions SET status = $2, decision_note = $3, decided_by = $4, decided_at = now(),
                thread_id = coalesce($5, thread_id), resource_id = coalesce($6, resource_id)
          WHERE id = $1`,
        [
          row.id,
          decision.status,
          decision.note,
          context.userId,
          decision.threadId ?? null,
          decision.resourceId ?? null,
        ],
      );
      await this.audit.record(manager, {
        communityId: context.community.id,
        actorId: context.userId,
        action: decision.status === 'declined' ? 'mail_in.submission.decline' : `mail_in.submission.publish_${outcome}`,
        targetType: 'mail_submission',
        targetId: row.id,
        data: { threadId: decision.threadId, resourceId: decision.resourceId },
      });
      const link = typeof url === 'function' ? url() : url;
      return this.outbox.stage(manager, this.outcomeMail(row, context, outcome, decision.note, link));
    });
    await this.outbox.dispatch(mailIds);
  }

  /**
   * Publishes as a forum thread by the sender: the body as Markdown (rendered through the forum's
   * sanitiser), each attachment published as a resource and linked from the post.
   */
  async publishThread(context: CommunityContext, id: string, input: PublishThreadInput): Promise<SubmissionView> {
    const row = await this.claim(context, id);
    let resourceIds: string[] = [];
    try {
      const sender = await this.senderContext(context, row);
      const attachments = (await this.attachmentsOf([id])).get(id) ?? [];
      const links: string[] = [];
      resourceIds = await this.dataSource.transaction(async (manager) => {
        const ids: string[] = [];
        for (const attachment of attachments.filter((a) => a.storage_key)) {
          const resourceId = await this.resources.insertStoredFile(
            manager,
            { communityId: context.community.id, userId: sender.userId, details: { title: attachment.file_name } },
            this.storedFile(attachment),
          );
          await manager.query('UPDATE mail_submission_attachments SET resource_id = $2 WHERE id = $1', [
            attachment.id,
            resourceId,
          ]);
          links.push(
            `- [${attachment.file_name.replace(/[[\]]/g, '')}](${this.config.publicUrl}/resources/${resourceId})`,
          );
          ids.push(resourceId);
        }
        return ids;
      });
      const body = [
        (input.body ?? row.body_text).trim() || row.subject,
        ...(links.length ? ['', 'Attachments:', ...links] : []),
      ].join('\n');
      const thread = await this.threads.create(sender, {
        categoryId: input.categoryId,
        title: (input.title ?? row.subject).trim() || 'Shared by email',
        body,
      });
      await this.finish(
        row,
        context,
        { status: 'published', note: input.note ?? null, threadId: thread.id },
        'thread',
        `${this.config.publicUrl}/c/${context.community.slug}/t/${thread.id}`,
      );
      for (const attachment of attachments) {
        if (attachment.storage_key) await this.resources.afterStoredFilePublished(attachment.storage_key);
      }
    } catch (error) {
      if (resourceIds.length) {
        // The thread was not created: take back the resources made for it (the files stay with the submission).
        await this.dataSource.query(
          'UPDATE mail_submission_attachments SET resource_id = NULL WHERE submission_id = $1',
          [id],
        );
        await this.dataSource.query('DELETE FROM resources WHERE id = ANY($1::uuid[])', [resourceIds]);
      }
      await this.release(id);
      throw error;
    }
    return this.get(context, id);
  }

  /** Publishes one attachment in the resource library: a new resource, or the next version of one. */
  async publishResource(context: CommunityContext, id: string, input: PublishResourceInput): Promise<SubmissionView> {
    const row = await this.claim(context, id);
    try {
      const sender = await this.senderContext(context, row);
      const attachments = ((await this.attachmentsOf([id])).get(id) ?? []).filter((a) => a.storage_key);
      const attachment = input.attachmentId ? attachments.find((a) => a.id === input.attachmentId) : attachments[0];
      if (!attachment) {
        throw new MailInError(
          MailInErrorCode.NothingToPublish,
          input.attachmentId ? 'No such attachment in this submission' : 'This submission has no attachment to publish',
        );
      }
      let resourceId = '';
      await this.finish(
        row,
        context,
        { status: 'published', note: input.note ?? null },
        'resource',
        () => `${this.config.publicUrl}/resources/${resourceId}`,
        async (manager) => {
          resourceId = await this.resources.insertStoredFile(
            manager,
            {
              communityId: context.community.id,
              userId: sender.userId,
              resourceId: input.resourceId,
              details: {
                title: (input.title ?? row.subject).trim() || attachment.file_name,
                description: input.description ?? row.body_text,
                tags: input.tags,
              },
            },
            this.storedFile(attachment),
          );
          await manager.query('UPDATE mail_submission_attachments SET resource_id = $2 WHERE id = $1', [
            attachment.id,
            resourceId,
          ]);
          await manager.query('UPDATE mail_submissions SET resource_id = $2 WHERE id = $1', [id, resourceId]);
        },
      );
      await this.resources.afterStoredFilePublished(attachment.storage_key!);
    } catch (error) {
      await this.release(id);
      throw error;
    }
    return this.get(context, id);
  }

  /** Declines with a note for the sender; held messages (non-members) are dismissed without mail. */
  async decline(context: CommunityContext, id: string, note: string): Promise<SubmissionView> {
    const row = await this.find(context, id);
    const [claimed] = (
      (await this.dataSource.query(
        `UPDATE mail_submissions SET status = 'publishing' WHERE id = $1 AND status IN ('pending', 'held') RETURNING id`,
        [id],
      )) as [unknown[], number]
    )[0];
    if (!claimed) throw new MailInError(MailInErrorCode.AlreadyDecided, `This submission is already ${row.status}`);
    try {
      await this.finish(
        row.status === 'held' ? { ...row, sender_email: null } : row,
        context,
        { status: 'declined', note },
        'declined',
        null,
      );
    } catch (error) {
      await this.dataSource.query(`UPDATE mail_submissions SET status = $2 WHERE id = $1`, [id, row.status]);
      throw error;
    }
    const attachments = (await this.attachmentsOf([id])).get(id) ?? [];
    for (const attachment of attachments) {
      if (!attachment.storage_key) continue;
      await this.storage.remove(attachment.storage_key);
      await this.dataSource.query('UPDATE mail_submission_attachments SET storage_key = NULL WHERE id = $1', [
        attachment.id,
      ]);
    }
    return this.get(context, id);
  }

  private storedFile(a: AttachmentRow) {
    return {
      fileName: a.file_name,
      kind: a.kind,
      mediaType: a.media_type,
      sizeBytes: Number(a.size_bytes),
      sha256: a.sha256,
      staged: { key: a.storage_key! },
    };
  }

  async settings(context: CommunityContext): Promise<MailSettingsView> {
    const [row] = (await this.dataSource.query(
      'SELECT enabled, accept_dmarc_failures FROM community_mail_settings WHERE community_id = $1',
      [context.community.id],
    )) as Array<{ enabled: boolean; accept_dmarc_failures: boolean }>;
    const domain = this.config.mailIn.domain;
    return {
      enabled: row?.enabled ?? true,
      acceptDmarcFailures: row?.accept_dmarc_failures ?? false,
      addresses: domain ? communityAddresses(context.community.slug, domain) : null,
    };
  }

  async updateSettings(
    context: CommunityContext,
    changes: { enabled?: boolean; acceptDmarcFailures?: boolean },
  ): Promise<MailSettingsView> {
    await this.dataSource.transaction(async (manager) => {
      await manager.query(
        `INSERT INTO community_mail_settings (community_id, enabled, accept_dmarc_failures) VALUES ($1, coalesce($2, true), coalesce($3, false))
         ON CONFLICT (community_id) DO UPDATE
           SET enabled = coalesce($2, community_mail_settings.enabled),
               accept_dmarc_failures = coalesce($3, community_mail_settings.accept_dmarc_failures),
               updated_at = now()`,
        [context.community.id, changes.enabled ?? null, changes.acceptDmarcFailures ?? null],
      );
      await this.audit.record(manager, {
        communityId: context.community.id,
        actorId: context.userId,
        action: 'mail_in.settings.update',
        targetType: 'community',
        targetId: context.community.id,
        data: changes,
      });
    });
    return this.settings(context);
  }
}
