import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { createHmac, timingSafeEqual } from 'node:crypto';
import { APP_CONFIG, AppConfig, CommonError, CommonErrorCode, decodeCursor, Page, toPage } from '@cophub/core';
import { DataSource, EntityManager } from 'typeorm';
import { MailOutboxService } from './mail-outbox.service';

export interface BouncingAddress {
  address: string;
  reason: string;
  status: string;
  diagnostic: string;
  bounceCount: number;
  firstBouncedAt: Date;
  lastBouncedAt: Date;
}

interface SuppressionRow {
  address: string;
  reason: string;
  status: string;
  diagnostic: string;
  bounce_count: number;
  first_bounced_at: Date;
  last_bounced_at: Date;
}

const toView = (r: SuppressionRow): BouncingAddress => ({
  address: r.address,
  reason: r.reason,
  status: r.status,
  diagnostic: r.diagnostic,
  bounceCount: r.bounce_count,
  firstBouncedAt: r.first_bounced_at,
  lastBouncedAt: r.last_bounced_at,
});

/** How long a "confirm your address" link works. */
const CONFIRM_TTL_MS = 7 * 24 * 3600 * 1000;

/**
 * Addresses that hard-bounced. Delivery skips them (status `suppressed`) until the owner confirms the
 * address again through a signed link mailed to it — the one message still sent there.
 */
@Injectable()
export class MailSuppressionService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly outbox: MailOutboxService,
  ) {}

  /** Records a permanent failure (a 5.x.x delivery status) for an address. */
  async markHardBounce(
    address: string,
    detail: { status: string; diagnostic: string },
    manager: EntityManager = this.dataSource.manager,
  ): Promise<void> {
    await manager.query(
      `INSERT INTO mail_suppressions (address, reason, status, diagnostic) VALUES (lower($1), 'hard_bounce', $2, $3)
       ON CONFLICT (address) DO UPDATE
         SET bounce_count = mail_suppressions.bounce_count + 1, last_bounced_at = now(),
             status = EXCLUDED.status, diagnostic = EXCLUDED.diagnostic`,
      [address, detail.status.slice(0, 20), detail.diagnostic.slice(0, 1000)],
    );
  }

  async find(address: string): Promise<BouncingAddress | null> {
    const rows = (await this.dataSource.query('SELECT * FROM mail_suppressions WHERE address = lower($1)', [
      address,
    ])) as SuppressionRow[];
    return rows[0] ? toView(rows[0]) : null;
  }

  /** Admins' list, most recent bounce first. */
  async list(limit: number, cursor?: string): Promise<Page<BouncingAddress>> {
    const params: unknown[] = [limit + 1];
    let where = '';
    if (cursor) {
      const [at, address] = decodeCursor(cursor, ['date', 'string']);
      params.push(at, address);
      where = 'WHERE (last_bounced_at, address) < ($2, $3)';
    }
    const rows = (await this.dataSource.query(
      `SELECT * FROM mail_suppressions ${where} ORDER BY last_bounced_at DESC, address DESC LIMIT $1`,
      params,
    )) as SuppressionRow[];
    const page = toPage(rows, limit, (r) => [r.last_bounced_at.toISOString(), r.address]);
    return { items: page.items.map(toView), nextCursor: page.nextCursor };
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
    await this.dataSource.query('DELETE FROM mail_suppressions WHERE address = lower($1)', [address]);
    return address;
  }
}
