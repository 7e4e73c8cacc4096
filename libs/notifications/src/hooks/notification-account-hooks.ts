import { Injectable, OnModuleInit } from '@nestjs/common';
import { pagedRows, PersonalDataRegistry } from '@cophub/core';
import { NotificationsRepository } from '../db/notifications.repository';

/** Notifications in a person's export; on closing, their notifications and choices are deleted. */
@Injectable()
export class NotificationAccountHooks implements OnModuleInit {
  constructor(
    private readonly repo: NotificationsRepository,
    private readonly registry: PersonalDataRegistry,
  ) {}

  onModuleInit(): void {
    const repo = this.repo;
    this.registry.register({
      section: 'notifications',
      about: 'Notifications shown to you in the app, and how you chose to receive each kind.',
      tables: { notifications: 'deleted', notification_preferences: 'deleted' },
      parts: [
        {
          name: 'preferences',
          about:
            'How you chose to receive each kind of notification (in the app, by email at once, in a digest, or off).',
          rows: (userId) => repo.preferencesOf(userId),
        },
        {
          name: 'notifications',
          about: 'Notifications shown to you in the app, newest last.',
          rows: (userId) =>
            pagedRows<{ id: string }>(
              (after, size) => repo.pageOf(userId, after, size),
              (row) => row.id,
            ),
        },
      ],
      close: (userId) => repo.deleteAllOf(userId),
    });
  }
}
