import { Inject, Injectable, Logger } from '@nestjs/common';
import { AuditService } from '@cophub/audit';
import { APP_CONFIG, AppConfig, decodeCursor, Page, Sql, SqlPort } from '@cophub/core';
import { ThreadService } from '@cophub/forum';
import { CommunityAccessService, CommunityContext, CommunityRole } from '@cophub/identity';
import { MailOutboxService, MailTemplates } from '@cophub/mail';
import { FILE_STORAGE, FileStorage, ResourceService } from '@cophub/resources';
import { EntityManager } from 'typeorm';
import { MailSettingsView, SubmissionView, toSubmissionView } from '../contract/submission.views';
import { AttachmentRow, SubmissionRepository, SubmissionRow, SubmissionStatus } from '../db/submission.repository';
import { communityAddresses } from '../domain/addresses';
import { MailInError, MailInErrorCode } from '../errors/mail-in.error';

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
  private readonly logger = new Logger('SubmissionService');

  constructor(
    private readonly sql: SqlPort,
    private readonly repository: SubmissionRepository,
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
    const after = cursor ? (decodeCursor(cursor, ['date', 'uuid']) as [Date, string]) : undefined;
    const page = await this.repository.list(context.community.id, status, limit, after);
    const attachments = await this.attachmentsOf(
      context,
      page.items.map((r) => r.id),
    );
    return {
      items: page.items.map((r) => toSubmissionView(r, attachments.get(r.id) ?? [])),
      nextCursor: page.nextCursor,
    };
  }

  async get(context: CommunityContext, id: string): Promise<SubmissionView> {
    const row = await this.find(context, id);
    return toSubmissionView(row, (await this.attachmentsOf(context, [id])).get(id) ?? []);
  }

  private async find(context: CommunityContext, id: string): Promise<SubmissionRow> {
    const row = await this.repository.find(context.community.id, id);
    if (!row) throw new MailInError(MailInErrorCode.SubmissionNotFound, 'Submission not found');
    return row;
  }

  private async attachmentsOf(context: CommunityContext, ids: string[]): Promise<Map<string, AttachmentRow[]>> {
    const map = new Map<string, AttachmentRow[]>();
    if (!ids.length) return map;
    const rows = await this.repository.attachments(context.community.id, ids);
    for (const row of rows) map.set(row.submissionId, [...(map.get(row.submissionId) ?? []), row]);
    return map;
  }

  /** pending → publishing, or a 409 saying what happened to it. */
  private async claim(context: CommunityContext, id: string): Promise<SubmissionRow> {
    const row = await this.find(context, id);
    const claimed = await this.repository.claim(context.community.id, id, ['pending']);
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

  private async release(context: CommunityContext, id: string, status: SubmissionStatus = 'pending'): Promise<void> {
    await this.repository.release(context.community.id, id, status);
  }

  /** The sender, still an approved member, is the author of what is published for them. */
  private async senderContext(context: CommunityContext, row: SubmissionRow): Promise<CommunityContext> {
    if (!row.senderId) {
      throw new MailInError(MailInErrorCode.NothingToPublish, 'This submission has no member as its sender');
    }
    return this.access.byId(
      { id: row.senderId, isAdmin: false, sessionId: 'mail-in' },
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
    if (!row.senderEmail) return [];
    return [
      {
        to: row.senderEmail,
        template: 'mailin.outcome' as const,
        params: {
          displayName: row.senderName ?? '',
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
    extra?: (tx: Sql, manager: EntityManager) => Promise<void>,
  ): Promise<void> {
    const mailIds = await this.sql.transaction(async (tx, manager) => {
      await extra?.(tx, manager);
      await this.repository.decide(tx, context.community.id, row.id, {
        status: decision.status,
        note: decision.note,
        by: context.userId,
        threadId: decision.threadId ?? null,
        resourceId: decision.resourceId ?? null,
      });
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
      const attachments = (await this.attachmentsOf(context, [id])).get(id) ?? [];
      const links: string[] = [];
      resourceIds = await this.sql.transaction(async (tx, manager) => {
        const ids: string[] = [];
        for (const attachment of attachments.filter((a) => a.storageKey)) {
          const resourceId = await this.resources.insertStoredFile(
            manager,
            { communityId: context.community.id, userId: sender.userId, details: { title: attachment.fileName } },
            this.storedFile(attachment),
          );
          await this.repository.linkAttachment(tx, context.community.id, attachment.id, resourceId);
          links.push(
            `- [${attachment.fileName.replace(/[[\]]/g, '')}](${this.config.publicUrl}/resources/${resourceId})`,
          );
          ids.push(resourceId);
        }
        return ids;
      });
      const body = [
        (input.body ?? row.bodyText).trim() || row.subject,
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
        if (attachment.storageKey) await this.resources.afterStoredFilePublished(attachment.storageKey);
      }
    } catch (error) {
      if (resourceIds.length) {
        // The thread was not created: take back the resources made for it (the files stay with the submission).
        await this.repository.unlinkAttachments(context.community.id, id);
        await this.resources.withdrawStoredFiles(resourceIds);
      }
      await this.release(context, id);
      throw error;
    }
    return this.get(context, id);
  }

  /** Publishes one attachment in the resource library: a new resource, or the next version of one. */
  async publishResource(context: CommunityContext, id: string, input: PublishResourceInput): Promise<SubmissionView> {
    const row = await this.claim(context, id);
    try {
      const sender = await this.senderContext(context, row);
      const attachments = ((await this.attachmentsOf(context, [id])).get(id) ?? []).filter((a) => a.storageKey);
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
        async (tx, manager) => {
          resourceId = await this.resources.insertStoredFile(
            manager,
            {
              communityId: context.community.id,
              userId: sender.userId,
              resourceId: input.resourceId,
              details: {
                title: (input.title ?? row.subject).trim() || attachment.fileName,
                description: input.description ?? row.bodyText,
                tags: input.tags,
              },
            },
            this.storedFile(attachment),
          );
          await this.repository.linkAttachment(tx, context.community.id, attachment.id, resourceId);
          await this.repository.linkResource(tx, context.community.id, id, resourceId);
        },
      );
      await this.resources.afterStoredFilePublished(attachment.storageKey!);
    } catch (error) {
      await this.release(context, id);
      throw error;
    }
    return this.get(context, id);
  }

  /** Declines with a note for the sender; held messages (non-members) are dismissed without mail. */
  async decline(context: CommunityContext, id: string, note: string): Promise<SubmissionView> {
    const row = await this.find(context, id);
    const claimed = await this.repository.claim(context.community.id, id, ['pending', 'held']);
    if (!claimed) throw new MailInError(MailInErrorCode.AlreadyDecided, `This submission is already ${row.status}`);
    try {
      await this.finish(
        row.status === 'held' ? { ...row, senderEmail: null } : row,
        context,
        { status: 'declined', note },
        'declined',
        null,
      );
    } catch (error) {
      await this.release(context, id, row.status);
      throw error;
    }
    const attachments = (await this.attachmentsOf(context, [id])).get(id) ?? [];
    for (const attachment of attachments) {
      if (!attachment.storageKey) continue;
      // The decision stands whatever the store says; a file it could not delete now stays pointed at.
      const removed = await this.storage.remove(attachment.storageKey).then(
        () => true,
        (error: Error) => {
          this.logger.warn(`declined attachment ${attachment.id} kept its file: ${error.message}`);
          return false;
        },
      );
      if (removed) await this.repository.forgetStoredFile(context.community.id, attachment.id);
    }
    return this.get(context, id);
  }

  private storedFile(a: AttachmentRow) {
    return {
      fileName: a.fileName,
      kind: a.kind,
      mediaType: a.mediaType,
      sizeBytes: Number(a.sizeBytes),
      sha256: a.sha256,
      staged: { key: a.storageKey! },
    };
  }

  async settings(context: CommunityContext): Promise<MailSettingsView> {
    const row = await this.repository.settings(context.community.id);
    const domain = this.config.mailIn.domain;
    return {
      enabled: row?.enabled ?? true,
      acceptDmarcFailures: row?.acceptDmarcFailures ?? false,
      addresses: domain ? communityAddresses(context.community.slug, domain) : null,
    };
  }

  async updateSettings(
    context: CommunityContext,
    changes: { enabled?: boolean; acceptDmarcFailures?: boolean },
  ): Promise<MailSettingsView> {
    await this.sql.transaction(async (tx, manager) => {
      await this.repository.saveSettings(tx, context.community.id, changes);
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
