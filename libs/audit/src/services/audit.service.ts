import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { decodeCursor, Page, toPage } from '@cophub/core';
import { DataSource, EntityManager } from 'typeorm';
import { AuditLogEntry } from './audit-log-entry.entity';

export interface AuditEntryInput {
  communityId: string | null;
  actorId: string | null;
  action: string;
  targetType: string;
  targetId?: string | null;
  data?: Record<string, unknown>;
}

@Injectable()
export class AuditService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Written inside the caller's transaction, so an action and its audit row commit together. */
  async record(manager: EntityManager, entry: AuditEntryInput): Promise<void> {
    await manager.insert(AuditLogEntry, {
      ...entry,
      targetId: entry.targetId ?? null,
      // eslint-disable-next-line @typescript-eslint/no-explicit-any
      data: (entry.data ?? {}) as Record<string, any>,
    });
  }

  async listForCommunity(communityId: string, limit: number, cursor?: string): Promise<Page<AuditLogEntry>> {
    const query = this.dataSource
      .getRepository(AuditLogEntry)
      .createQueryBuilder('a')
      .where('a.community_id = :communityId', { communityId })
      .orderBy('a.id', 'DESC')
      .limit(limit + 1);
    if (cursor) {
      const [id] = decodeCursor(cursor, ['bigint']);
      query.andWhere('a.id < :id', { id });
    }
    return toPage(await query.getMany(), limit, (row) => [row.id]);
  }
}
