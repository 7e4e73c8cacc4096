import { Inject, Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DateTime } from 'luxon';
import { APP_CONFIG, AppConfig, Clock, PeriodicTask } from '@cophub/core';
import { MailOutboxService } from '@cophub/mail';
import { DataSource } from 'typeorm';

const MAX_ITEMS = 20;
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
    @InjectDataSource() private readonly dataSource: DataSource,
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
    for (;;) {
      const users: Array<{ user_id: string }> = await this.dataSource.query(
        `SELECT DISTINCT n.user_id FROM notifications n
          WHERE n.digest_pending
            AND NOT EXISTS (SELECT 1 FROM mail_outbox m WHERE m.dedupe_key = 'digest:' || n.user_id || ':' || $1)
          LIMIT $2`,
        [date, USERS_PER_PASS],
      );
      if (!users.length) return sent;
      for (const { user_id } of users) if (await this.sendOne(user_id, date, local.toFormat('d LLLL yyyy'))) sent += 1;
      if (users.length < USERS_PER_PASS) return sent;
    }
  }

  private async sendOne(userId: string, date: string, dateText: string): Promise<boolean> {
    const base = this.config.publicUrl;
    const mailIds = await this.dataSource.transaction(async (manager) => {
      const items: Array<{ id: string; title: string; url: string }> = await manager.query(
        `SELECT id, title, url FROM notifications WHERE user_id = $1 AND digest_pending
          ORDER BY created_at, id FOR UPDATE SKIP LOCKED`,
        [userId],
      );
      if (!items.length) return [];
      const [user]: Array<{ email: string; display_name: string }> = await manager.query(
        'SELECT email, display_name FROM users WHERE id = $1',
        [userId],
      );
      if (!user) return [];
      const ids = await this.mail.stage(manager, {
        to: user.email,
        template: 'notifications.digest',
        params: {
          displayName: user.display_name,
          date: dateText,
          items: items
            .slice(0, MAX_ITEMS)
            .map((i) => ({ title: i.title, url: i.url.startsWith('/') ? `${base}${i.url}` : i.url })),
          more: Math.max(0, items.length - MAX_ITEMS),
          inboxUrl: `${base}/notifications`,
        },
        dedupeKey: `digest:${userId}:${date}`,
        unsubscribe: { userId, scope: 'digest' },
      });
      // Already had today's digest (another worker got there first): these wait for tomorrow's.
      if (!ids.length) return [];
      await manager.query('UPDATE notifications SET digest_pending = false WHERE id = ANY($1::uuid[])', [
        items.map((i) => i.id),
      ]);
      return ids;
    });
    await this.mail.dispatch(mailIds);
    return mailIds.length > 0;
  }
}
