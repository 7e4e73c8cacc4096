import { Injectable, OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { pagedRows, PersonalDataRegistry } from '@cophub/core';
import { DataSource } from 'typeorm';

/** Notifications in a person's export; on closing, their notifications and choices are deleted. */
@Injectable()
export class NotificationAccountHooks implements OnModuleInit {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly registry: PersonalDataRegistry,
  ) {}

  onModuleInit(): void {
    const db = this.dataSource;
    this.registry.register({
      section: 'notifications',
      about: 'Notifications shown to you in the app, and how you chose to receive each kind.',
      tables: { notifications: 'deleted', notification_preferences: 'deleted' },
      parts: [
        {
          name: 'preferences',
          about:
            'How you chose to receive each kind of notification (in the app, by email at once, in a digest, or off).',
          rows: (userId) =>
            db.query('SELECT kind, channel FROM notification_preferences WHERE user_id = $1 ORDER BY kind', [userId]),
        },
        {
          name: 'notifications',
          about: 'Notifications shown to you in the app, newest last.',
          rows: (userId) =>
            pagedRows<{ id: string }>(
              (after, size) =>
                db.query(
                  `SELECT id, kind, title, body, url, read_at AS "readAt", created_at AS "createdAt" FROM notifications
                    WHERE user_id = $1 AND ($2::uuid IS NULL OR id > $2::uuid) ORDER BY id LIMIT $3`,
                  [userId, after, size],
                ),
              (row) => row.id,
            ),
        },
      ],
      close: async (userId) => {
        await db.query('DELETE FROM notifications WHERE user_id = $1', [userId]);
        await db.query('DELETE FROM notification_preferences WHERE user_id = $1', [userId]);
      },
    });
  }
}
