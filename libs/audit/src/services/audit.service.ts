import { Injectable } from '@nestjs/common';
import { decodeCursor, Page, pagedRows, PersonalRow, Queryable, toPage } from '@cophub/core';
import { AuditRepository, AuditRow } from '../db/audit.repository';

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
  constructor(private readonly audit: AuditRepository) {}

  /** Written inside the caller's transaction (its manager or `Sql`), so an action and its audit row commit together. */
  async record(db: Queryable, entry: AuditEntryInput): Promise<void> {
    await this.audit.insert(db, {
      communityId: entry.communityId,
      actorId: entry.actorId,
      action: entry.action,
      targetType: entry.targetType,
      targetId: entry.targetId ?? null,
      data: entry.data ?? {},
    });
  }

  /**
   * The audit rows that name a person (things they did, or that were done to their account or membership), in
   * pages: the audit part of their personal data export, which identity assembles with their account.
   */
  recordsNaming(userId: string): AsyncIterable<PersonalRow> {
    return pagedRows<{ id: string }>(
      (after, size) => this.audit.naming(userId, after, size),
      (row) => row.id,
    );
  }

  async listForCommunity(communityId: string, limit: number, cursor?: string): Promise<Page<AuditRow>> {
    const [before] = cursor ? decodeCursor(cursor, ['bigint']) : [undefined];
    const rows = await this.audit.listForCommunity(communityId, limit, before as string | undefined);
    return toPage(rows, limit, (row) => [row.id]);
  }
}
