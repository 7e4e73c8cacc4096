import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import {
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
import type { MailTemplateName, MailTemplates } from '../templates/templates';

export interface StagedMail<K extends MailTemplateName = MailTemplateName> {
  to: string;
  template: K;
  params: MailTemplates[K];
  /** When set, a second row with the same key is silently not created. */
  dedupeKey?: string;
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
  ) {}

  async stage(manager: EntityManager, mails: StagedMail | StagedMail[]): Promise<string[]> {
    const list = Array.isArray(mails) ? mails : [mails];
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
            params: mail.params as unknown as Record<string, any>,
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
