import { Injectable } from '@nestjs/common';
import { AuditService } from '@cophub/audit';
import { Clock, IdempotencyStore, PersonalDataRegistry, personalDataJson, SqlPort } from '@cophub/core';
import { AccountRepository } from '../db/account.repository';
import { IdentityError, IdentityErrorCode } from '../errors/identity.error';
import { formerMemberHandle } from '../domain/handle';
import { IdentityChanges } from './identity-changes';
import { PasswordHasher } from './password-hasher';
import { UserService } from './user.service';

/**
 * Personal data export and account closure. Identity owns the person; every other module registers
 * what it holds about them and what closing means for it (in `onModuleInit`), so identity never
 * imports them. Closing keeps the user row, de-identified, so forum posts keep an author ("Former
 * member") and poll tallies and event attendance figures do not change.
 */
@Injectable()
export class AccountService {
  constructor(
    private readonly sql: SqlPort,
    private readonly account: AccountRepository,
    private readonly users: UserService,
    private readonly hasher: PasswordHasher,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly changes: IdentityChanges,
    private readonly personalData: PersonalDataRegistry,
    private readonly idempotency: IdempotencyStore,
  ) {}

  /**
   * Everything CoP Hub holds about the person as JSON text in pieces, one section per module, each entry saying
   * what it is; read as it is written, so a long history never sits in memory whole.
   */
  async exportJson(userId: string): Promise<AsyncIterable<string>> {
    await this.users.get(userId);
    const header = {
      about:
        'Everything CoP Hub holds about you, one section per part of the product. Each entry says what it is. ' +
        'Your answers to anonymous polls are not here: they are stored with no link to you, so nobody (CoP Hub ' +
        'included) can find them; the polls section lists which anonymous polls you answered.',
      exportedAt: this.clock.now().toISOString(),
      userId,
    };
    return personalDataJson(header, this.personalData.all(), userId);
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
    const soleCoChair = await this.account.soleCoChairOf(userId);
    if (soleCoChair.length) {
      throw new IdentityError(
        IdentityErrorCode.LastCoChair,
        `You are the only co-chair of ${soleCoChair.join(', ')}: appoint another co-chair first`,
      );
    }
    for (const holder of this.personalData.all()) await holder.close(userId);
    await this.sql.transaction(async (tx) => {
      await this.account.close(tx, userId, this.clock.now(), formerMemberHandle(userId));
      // Its stored answers to retried requests (core's table, deleted by core's statement) go in the same commit.
      await this.idempotency.forgetUser(userId, tx);
      await this.audit.record(tx, {
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
