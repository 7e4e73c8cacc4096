import { Inject, Injectable } from '@nestjs/common';
import {
  APP_CONFIG,
  AppConfig,
  CommonError,
  CommonErrorCode,
  decodeCursor,
  Page,
  Queryable,
  QueueService,
  Sql,
  SqlPort,
  toPage,
} from '@cophub/core';
import { MailJob } from '../jobs/mail.jobs';
import { MailOutboxRepository, OutboxRow, SentMessageRow } from '../db/mail-outbox.repository';
import { MailPreferenceFilters, recipientKindKey } from './mail-preference-filters';
import { MailStatus } from '../domain/mail-status';
import { isNotificationTemplate, type MailTemplateName, type StagedParams } from '../templates/templates';
import { notificationSettingsUrl, UnsubscribeTarget, unsubscribeLink } from '../domain/unsubscribe-link';

export interface StagedMail<K extends MailTemplateName = MailTemplateName> {
  to: string;
  template: K;
  params: StagedParams<K>;
  /** When set, a second row with the same key is silently not created. */
  dedupeKey?: string;
  /**
   * Required for every notification email: whose it is and which kind, for its List-Unsubscribe and
   * settings links. Unless `channelChecked` (the sender already honoured the member's channel for this
   * kind, as `NotificationService.notify` does), a member who chose anything but email for the kind
   * is not sent it.
   */
  unsubscribe?: UnsubscribeTarget & { channelChecked?: boolean };
}

/** The BullMQ job id for an outbox row's nth attempt: deterministic, so enqueueing twice is harmless. */
export function mailJobId(outboxId: string, attempts: number): string {
  return `mail-${outboxId}-${attempts}`;
}

/**
 * Producer side of mail: stage rows inside the caller's transaction, then dispatch after commit.
 * If dispatch never happens (a crash right after commit), the worker's reconciler finds the row.
 */
@Injectable()
export class MailOutboxService {
  constructor(
    private readonly sql: SqlPort,
    private readonly outbox: MailOutboxRepository,
    private readonly preferences: MailPreferenceFilters,
    private readonly queues: QueueService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Stages messages in the caller's transaction (`db`: its manager or its `Sql`); answers the ids to dispatch. */
  async stage(db: Queryable, mails: StagedMail | StagedMail[]): Promise<string[]> {
    const tx = Sql.over(db);
    const list = await this.withoutOptedOut(tx, Array.isArray(mails) ? mails : [mails]);
    if (!list.length) return [];
    return this.outbox.insertMany(
      tx,
      list.map((mail) => ({
        recipient: mail.to,
        template: mail.template,
        params: this.withLinks(mail),
        dedupeKey: mail.dedupeKey ?? null,
      })),
    );
  }

  /** The params as stored: a notification email's settings and one-click unsubscribe links added. */
  private withLinks(mail: StagedMail): Record<string, unknown> {
    const params = mail.params as unknown as Record<string, unknown>;
    if (!mail.unsubscribe) {
      if (isNotificationTemplate(mail.template)) {
        // A programming error, not bad input: every notification email must let its reader opt out.
        throw new Error(`${mail.template} is a notification email and needs an unsubscribe target`);
      }
      return params;
    }
    return {
      ...params,
      settingsUrl: notificationSettingsUrl(this.config.publicUrl),
      unsubscribeUrl: unsubscribeLink(this.config.publicUrl, this.config.auth.jwtSecret, mail.unsubscribe),
    };
  }

  /** Drops notification emails whose recipient chose another channel (or off) for that kind. */
  private async withoutOptedOut(tx: Sql, list: StagedMail[]): Promise<StagedMail[]> {
    const unchecked = list.filter((m) => m.unsubscribe && !m.unsubscribe.channelChecked);
    if (!unchecked.length) return list;
    const optedOut = await this.preferences.optedOut(
      tx,
      unchecked.map((m) => ({ userId: m.unsubscribe!.userId, kind: m.unsubscribe!.scope })),
    );
    if (!optedOut.size) return list;
    return list.filter(
      (m) =>
        !m.unsubscribe ||
        m.unsubscribe.channelChecked ||
        !optedOut.has(recipientKindKey({ userId: m.unsubscribe.userId, kind: m.unsubscribe.scope })),
    );
  }

  /** Call after the staging transaction committed. Failure to enqueue is not fatal: the reconciler retries. */
  async dispatch(ids: string[]): Promise<void> {
    if (!ids.length) return;
    try {
      await this.queues.addBulk(
        MailJob.Send,
        ids.map((outboxId) => ({ payload: { outboxId }, options: { jobId: mailJobId(outboxId, 0) } })),
      );
    } catch {
      // Redis is down: the rows are safe in PostgreSQL and the reconciler will enqueue them.
    }
  }

  /** Which of these dedupe keys a staged message already holds (a message that must go once, e.g. a day's digest). */
  existingDedupeKeys(keys: string[]): Promise<Set<string>> {
    return this.outbox.existingDedupeKeys(keys);
  }

  /** The messages a bounce report names (`outboxIds`), in the caller's transaction, with whether each is recent. */
  sentMessages(db: Queryable, outboxIds: string[], withinDays: number): Promise<SentMessageRow[]> {
    return this.outbox.sentMessages(Sql.over(db), outboxIds, withinDays);
  }

  /** Stages and dispatches in one go, for mail that is the whole of the change. */
  async send(mails: StagedMail | StagedMail[]): Promise<string[]> {
    const ids = await this.sql.transaction((tx) => this.stage(tx, mails));
    await this.dispatch(ids);
    return ids;
  }

  async list(
    filter: { status?: MailStatus; recipient?: string },
    limit: number,
    cursor?: string,
  ): Promise<Page<OutboxRow>> {
    let before: { createdAt: Date | string; id: string } | undefined;
    if (cursor) {
      const [createdAt, id] = decodeCursor(cursor, ['date', 'uuid']);
      before = { createdAt: createdAt as Date | string, id: id as string };
    }
    const rows = await this.outbox.list(
      { status: filter.status, recipient: filter.recipient?.toLowerCase(), before },
      limit + 1,
    );
    return toPage(rows, limit, (row) => [row.createdAt.toISOString(), row.id]);
  }

  async get(id: string): Promise<OutboxRow> {
    const row = await this.outbox.find(id);
    if (!row) throw new CommonError(CommonErrorCode.NotFound, 'No outbox message with that id');
    return row;
  }

  /** Gives a dead message another full set of attempts (an admin action). */
  async retry(id: string): Promise<OutboxRow> {
    if (!(await this.outbox.retryDead(id))) {
      await this.get(id);
      throw new CommonError(CommonErrorCode.Conflict, 'Only a dead message can be retried');
    }
    await this.dispatch([id]);
    return this.get(id);
  }
}
