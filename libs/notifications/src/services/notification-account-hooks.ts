import { Injectable, OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { AccountService } from '@cophub/identity';
import { DataSource } from 'typeorm';

/** Notifications in a person's export; on closing, their notifications and choices are deleted. */
@Injectable()
export class NotificationAccountHooks implements OnModuleInit {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly accounts: AccountService,
  ) {}

  onModuleInit(): void {
    this.accounts.registerExporter('notifications', async (userId) => ({
      preferences: await this.dataSource.query(
        'SELECT kind, channel FROM notification_preferences WHERE user_id = $1 ORDER BY kind',
        [userId],
      ),
      notifications: await this.dataSource.query(
        `SELECT kind, title, body, url, read_at AS "readAt", created_at AS "createdAt" FROM notifications
          WHERE user_id = $1 ORDER BY created_at DESC LIMIT 1000`,
        [userId],
      ),
    }));
    this.accounts.registerCloser('notifications', async (userId) => {
      await this.dataSource.query('DELETE FROM notifications WHERE user_id = $1', [userId]);
      await this.dataSource.query('DELETE FROM notification_preferences WHERE user_id = $1', [userId]);
    });
  }
}
