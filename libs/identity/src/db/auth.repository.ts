import { Injectable } from '@nestjs/common';
import { EntityManager, IsNull } from 'typeorm';
import { Columns, Sql, SqlPort } from '@cophub/core';
import { UserTokenKind } from './enums';
import { RefreshToken } from './refresh-token.entity';
import { User } from './user.entity';
import { UserToken } from './user-token.entity';

/**
 * Every statement of signing up, in and out: accounts by address, single-use email links (`user_tokens`) and
 * refresh-token families. Each method runs in the caller's transaction (its manager), or on the pool when none
 * is given.
 */
@Injectable()
export class AuthRepository {
  constructor(private readonly sql: SqlPort) {}

  insertUser(manager: EntityManager, values: Partial<User>): Promise<User> {
    return manager.save(manager.create(User, values));
  }

  userByEmail(email: string, manager: EntityManager = this.sql.manager): Promise<User | null> {
    return manager.findOneBy(User, { email });
  }

  userById(userId: string, manager: EntityManager = this.sql.manager): Promise<User | null> {
    return manager.findOneBy(User, { id: userId });
  }

  existingUser(manager: EntityManager, userId: string): Promise<User> {
    return manager.findOneByOrFail(User, { id: userId });
  }

  async markEmailVerified(manager: EntityManager, userId: string, at: Date): Promise<void> {
    await manager.query(
      'UPDATE users SET email_verified_at = COALESCE(email_verified_at, $2), updated_at = now() WHERE id = $1',
      [userId, at],
    );
  }

  /** A new password; following a reset link also proves the address, so it is marked verified if it was not. */
  async setPassword(
    manager: EntityManager,
    userId: string,
    passwordHash: string,
    emailVerifiedAt: Date,
  ): Promise<void> {
    await manager.update(User, { id: userId }, { passwordHash, emailVerifiedAt });
  }

  async insertUserToken(
    manager: EntityManager,
    values: { userId: string; kind: UserTokenKind; tokenHash: string; expiresAt: Date },
  ): Promise<void> {
    await manager.insert(UserToken, values);
  }

  /** Every unused link of this kind of the account stops working. */
  async retireUserTokens(manager: EntityManager, userId: string, kind: UserTokenKind, at: Date): Promise<void> {
    await manager.update(UserToken, { userId, kind, usedAt: IsNull() }, { usedAt: at });
  }

  /** Spends a live link with a conditional update (two concurrent uses cannot both succeed); its user, or null. */
  async spendUserToken(
    manager: EntityManager,
    tokenHash: string,
    kind: UserTokenKind,
    now: Date,
  ): Promise<string | null> {
    const rows = await Sql.over(manager).rows<Columns<'user_tokens', 'user_id'>>(
      `UPDATE user_tokens SET used_at = $3
        WHERE token_hash = $1 AND kind = $2 AND used_at IS NULL AND expires_at > $3
      RETURNING user_id`,
      [tokenHash, kind, now],
    );
    return rows[0]?.user_id ?? null;
  }

  userToken(manager: EntityManager, tokenHash: string, kind: UserTokenKind): Promise<UserToken | null> {
    return manager.findOneBy(UserToken, { tokenHash, kind });
  }

  async insertRefreshToken(
    values: { familyId: string; userId: string; tokenHash: string; expiresAt: Date; userAgent: string | null },
    manager: EntityManager = this.sql.manager,
  ): Promise<void> {
    await manager.insert(RefreshToken, values);
  }

  /** Spends a live refresh token; its sign-in and user, or null. */
  async spendRefreshToken(
    manager: EntityManager,
    tokenHash: string,
    now: Date,
  ): Promise<{ familyId: string; userId: string } | null> {
    const rows = await Sql.over(manager).rows<Columns<'refresh_tokens', 'family_id' | 'user_id'>>(
      `UPDATE refresh_tokens SET used_at = $2
          WHERE token_hash = $1 AND used_at IS NULL AND revoked_at IS NULL AND expires_at > $2
        RETURNING family_id, user_id`,
      [tokenHash, now],
    );
    return rows[0] ? { familyId: rows[0].family_id, userId: rows[0].user_id } : null;
  }

  refreshToken(manager: EntityManager, tokenHash: string): Promise<RefreshToken | null> {
    return manager.findOneBy(RefreshToken, { tokenHash });
  }

  /** Ends one sign-in: every refresh token of the family not yet revoked. */
  async revokeFamily(familyId: string, at: Date, manager: EntityManager = this.sql.manager): Promise<void> {
    await manager.update(RefreshToken, { familyId, revokedAt: IsNull() }, { revokedAt: at });
  }

  /** Ends one sign-in of this user (logout). */
  async revokeSession(familyId: string, userId: string, at: Date): Promise<void> {
    await this.sql.manager.update(RefreshToken, { familyId, userId, revokedAt: IsNull() }, { revokedAt: at });
  }

  /** Ends every sign-in of the account. */
  async revokeAll(manager: EntityManager, userId: string, at: Date): Promise<void> {
    await manager.update(RefreshToken, { userId, revokedAt: IsNull() }, { revokedAt: at });
  }
}
