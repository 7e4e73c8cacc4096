import { Injectable } from '@nestjs/common';
import { decodeCursor, Page, Queryable, Sql, toPage } from '@cophub/core';
import { MailOutboxService, StagedMail } from '@cophub/mail';
import { RealtimePublisher } from '@cophub/realtime';
import { EntityManager } from 'typeorm';
import { NewNotification, NotificationRow, NotificationsRepository } from '../db/notifications.repository';
import { DEFAULT_CHANNEL, NotificationChannel, NotificationKind } from '../domain/enums';

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
    private readonly repo: NotificationsRepository,
    private readonly mail: MailOutboxService,
    private readonly realtime: RealtimePublisher,
  ) {}

  /** Each user's channel for each kind asked about (defaults where they have not chosen). */
  async channels(
    manager: EntityManager | null,
    userIds: string[],
    kinds: NotificationKind[],
  ): Promise<Map<string, NotificationChannel>> {
    const result = new Map<string, NotificationChannel>();
    for (const userId of userIds) for (const kind of kinds) result.set(`${userId}:${kind}`, DEFAULT_CHANNEL[kind]);
    if (!userIds.length) return result;
    const rows = await this.repo.preferences(userIds, kinds, manager ? Sql.over(manager) : undefined);
    for (const row of rows) result.set(`${row.userId}:${row.kind}`, row.channel);
    return result;
  }

  /** Of `userIds`, those already told (a notification of `kind`) about the post, read in the caller's transaction. */
  notifiedAboutPost(db: Queryable, kind: NotificationKind, postId: string, userIds: string[]): Promise<Set<string>> {
    return this.repo.notifiedAboutPost(db, kind, postId, userIds);
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
    const rows: NewNotification[] = [];
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
    const tx = Sql.over(manager);
    for (let i = 0; i < rows.length; i += 1000) created.push(...(await this.repo.insert(tx, rows.slice(i, i + 1000))));
    return { mailIds: await this.mail.stage(manager, mails), created };
  }

  /** After commit: enqueue the emails and tell each user's open sockets. */
  async dispatch(result: NotifyResult): Promise<void> {
    await this.mail.dispatch(result.mailIds);
    for (const { id, userId } of result.created) this.realtime.publish('user', userId, 'notification.created', { id });
  }

  async list(userId: string, limit: number, cursor?: string, unreadOnly = false): Promise<Page<NotificationRow>> {
    let before: { createdAt: string; id: string } | null = null;
    if (cursor) {
      const [createdAt, id] = decodeCursor(cursor, ['date', 'uuid']);
      before = { createdAt: String(createdAt), id: String(id) };
    }
    const rows = await this.repo.list(userId, limit + 1, unreadOnly, before);
    return toPage(rows, limit, (n) => [n.createdAt.toISOString(), n.id]);
  }

  /** A page of the user's notifications with how many are unread in all. */
  async inbox(
    userId: string,
    limit: number,
    cursor?: string,
    unreadOnly = false,
  ): Promise<{ page: Page<NotificationRow>; unread: number }> {
    const [page, unread] = await Promise.all([this.list(userId, limit, cursor, unreadOnly), this.unreadCount(userId)]);
    return { page, unread };
  }

  unreadCount(userId: string): Promise<number> {
    return this.repo.unreadCount(userId);
  }

  /** Marks the given notifications (or all) read; only the user's own are touched. */
  markRead(userId: string, ids: string[] | 'all'): Promise<number> {
    return this.repo.markRead(userId, ids, new Date());
  }

  /** Marks the given notifications (or all) read and answers how many, with how many stay unread. */
  async markReadAndCount(userId: string, ids: string[] | 'all'): Promise<{ marked: number; unread: number }> {
    const marked = await this.markRead(userId, ids);
    return { marked, unread: await this.unreadCount(userId) };
  }

  async preferences(userId: string): Promise<Record<NotificationKind, NotificationChannel>> {
    const channels = await this.channels(null, [userId], Object.values(NotificationKind));
    return Object.fromEntries(
      Object.values(NotificationKind).map((kind) => [kind, channels.get(`${userId}:${kind}`)!]),
    ) as Record<NotificationKind, NotificationChannel>;
  }

  async setPreferences(userId: string, changes: Partial<Record<NotificationKind, NotificationChannel>>): Promise<void> {
    // Validated DTO instances carry every declared kind, the ones not sent as undefined: skip those.
    const rows = Object.entries(changes)
      .filter(([, channel]) => channel !== undefined)
      .map(([kind, channel]) => ({
        kind: kind as NotificationKind,
        channel: channel!,
      }));
    if (rows.length) await this.repo.upsertPreferences(userId, rows);
  }

  /** Saves the changed channels and answers the user's channel for every kind. */
  async updatePreferences(
    userId: string,
    changes: Partial<Record<NotificationKind, NotificationChannel>>,
  ): Promise<Record<NotificationKind, NotificationChannel>> {
    await this.setPreferences(userId, changes);
    return this.preferences(userId);
  }
}
