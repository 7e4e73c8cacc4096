import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import {
  APP_CONFIG,
  AppConfig,
  CommonError,
  CommonErrorCode,
  decodeCursor,
  JobName,
  Page,
  queryRows,
  QueueService,
  toPage,
} from '@cophub/core';
import { DataSource, EntityManager } from 'typeorm';
import { MailOutbox, MailStatus } from '../entities/mail-outbox.entity';
import { isNotificationTemplate, type MailTemplateName, type StagedParams } from '../templates/templates';
import { notificationSettingsUrl, UnsubscribeTarget, unsubscribeLink } from '../unsubscribe-link';

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
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly queues: QueueService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async stage(manager: EntityManager, mails: StagedMail | StagedMail[]): Promise<string[]> {
    const list = await this.withoutOptedOut(manager, Array.isArray(mails) ? mails : [mails]);
    if (!list.length) return [];
    const ids: string[] = [];
    for (let i = 0; i < list.length; i += 1000) {
      const result = await manager
        .createQueryBuilder()
        .insert()
        .into(MailOutbox)
        .values(
          list.slice(i, i + 1000).map((mail) => ({
            recipient: mail.to,
            template: mail.template,
            // eslint-disable-next-line @typescript-eslint/no-explicit-any
            params: this.withLinks(mail) as Record<string, any>,
            dedupeKey: mail.dedupeKey ?? null,
          })),
        )
        .orIgnore()
        .returning(['id'])
        .execute();
      ids.push(...(result.raw as Array<{ id: string }>).map((row) => row.id));
    }
    return ids;
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

  /**
   * Drops notification emails whose recipient chose another channel (or off) for that kind. The
   * preferences table belongs to the notifications module, which builds on this one; reading it here
   * is what lets an unsubscribe hold for every email of the kind, whichever module sends it.
   */
  private async withoutOptedOut(manager: EntityManager, list: StagedMail[]): Promise<StagedMail[]> {
    const unchecked = list.filter((m) => m.unsubscribe && !m.unsubscribe.channelChecked);
    if (!unchecked.length) return list;
    const rows: Array<{ user_id: string; kind: string }> = await manager.query(
      `SELECT p.user_id, p.kind FROM notification_preferences p
         JOIN unnest($1::uuid[], $2::text[]) AS wanted(user_id, kind)
           ON wanted.user_id = p.user_id AND wanted.kind = p.kind
        WHERE p.channel <> 'email'`,
      [unchecked.map((m) => m.unsubscribe!.userId), unchecked.map((m) => m.unsubscribe!.scope)],
    );
    if (!rows.length) return list;
    const optedOut = new Set(rows.map((r) => `${r.user_id}:${r.kind}`));
    return list.filter(
      (m) =>
        !m.unsubscribe ||
        m.unsubscribe.channelChecked ||
        !optedOut.has(`${m.unsubscribe.userId}:${m.unsubscribe.scope}`),
    );
  }

  /** Call after the staging transaction committed. Failure to enqueue is not fatal: the reconciler retries. */
  async dispatch(ids: string[]): Promise<void> {
    if (!ids.length) return;
    try {
      await this.queues.addBulk(
        JobName.SendMail,
        ids.map((outboxId) => ({ payload: { outboxId }, options: { jobId: mailJobId(outboxId, 0) } })),
      );
    } catch {
      // Redis is down: the rows are safe in PostgreSQL and the reconciler will enqueue them.
    }
  }

  /** Stages and dispatches in one go, for mail that is the whole of the change. */
  async send(mails: StagedMail | StagedMail[]): Promise<string[]> {
    const ids = await this.dataSource.transaction((manager) => this.stage(manager, mails));
    await this.dispatch(ids);
    return ids;
  }

  async list(
    filter: { status?: MailStatus; recipient?: string },
    limit: number,
    cursor?: string,
  ): Promise<Page<MailOutbox>> {
    const query = this.dataSource
      .getRepository(MailOutbox)
      .createQueryBuilder('m')
      .orderBy('m.created_at', 'DESC')
      .addOrderBy('m.id', 'DESC')
      .limit(limit + 1);
    if (filter.status) query.andWhere('m.status = :status', { status: filter.status });
    if (filter.recipient) query.andWhere('m.recipient = :recipient', { recipient: filter.recipient.toLowerCase() });
    if (cursor) {
      const [createdAt, id] = decodeCursor(cursor, ['date', 'uuid']);
      query.andWhere('(m.created_at, m.id) < (:createdAt, :id)', { createdAt, id });
    }
    return toPage(await query.getMany(), limit, (row) => [row.createdAt.toISOString(), row.id]);
  }

  async get(id: string): Promise<MailOutbox> {
    const row = await this.dataSource.getRepository(MailOutbox).findOneBy({ id });
    if (!row) throw new CommonError(CommonErrorCode.NotFound, 'No outbox message with that id');
    return row;
  }

  /** Gives a dead message another full set of attempts (an admin action). */
  async retry(id: string): Promise<MailOutbox> {
    const retried = await queryRows(
      this.dataSource,
      `UPDATE mail_outbox SET status = 'pending', attempts = 0, next_attempt_at = now(), last_error = NULL
        WHERE id = $1 AND status = 'dead' RETURNING id`,
      [id],
    );
    if (!retried.length) {
      await this.get(id);
      throw new CommonError(CommonErrorCode.Conflict, 'Only a dead message can be retried');
    }
    await this.dispatch([id]);
    return this.get(id);
  }
}
