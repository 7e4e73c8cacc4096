import { Injectable, OnModuleInit } from '@nestjs/common';
import { MailPreferenceFilters, recipientKindKey } from '@cophub/mail';
import { NotificationsRepository } from '../db/notifications.repository';

/**
 * Each member's channel per kind decides whether mail sends them an email of that kind, whichever module stages
 * it: registered with mail's preference filters in every process that loads this module.
 */
@Injectable()
export class NotificationMailPreferences implements OnModuleInit {
  constructor(
    private readonly repo: NotificationsRepository,
    private readonly filters: MailPreferenceFilters,
  ) {}

  onModuleInit(): void {
    this.filters.register('notification channels', {
      optedOut: async (db, wanted, options) =>
        new Set((await this.repo.notEmailed(db, wanted, options.timely ?? false)).map(recipientKindKey)),
    });
  }
}
