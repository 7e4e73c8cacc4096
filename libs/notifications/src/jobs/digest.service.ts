import { Inject, Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { DateTime } from 'luxon';
import { APP_CONFIG, AppConfig, Clock, PeriodicTask, SqlPort } from '@cophub/core';
import { MailOutboxService } from '@cophub/mail';
import { NotificationsRepository } from '../db/notifications.repository';

const MAX_ITEMS = 20;

/** A member's digest of one UK day: one outbox row at most, by this dedupe key. */
const digestKey = (userId: string, date: string) => `digest:${userId}:${date}`;
const USERS_PER_PASS = 200;

/**
 * The daily digest: once per UK day, from `DIGEST_HOUR`, each member with notifications waiting for
 * the digest gets one email listing them. PostgreSQL decides everything — the outbox row's dedupe key
 * (`digest:<user>:<date>`) makes a second digest the same day impossible, however many workers scan —
 * so no Redis schedule can be lost; the worker simply looks every `DIGEST_SCAN_INTERVAL_MS`.
 */
@Injectable()
export class DigestService implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('DigestService');
  private readonly task: PeriodicTask;

  constructor(
    private readonly sql: SqlPort,
    private readonly repo: NotificationsRepository,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly clock: Clock,
    private readonly mail: MailOutboxService,
  ) {
    this.task = new PeriodicTask(this.logger, 'digest pass', () => this.sendDue());
  }

  onApplicationBootstrap(): void {
    this.task.start(this.config.notifications.digestScanIntervalMs, false);
  }

  async onModuleDestroy(): Promise<void> {
    await this.task.stop();
  }

  /** One pass; returns how many digests were staged. */
  runOnce(): Promise<number> {
    return this.task.runOnce();
  }

  private async sendDue(): Promise<number> {
    const local = DateTime.fromJSDate(this.clock.now(), { zone: 'Europe/London' });
    if (local.hour < this.config.notifications.digestHour) return 0;
    const date = local.toISODate()!;
    let sent = 0;
    let after = '00000000-0000-0000-0000-000000000000';
    for (;;) {
      const users = await this.repo.digestUsers(after, USERS_PER_PASS);
      if (!users.length) return sent;
      // Members who already had the digest of `date` (its outbox row's dedupe key) wait for tomorrow's.
      const had = await this.mail.existingDedupeKeys(users.map((userId) => digestKey(userId, date)));
      for (const userId of users) {
        if (had.has(digestKey(userId, date))) continue;
        if (await this.sendOne(userId, date, local.toFormat('d LLLL yyyy'))) sent += 1;
      }
      if (users.length < USERS_PER_PASS) return sent;
      after = users[users.length - 1];
    }
  }

  private async sendOne(userId: string, date: string, dateText: string): Promise<boolean> {
    const base = this.config.publicUrl;
    const mailIds = await this.sql.transaction(async (tx, manager) => {
      const items = await this.repo.lockDigestItems(tx, userId);
      if (!items.length) return [];
      const user = await this.repo.digestRecipient(tx, userId);
      if (!user) return [];
      const ids = await this.mail.stage(manager, {
        to: user.email,
        template: 'notifications.digest',
        params: {
          displayName: user.displayName,
          date: dateText,
          items: items
            .slice(0, MAX_ITEMS)
            .map((i) => ({ title: i.title, url: i.url.startsWith('/') ? `${base}${i.url}` : i.url })),
          more: Math.max(0, items.length - MAX_ITEMS),
          inboxUrl: `${base}/notifications`,
        },
        dedupeKey: digestKey(userId, date),
        unsubscribe: { userId, scope: 'digest' },
      });
      // Already had today's digest (another worker got there first): these wait for tomorrow's.
      if (!ids.length) return [];
      await this.repo.markDigested(
        tx,
        items.map((i) => i.id),
      );
      return ids;
    });
    await this.mail.dispatch(mailIds);
    return mailIds.length > 0;
  }
}
