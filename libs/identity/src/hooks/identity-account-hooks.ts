import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import {
  APP_CONFIG,
  AppConfig,
  deleteInBatches,
  pagedRows,
  PersonalDataRegistry,
  RetentionRegistry,
} from '@cophub/core';

/**
 * What identity holds about a person: the profile, memberships, sign-ins and the audit rows that name them.
 * Closing itself (de-identifying the user row, ending memberships and sign-ins) is done by `AccountService.close`
 * after every other module's closer, so this holder's own closer has nothing left to do.
 */
@Injectable()
export class IdentityPersonalData implements OnModuleInit {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly registry: PersonalDataRegistry,
    private readonly retention: RetentionRegistry,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onModuleInit(): void {
    const db = this.dataSource;
    // A sign-in is deleted once every token of it has been over (expired, or revoked) for ENDED_SESSION_RETENTION_DAYS;
    // a live sign-in keeps its used tokens, so presenting a stolen old one still ends it.
    this.retention.register({
      name: 'ended sign-ins and used email links past ENDED_SESSION_RETENTION_DAYS',
      run: async (now) => {
        const days = this.config.retention.endedSessionDays;
        const signIns = await deleteInBatches(
          db,
          `DELETE FROM refresh_tokens WHERE family_id IN (
             SELECT family_id FROM refresh_tokens GROUP BY family_id
             HAVING max(least(expires_at, coalesce(revoked_at, expires_at))) < $1::timestamptz - make_interval(days => $2)
             LIMIT $3)`,
          [now, days],
        );
        const links = await deleteInBatches(
          db,
          `DELETE FROM user_tokens WHERE id IN (
             SELECT id FROM user_tokens WHERE coalesce(used_at, expires_at) < $1::timestamptz - make_interval(days => $2)
                AND expires_at < $1 LIMIT $3)`,
          [now, days],
        );
        return signIns + links;
      },
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
          rows: (userId) =>
            db.query(
              `SELECT id, email, display_name AS "displayName", handle, profession, career_stage AS "careerStage",
                      region, organisation, email_verified_at AS "emailVerifiedAt", created_at AS "createdAt",
                      updated_at AS "updatedAt"
                 FROM users WHERE id = $1`,
              [userId],
            ),
        },
        {
          name: 'memberships',
          about: 'The communities you asked to join, with your status and role in each.',
          rows: (userId) =>
            db.query(
              `SELECT c.slug, c.name, m.status, m.role, m.created_at AS "requestedAt", m.decided_at AS "decidedAt"
                 FROM memberships m JOIN communities c ON c.id = m.community_id WHERE m.user_id = $1 ORDER BY m.created_at`,
              [userId],
            ),
        },
        {
          name: 'signIns',
          about:
            'Your sign-ins (one per device or browser): when each began, when it was last renewed, the browser it ' +
            'named, and whether it has ended.',
          rows: (userId) =>
            db.query(
              `SELECT family_id AS "signIn", min(created_at) AS "startedAt", max(created_at) AS "lastRenewedAt",
                      (array_agg(user_agent ORDER BY created_at DESC))[1] AS "browser",
                      bool_or(revoked_at IS NULL AND used_at IS NULL AND expires_at > now()) AS "active"
                 FROM refresh_tokens WHERE user_id = $1 GROUP BY family_id ORDER BY min(created_at)`,
              [userId],
            ),
        },
        {
          name: 'auditRecords',
          about:
            'Audit records of things you did or that were done to your account or membership (for example ' +
            'approving a member, a role change, a moderation action).',
          rows: (userId) =>
            pagedRows<{ id: string }>(
              (after, size) =>
                db.query(
                  `SELECT id::text, action, target_type AS "targetType", target_id AS "targetId",
                          CASE WHEN actor_id = $1 THEN 'you' ELSE 'someone else' END AS "doneBy", created_at AS "at"
                     FROM audit_log
                    WHERE (actor_id = $1 OR (target_type = 'user' AND target_id = $1::text)
                          )
                      AND ($2::bigint IS NULL OR id > $2::bigint)
                    ORDER BY id LIMIT $3`,
                  [userId, after, size],
                ),
              (row) => row.id,
            ),
        },
      ],
      close: async () => undefined,
    });
  }
}
