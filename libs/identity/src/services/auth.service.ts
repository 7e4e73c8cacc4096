import { Inject, Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import {
  APP_CONFIG,
  AppConfig,
  Clock,
  FailureBackoff,
  hashToken,
  isUniqueViolation,
  newSecretToken,
  SqlPort,
} from '@cophub/core';
import { MailOutboxService } from '@cophub/mail';
import { EntityManager } from 'typeorm';
import { AuthRepository } from '../db/auth.repository';
import { CareerStage, Profession, Region, UserTokenKind } from '../db/enums';
import { User } from '../db/user.entity';
import { IdentityError, IdentityErrorCode } from '../errors/identity.error';
import { AccessTokenService, AuthUser } from './access-token.service';
import { assertDisplayName } from '../domain/display-name';
import { IdentityChanges } from './identity-changes';
import { PasswordHasher } from './password-hasher';

export interface RegistrationInput {
  email: string;
  password: string;
  displayName: string;
  profession: Profession;
  careerStage: CareerStage;
  region: Region;
  organisation?: string;
}

export interface TokenPair {
  accessToken: string;
  refreshToken: string;
  tokenType: 'Bearer';
  expiresIn: number;
  user: User;
}

/** Who is signing in from where: the client address keys the sign-in throttle. */
export interface LoginClient {
  userAgent: string | null;
  address: string;
}

const LOGIN_BACKOFF = 'login';

export function normaliseEmail(email: string): string {
  return email.trim().toLowerCase();
}

@Injectable()
export class AuthService {
  /** Verifying against this when the account does not exist keeps login timing the same either way. */
  private dummyHash: Promise<string> | null = null;

  constructor(
    private readonly sql: SqlPort,
    private readonly auth: AuthRepository,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly hasher: PasswordHasher,
    private readonly accessTokens: AccessTokenService,
    private readonly mail: MailOutboxService,
    private readonly clock: Clock,
    private readonly changes: IdentityChanges,
    private readonly backoff: FailureBackoff,
  ) {}

  /**
   * Answers the same whether or not the address already has an account, so registration cannot be
   * used to find out who is a member: a new address gets a verification link; an existing one gets an
   * email telling its owner someone tried, with a sign-in and password-reset link.
   */
  async register(input: RegistrationInput): Promise<void> {
    const email = normaliseEmail(input.email);
    assertDisplayName(input.displayName);
    this.hasher.assertStrong(input.password, { email, displayName: input.displayName });
    const passwordHash = await this.hasher.hash(input.password);
    const mailIds = await this.sql
      .transaction(async (_tx, manager) => {
        const created = await this.auth.insertUser(manager, {
          email,
          passwordHash,
          displayName: input.displayName.trim(),
          profession: input.profession,
          careerStage: input.careerStage,
          region: input.region,
          organisation: input.organisation?.trim() ?? '',
        });
        return this.stageVerification(manager, created);
      })
      .catch((error: unknown) => {
        if (!isUniqueViolation(error, 'ux_users_email')) throw error;
        return this.sql.transaction(async (_tx, manager) => {
          const owner = await this.auth.userByEmail(email, manager);
          if (!owner) return [];
          const reset = await this.newResetLink(manager, owner);
          return this.mail.stage(manager, {
            to: owner.email,
            template: 'identity.registration-attempt',
            params: {
              displayName: owner.displayName,
              signInUrl: `${this.config.publicUrl}/sign-in`,
              resetUrl: reset.url,
              expiresInMinutes: reset.expiresInMinutes,
            },
          });
        });
      });
    await this.mail.dispatch(mailIds);
  }

  private async stageVerification(manager: EntityManager, user: User): Promise<string[]> {
    const { token, hash } = newSecretToken();
    const hours = this.config.auth.emailVerificationTtlHours;
    await this.auth.insertUserToken(manager, {
      userId: user.id,
      kind: UserTokenKind.VerifyEmail,
      tokenHash: hash,
      expiresAt: new Date(this.clock.now().getTime() + hours * 3_600_000),
    });
    return this.mail.stage(manager, {
      to: user.email,
      template: 'identity.verify-email',
      params: {
        displayName: user.displayName,
        url: `${this.config.publicUrl}/verify-email?token=${token}`,
        expiresInHours: hours,
      },
    });
  }

  /** Sends a fresh verification link; silent for unknown or already verified addresses. */
  async resendVerification(emailInput: string): Promise<void> {
    const email = normaliseEmail(emailInput);
    const mailIds = await this.sql.transaction(async (_tx, manager) => {
      const user = await this.auth.userByEmail(email, manager);
      if (!user || user.emailVerifiedAt) return [];
      await this.auth.retireUserTokens(manager, user.id, UserTokenKind.VerifyEmail, this.clock.now());
      return this.stageVerification(manager, user);
    });
    await this.mail.dispatch(mailIds);
  }

  /**
   * Spends a single-use token inside the caller's transaction: a conditional update, so two
   * concurrent uses cannot both succeed. Explains expired and used tokens separately.
   */
  private async consumeToken(manager: EntityManager, kind: UserTokenKind, token: string): Promise<string> {
    const now = this.clock.now();
    const hash = hashToken(token);
    const spentBy = await this.auth.spendUserToken(manager, hash, kind, now);
    if (spentBy) return spentBy;
    const existing = await this.auth.userToken(manager, hash, kind);
    const what = kind === UserTokenKind.VerifyEmail ? 'verification' : 'password reset';
    if (!existing) throw new IdentityError(IdentityErrorCode.InvalidToken, `This ${what} link is not valid`);
    if (existing.usedAt) {
      throw new IdentityError(IdentityErrorCode.InvalidToken, `This ${what} link has already been used`);
    }
    throw new IdentityError(IdentityErrorCode.InvalidToken, `This ${what} link has expired; ask for a new one`);
  }

  async verifyEmail(token: string): Promise<User> {
    const user = await this.sql.transaction(async (_tx, manager) => {
      const userId = await this.consumeToken(manager, UserTokenKind.VerifyEmail, token);
      await this.auth.markEmailVerified(manager, userId, this.clock.now());
      return this.auth.existingUser(manager, userId);
    });
    await this.changes.announce({ kind: 'profile', userId: user.id });
    return user;
  }

  /**
   * Wrong passwords are throttled per account *and client address*: after
   * `LOGIN_FAILURES_BEFORE_DELAY` failures that pair must wait before each new attempt, 1 s, then 2 s,
   * 4 s… up to `LOGIN_MAX_DELAY_SECONDS`. Someone guessing from elsewhere slows only themselves; the
   * owner signing in from their own device is never locked out. A success clears the pair's count.
   */
  async login(emailInput: string, password: string, client: LoginClient): Promise<TokenPair> {
    const email = normaliseEmail(emailInput);
    const subject = `${email}|${client.address}`;
    const policy = {
      free: this.config.rateLimits.loginFailuresBeforeDelay,
      maxDelaySeconds: this.config.rateLimits.loginMaxDelaySeconds,
      what: 'sign-in attempts for this account from your network',
    };
    await this.backoff.check(LOGIN_BACKOFF, subject, policy);
    const user = await this.auth.userByEmail(email);
    if (!user) {
      this.dummyHash ??= this.hasher.hash(randomUUID());
      await this.hasher.verify(await this.dummyHash, password);
    }
    if (!user || !(await this.hasher.verify(user.passwordHash, password))) {
      await this.backoff.fail(LOGIN_BACKOFF, subject);
      throw new IdentityError(IdentityErrorCode.InvalidCredentials, 'Email address or password is incorrect');
    }
    await this.backoff.clear(LOGIN_BACKOFF, subject);
    return this.issue(undefined, user, randomUUID(), client.userAgent);
  }

  private async issue(
    manager: EntityManager | undefined,
    user: User,
    familyId: string,
    userAgent: string | null,
  ): Promise<TokenPair> {
    const { token, hash } = newSecretToken();
    await this.auth.insertRefreshToken(
      {
        familyId,
        userId: user.id,
        tokenHash: hash,
        expiresAt: new Date(this.clock.now().getTime() + this.config.auth.refreshTokenTtlSeconds * 1000),
        userAgent: userAgent?.slice(0, 300) ?? null,
      },
      manager,
    );
    return {
      accessToken: this.accessTokens.sign({ id: user.id, isAdmin: user.isAdmin, sessionId: familyId }),
      refreshToken: token,
      tokenType: 'Bearer',
      expiresIn: this.accessTokens.ttlSeconds,
      user,
    };
  }

  /**
   * Rotates a refresh token. A token that was already used has leaked (or been replayed), so the
   * whole family is revoked and both the thief and the owner must sign in again.
   */
  async refresh(refreshToken: string, userAgent: string | null): Promise<TokenPair> {
    const hash = hashToken(refreshToken);
    const now = this.clock.now();
    const outcome = await this.sql.transaction(async (_tx, manager) => {
      const spent = await this.auth.spendRefreshToken(manager, hash, now);
      if (spent) {
        const user = await this.auth.existingUser(manager, spent.userId);
        return { pair: await this.issue(manager, user, spent.familyId, userAgent) };
      }
      const existing = await this.auth.refreshToken(manager, hash);
      if (existing?.usedAt && !existing.revokedAt) {
        await this.auth.revokeFamily(existing.familyId, now, manager);
        return { reused: true };
      }
      return { invalid: true };
    });
    if (outcome.pair) return outcome.pair;
    if (outcome.reused) {
      throw new IdentityError(
        IdentityErrorCode.RefreshTokenReused,
        'This refresh token was already used; every session from that sign-in has been signed out',
      );
    }
    throw new IdentityError(IdentityErrorCode.InvalidRefreshToken, 'Refresh token is not valid or has expired');
  }

  /**
   * Signs out one sign-in: every refresh token in its family stops working, and so does every access
   * token of it (they name the sign-in, which `SessionService` checks) on the next request, on every
   * instance; its sockets are disconnected.
   */
  async logout(user: AuthUser): Promise<void> {
    await this.auth.revokeSession(user.sessionId, user.id, this.clock.now());
    await this.changes.announce({ kind: 'session', userId: user.id, sessionId: user.sessionId });
  }

  /** Always succeeds from the caller's view, so it cannot be used to find out who has an account. */
  async requestPasswordReset(emailInput: string): Promise<void> {
    const email = normaliseEmail(emailInput);
    const mailIds = await this.sql.transaction(async (_tx, manager) => {
      const user = await this.auth.userByEmail(email, manager);
      if (!user) return [];
      const reset = await this.newResetLink(manager, user);
      return this.mail.stage(manager, {
        to: user.email,
        template: 'identity.password-reset',
        params: { displayName: user.displayName, url: reset.url, expiresInMinutes: reset.expiresInMinutes },
      });
    });
    await this.mail.dispatch(mailIds);
  }

  /** A fresh single-use reset link; any earlier one of the account stops working. */
  private async newResetLink(manager: EntityManager, user: User): Promise<{ url: string; expiresInMinutes: number }> {
    const minutes = this.config.auth.passwordResetTtlMinutes;
    const now = this.clock.now();
    await this.auth.retireUserTokens(manager, user.id, UserTokenKind.ResetPassword, now);
    const { token, hash } = newSecretToken();
    await this.auth.insertUserToken(manager, {
      userId: user.id,
      kind: UserTokenKind.ResetPassword,
      tokenHash: hash,
      expiresAt: new Date(now.getTime() + minutes * 60_000),
    });
    return { url: `${this.config.publicUrl}/reset-password?token=${token}`, expiresInMinutes: minutes };
  }

  async resetPassword(token: string, newPassword: string): Promise<void> {
    this.hasher.assertStrong(newPassword, {});
    const passwordHash = await this.hasher.hash(newPassword);
    const mailIds = await this.sql.transaction(async (_tx, manager) => {
      const userId = await this.consumeToken(manager, UserTokenKind.ResetPassword, token);
      const user = await this.auth.existingUser(manager, userId);
      // Checked after the token so the message can mention the account; the rollback un-spends the token.
      this.hasher.assertStrong(newPassword, { email: user.email, displayName: user.displayName });
      return { userId, mailIds: await this.setPassword(manager, user, passwordHash) };
    });
    await this.changes.announce({ kind: 'user', userId: mailIds.userId });
    await this.mail.dispatch(mailIds.mailIds);
  }

  async changePassword(userId: string, currentPassword: string, newPassword: string): Promise<void> {
    const user = await this.auth.userById(userId);
    if (!user) throw new IdentityError(IdentityErrorCode.UserNotFound, 'Account not found');
    if (!(await this.hasher.verify(user.passwordHash, currentPassword))) {
      throw new IdentityError(IdentityErrorCode.InvalidCredentials, 'Current password is incorrect');
    }
    this.hasher.assertStrong(newPassword, { email: user.email, displayName: user.displayName });
    const passwordHash = await this.hasher.hash(newPassword);
    const mailIds = await this.sql.transaction((_tx, manager) => this.setPassword(manager, user, passwordHash));
    await this.changes.announce({ kind: 'user', userId });
    await this.mail.dispatch(mailIds);
  }

  /** A new password signs the account out everywhere and tells the owner. */
  private async setPassword(manager: EntityManager, user: User, passwordHash: string): Promise<string[]> {
    const now = this.clock.now();
    // Following a reset link also proves the address is theirs.
    await this.auth.setPassword(manager, user.id, passwordHash, user.emailVerifiedAt ?? now);
    await this.auth.revokeAll(manager, user.id, now);
    return this.mail.stage(manager, {
      to: user.email,
      template: 'identity.password-changed',
      params: { displayName: user.displayName },
    });
  }
}
