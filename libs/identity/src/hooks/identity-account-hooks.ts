import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { APP_CONFIG, AppConfig, PersonalDataRegistry, RetentionRegistry } from '@cophub/core';
import { AuditService } from '@cophub/audit';
import { AccountRepository } from '../db/account.repository';

/**
 * What identity holds about a person: the profile, memberships, sign-ins and the audit rows that name them.
 * Closing itself (de-identifying the user row, ending memberships and sign-ins) is done by `AccountService.close`
 * after every other module's closer, so this holder's own closer has nothing left to do.
 */
@Injectable()
export class IdentityPersonalData implements OnModuleInit {
  constructor(
    private readonly account: AccountRepository,
    private readonly registry: PersonalDataRegistry,
    private readonly retention: RetentionRegistry,
    private readonly audit: AuditService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onModuleInit(): void {
    const account = this.account;
    // A sign-in is deleted once every token of it has been over (expired, or revoked) for ENDED_SESSION_RETENTION_DAYS;
    // a live sign-in keeps its used tokens, so presenting a stolen old one still ends it.
    this.retention.register({
      name: 'ended sign-ins and used email links past ENDED_SESSION_RETENTION_DAYS',
      run: (now) => account.deleteEnded(now, this.config.retention.endedSessionDays),
    });
    this.registry.register({
      section: 'identity',
      about: 'Your account: profile, community memberships, sign-ins and the audit records that name you.',
      tables: {
        users: 'kept de-identified: email, name, handle and organisation replaced, password removed ("Former member")',
        memberships: 'deleted',
        refresh_tokens: 'deleted: every sign-in ends',
        user_tokens: 'deleted (verification and password-reset links)',
        idempotency_keys: 'deleted (stored answers to retried requests)',
        audit_log:
          'kept for the community record, naming the account only by its id, which now shows as "Former member"; deleted after AUDIT_RETENTION_DAYS',
      },
      parts: [
        {
          name: 'profile',
          about: 'Your profile as you entered it, and when your account was made and verified.',
          rows: (userId) => account.profile(userId),
        },
        {
          name: 'memberships',
          about: 'The communities you asked to join, with your status and role in each.',
          rows: (userId) => account.memberships(userId),
        },
        {
          name: 'signIns',
          about:
            'Your sign-ins (one per device or browser): when each began, when it was last renewed, the browser it ' +
            'named, and whether it has ended.',
          rows: (userId) => account.signIns(userId),
        },
        {
          name: 'auditRecords',
          about:
            'Audit records of things you did or that were done to your account or membership (for example ' +
            'approving a member, a role change, a moderation action).',
          rows: (userId) => this.audit.recordsNaming(userId),
        },
      ],
      close: async () => undefined,
    });
  }
}
