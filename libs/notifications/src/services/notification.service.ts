import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { decodeCursor, Page, toPage } from '@cophub/core';
import { MailOutboxService, StagedMail } from '@cophub/mail';
import { RealtimePublisher } from '@cophub/realtime';
import { DataSource, EntityManager, In, IsNull } from 'typeorm';
import { DEFAULT_CHANNEL, NotificationChannel, NotificationKind } from '../entities/enums';
import { Notification } from '../entities/notification.entity';
import { NotificationPreference } from '../entities/notification-preference.entity';

export interface NotificationInput {
  userId: string;
  kind: NotificationKind;
  communityId?: string | null;
  title: string;
  body?: string;
  url: string;
  data?: Record<string, unknown>;
  /**
   * The email to send when the user's channel for this kind is `email`; its List-Unsubscribe and
   * settings links (for this user and kind) are added here.
   */
  email?: Omit<StagedMail, 'unsubscribe'>;
}

/** What a `notify` inside a transaction produced; hand it to `dispatch` after the commit. */
export interface NotifyResult {
  mailIds: string[];
  created: Array<{ id: string; userId: string }>;
}

export const EMPTY_NOTIFY_RESULT: NotifyResult = { mailIds: [], created: [] };

@Injectable()
export class NotificationService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly mail: MailOutboxService,
    private readonly realtime: RealtimePublisher,
  ) {}

  /** Each user's channel for each kind asked about (defaults where they have not chosen). */
  async channels(
    manager: EntityManager,
    userIds: string[],
    kinds: NotificationKind[],
  ): Promise<Map<string, NotificationChannel>> {
    const result = new Map<string, NotificationChannel>();
    for (const userId of userIds) for (const kind of kinds) result.set(`${userId}:${kind}`, DEFAULT_CHANNEL[kind]);
    if (!userIds.length) return result;
    const rows = await manager.find(NotificationPreference, { where: { userId: In(userIds), kind: In(kinds) } });
    for (const row of rows) result.set(`${row.userId}:${row.kind}`, row.channel);
    return result;
  }

  /**
   * Writes notifications (and stages their emails) inside the caller's transaction, honouring each
   * user's channel choice. Nothing is sent or published until `dispatch` runs after the commit.
   */
  async notify(manager: EntityManager, inputs: NotificationInput[]): Promise<NotifyResult> {
    if (!inputs.length) return { mailIds: [], created: [] };
    const channels = await this.channels(
      manager,
      [...new Set(inputs.map((i) => i.userId))],
      [...new Set(inputs.map((i) => i.kind))],
    );
    const rows: Array<Partial<Notification>> = [];
    const mails: StagedMail[] = [];
    for (const input of inputs) {
      const channel = channels.get(`${input.userId}:${input.kind}`) ?? NotificationChannel.InApp;
      if (channel === NotificationChannel.Off) continue;
      rows.push({
        userId: input.userId,
        kind: input.kind,
        communityId: input.communityId ?? null,
        title: input.title,
        body: input.body ?? '',
        url: input.url,
        data: input.data ?? {},
        digestPending: channel === NotificationChannel.Digest,
      });
      if (channel === NotificationChannel.Email && input.email) {
        mails.push({ ...input.email, unsubscribe: { userId: input.userId, scope: input.kind, channelChecked: true } });
      }
    }
    const created: NotifyResult['created'] = [];
    for (let i = 0; i < rows.length; i += 1000) {
      const result = await manager.insert(Notification, rows.slice(i, i + 1000));
      result.identifiers.forEach((identifier, j) => created.push({ id: identifier.id, userId: rows[i + j].userId! }));
    }
    return { mailIds: await this.mail.stage(manager, mails), created };
  }

  /** After commit: enqueue the emails and tell each user's open sockets. */
  async dispatch(result: NotifyResult): Promise<void> {
    await this.mail.dispatch(result.mailIds);
    for (const { id, userId } of result.created) this.realtime.publish('user', userId, 'notification.created', { id });
  }

  async list(userId: string, limit: number, cursor?: string, unreadOnly = false): Promise<Page<Notification>> {
    const query = this.dataSource
      .getRepository(Notification)
      .createQueryBuilder('n')
      .where('n.user_id = :userId', { userId })
      .orderBy('n.created_at', 'DESC')
      .addOrderBy('n.id', 'DESC')
      .limit(limit + 1);
    if (unreadOnly) query.andWhere('n.read_at IS NULL');
    if (cursor) {
      const [createdAt, id] = decodeCursor(cursor, ['date', 'uuid']);
      query.andWhere('(n.created_at, n.id) < (:createdAt, :id)', { createdAt, id });
    }
    return toPage(await query.getMany(), limit, (n) => [n.createdAt.toISOString(), n.id]);
  }

  async unreadCount(userId: string): Promise<number> {
    return this.dataSource.getRepository(Notification).count({ where: { userId, readAt: IsNull() } });
  }

  /** Marks the given notifications (or all) read; only the user's own are touched. */
  async markRead(userId: string, ids: string[] | 'all'): Promise<number> {
    const where = ids === 'all' ? { userId, readAt: IsNull() } : { userId, readAt: IsNull(), id: In(ids) };
    const result = await this.dataSource.getRepository(Notification).update(where, { readAt: new Date() });
    return result.affected ?? 0;
  }

  async preferences(userId: string): Promise<Record<NotificationKind, NotificationChannel>> {
    const channels = await this.channels(this.dataSource.manager, [userId], Object.values(NotificationKind));
    return Object.fromEntries(
      Object.values(NotificationKind).map((kind) => [kind, channels.get(`${userId}:${kind}`)!]),
    ) as Record<NotificationKind, NotificationChannel>;
  }

  async setPreferences(userId: string, changes: Partial<Record<NotificationKind, NotificationChannel>>): Promise<void> {
    // Validated DTO instances carry every declared kind, the ones not sent as undefined: skip those.
    const rows = Object.entries(changes)
      .filter(([, channel]) => channel !== undefined)
      .map(([kind, channel]) => ({
        userId,
        kind: kind as NotificationKind,
        channel: channel!,
      }));
    if (rows.length) await this.dataSource.getRepository(NotificationPreference).upsert(rows, ['userId', 'kind']);
  }
}
