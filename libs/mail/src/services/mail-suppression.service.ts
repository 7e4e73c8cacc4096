import { Inject, Injectable } from '@nestjs/common';
import { createHmac, timingSafeEqual } from 'node:crypto';
import {
  APP_CONFIG,
  AppConfig,
  CommonError,
  CommonErrorCode,
  decodeCursor,
  Page,
  Queryable,
  Sql,
  toPage,
} from '@cophub/core';
import { BouncingAddress, MailSuppressionsRepository } from '../db/mail-suppressions.repository';
import { MailOutboxService } from './mail-outbox.service';

/** How long a "confirm your address" link works. */
const CONFIRM_TTL_MS = 7 * 24 * 3600 * 1000;

/**
 * Addresses that hard-bounced. Delivery skips them (status `suppressed`) until the owner confirms the
 * address again through a signed link mailed to it — the one message still sent there.
 */
@Injectable()
export class MailSuppressionService {
  constructor(
    private readonly suppressions: MailSuppressionsRepository,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly outbox: MailOutboxService,
  ) {}

  /** Records a permanent failure (a 5.x.x delivery status) for an address, in the caller's transaction if given. */
  async markHardBounce(address: string, detail: { status: string; diagnostic: string }, db?: Queryable): Promise<void> {
    await this.suppressions.recordHardBounce(
      address,
      { status: detail.status.slice(0, 20), diagnostic: detail.diagnostic.slice(0, 1000) },
      db ? Sql.over(db) : undefined,
    );
  }

  find(address: string): Promise<BouncingAddress | null> {
    return this.suppressions.find(address);
  }

  /** Admins' list, most recent bounce first. */
  async list(limit: number, cursor?: string): Promise<Page<BouncingAddress>> {
    let after: { lastBouncedAt: Date | string; address: string } | undefined;
    if (cursor) {
      const [at, address] = decodeCursor(cursor, ['date', 'string']);
      after = { lastBouncedAt: at as Date | string, address: address as string };
    }
    const rows = await this.suppressions.list(limit + 1, after);
    return toPage(rows, limit, (r) => [r.lastBouncedAt.toISOString(), r.address]);
  }

  private sign(address: string, expires: number): string {
    return createHmac('sha256', `confirm-address:${this.config.auth.jwtSecret}`)
      .update(`${address.toLowerCase()}:${expires}`)
      .digest('base64url');
  }

  /** Mails the owner a link that lifts the suppression; exempt from suppression itself. */
  async requestConfirmation(user: { email: string; displayName: string }): Promise<void> {
    const current = await this.find(user.email);
    if (!current) throw new CommonError(CommonErrorCode.Conflict, 'This address is not bouncing; nothing to confirm');
    const expires = Date.now() + CONFIRM_TTL_MS;
    const token = `${Buffer.from(user.email.toLowerCase()).toString('base64url')}.${expires}.${this.sign(user.email, expires)}`;
    await this.outbox.send({
      to: user.email,
      template: 'mail.confirm-address',
      params: {
        displayName: user.displayName,
        address: user.email,
        url: `${this.config.publicUrl}/api/v1/mail-status/confirm?token=${encodeURIComponent(token)}`,
      },
    });
  }

  /** Checks a confirmation token; returns the address it confirms. */
  verify(token: string): string {
    const [encoded, expiresRaw, signature] = String(token ?? '').split('.');
    const invalid = new CommonError(CommonErrorCode.BadRequest, 'This confirmation link is not valid or has expired');
    const expires = Number(expiresRaw);
    if (!encoded || !signature || !Number.isInteger(expires) || expires < Date.now()) throw invalid;
    const address = Buffer.from(encoded, 'base64url').toString('utf8');
    const expected = Buffer.from(this.sign(address, expires));
    const given = Buffer.from(signature);
    if (expected.length !== given.length || !timingSafeEqual(expected, given)) throw invalid;
    return address;
  }

  /** The owner followed the link: mail to the address resumes. */
  async confirm(token: string): Promise<string> {
    const address = this.verify(token);
    await this.suppressions.remove(address);
    return address;
  }
}
