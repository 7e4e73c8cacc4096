import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { AuditService } from '@cophub/audit';
import { Clock } from '@cophub/core';
import { DataSource } from 'typeorm';
import { IdentityError, IdentityErrorCode } from '../errors/identity.error';
import { IdentityChanges } from './identity-changes';
import { PasswordHasher } from './password-hasher';
import { UserService } from './user.service';

/** One module's share of a person's data, for their export. */
export type PersonalDataExporter = (userId: string) => Promise<unknown>;
/** What a module does when a person closes their account (withdraw RSVPs, drop feeds…). Must be idempotent. */
export type AccountCloser = (userId: string) => Promise<void>;

/**
 * Personal data export and account closure. Identity owns the person; every other module registers
 * what it holds about them and what closing means for it (in `onModuleInit`), so identity never
 * imports them. Closing keeps the user row, de-identified, so forum posts keep an author ("Former
 * member") and poll tallies and event attendance figures do not change.
 */
@Injectable()
export class AccountService {
  private readonly exporters = new Map<string, PersonalDataExporter>();
  private readonly closers = new Map<string, AccountCloser>();

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly users: UserService,
    private readonly hasher: PasswordHasher,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly changes: IdentityChanges,
  ) {}

  registerExporter(section: string, exporter: PersonalDataExporter): void {
    if (this.exporters.has(section)) throw new Error(`personal data section ${section} registered twice`);
    this.exporters.set(section, exporter);
  }

  registerCloser(name: string, closer: AccountCloser): void {
    if (this.closers.has(name)) throw new Error(`account closer ${name} registered twice`);
    this.closers.set(name, closer);
  }

  async export(userId: string): Promise<Record<string, unknown>> {
    const user = await this.users.get(userId);
    const memberships = await this.dataSource.query(
      `SELECT c.slug, c.name, m.status, m.role, m.created_at AS "requestedAt", m.decided_at AS "decidedAt"
         FROM memberships m JOIN communities c ON c.id = m.community_id WHERE m.user_id = $1 ORDER BY m.created_at`,
      [userId],
    );
    const sections: Record<string, unknown> = {};
    for (const [name, exporter] of this.exporters) sections[name] = await exporter(userId);
    return {
      exportedAt: this.clock.now().toISOString(),
      profile: {
        id: user.id,
        email: user.email,
        displayName: user.displayName,
        profession: user.profession,
        careerStage: user.careerStage,
        region: user.region,
        organisation: user.organisation,
        emailVerifiedAt: user.emailVerifiedAt?.toISOString() ?? null,
        createdAt: user.createdAt.toISOString(),
      },
      memberships,
      ...sections,
    };
  }

  /**
   * Closes the account after checking the password. Refused while the person is the only co-chair of
   * a community (someone must be left to run it). Modules' closers run first (each is idempotent, so
   * a retry after a failure completes the job), then the person is de-identified and signed out.
   */
  async close(userId: string, password: string): Promise<void> {
    const user = await this.users.get(userId);
    if (!(await this.hasher.verify(user.passwordHash, password))) {
      throw new IdentityError(IdentityErrorCode.InvalidCredentials, 'That password is not right');
    }
    const soleCoChair: Array<{ name: string }> = await this.dataSource.query(
      `SELECT c.name FROM memberships m JOIN communities c ON c.id = m.community_id
        WHERE m.user_id = $1 AND m.role = 'co_chair' AND m.status = 'approved'
          AND NOT EXISTS (SELECT 1 FROM memberships o WHERE o.community_id = m.community_id AND o.user_id <> $1
                            AND o.role = 'co_chair' AND o.status = 'approved')`,
      [userId],
    );
    if (soleCoChair.length) {
      throw new IdentityError(
        IdentityErrorCode.LastCoChair,
        `You are the only co-chair of ${soleCoChair.map((c) => c.name).join(', ')}: appoint another co-chair first`,
      );
    }
    for (const closer of this.closers.values()) await closer(userId);
    await this.dataSource.transaction(async (manager) => {
      await manager.query(
        `UPDATE users SET email = 'closed-' || id || '@closed.invalid', display_name = 'Former member', organisation = '',
                          handle = 'former-' || left(replace(id::text, '-', ''), 20),
                          password_hash = '!closed', email_verified_at = NULL, is_admin = false, closed_at = $2
          WHERE id = $1`,
        [userId, this.clock.now()],
      );
      await manager.query('DELETE FROM memberships WHERE user_id = $1', [userId]);
      await manager.query('DELETE FROM refresh_tokens WHERE user_id = $1', [userId]);
      await manager.query('DELETE FROM user_tokens WHERE user_id = $1', [userId]);
      await this.audit.record(manager, {
        communityId: null,
        actorId: userId,
        action: 'account.closed',
        targetType: 'user',
        targetId: userId,
      });
    });
    // Signed out everywhere at once: its sessions and memberships are gone from every cache, its sockets dropped.
    await this.changes.announce({ kind: 'user', userId });
  }
}
