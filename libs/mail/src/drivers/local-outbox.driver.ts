import type { MailDriver } from './mail-driver';

/**
 * Development default when no SMTP server is configured: the rendered message stays in its outbox row
 * (marked sent with transport `local`), where the admin/dev mail view shows it.
 */
export class LocalOutboxDriver implements MailDriver {
  readonly transport = 'local' as const;
  async send(): Promise<void> {
    return;
  }
  async close(): Promise<void> {
    return;
  }
}
