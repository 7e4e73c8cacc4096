import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, AppConfig, TtlCache } from '@cophub/core';
import { AccessRepository } from '../db/access.repository';
import type { AuthUser } from './access-token.service';
import { IdentityChanges } from './identity-changes';

interface SessionState {
  userId: string;
  /** Read from the account, not the token, so granting or removing admin takes effect at once. */
  isAdmin: boolean;
  live: boolean;
}

/**
 * Sessions that end when they should. An access token names its sign-in (`sid`, the refresh-token
 * family); each request checks in PostgreSQL that the sign-in is still live (a refresh token of the
 * family neither revoked nor expired) and the account open. The answer is cached per instance for
 * `SESSION_CACHE_SECONDS`, and every cached answer about a session or person is dropped when
 * `IdentityChanges` reports a logout, a password change or reset, or a closed account: at once on the
 * instance that made the change, within milliseconds on the others through Redis. While an instance's
 * Redis subscription is down, its answers live at most `SESSION_CACHE_SECONDS_WITHOUT_REDIS`.
 */
@Injectable()
export class SessionService {
  private readonly cache = new TtlCache<string, SessionState>();

  constructor(
    private readonly access: AccessRepository,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly changes: IdentityChanges,
  ) {
    changes.subscribe((change) => {
      if (change.kind === 'all') this.cache.clear();
      else if (change.kind === 'session') this.cache.delete(change.sessionId);
      else if (change.kind === 'user') this.cache.deleteWhere((_, state) => state.userId === change.userId);
    });
  }

  /** How long an answer may be reused now (shorter while other instances' changes cannot reach us). */
  cacheMs(): number {
    const { cacheSeconds, cacheSecondsWithoutRedis } = this.config.sessions;
    return (this.changes.connected ? cacheSeconds : Math.min(cacheSeconds, cacheSecondsWithoutRedis)) * 1000;
  }

  /** The caller as of now, or null when the sign-in has ended or the account is closed. */
  async resolve(claims: AuthUser): Promise<AuthUser | null> {
    let state = this.cache.get(claims.sessionId);
    if (!state || state.userId !== claims.id) {
      const row = await this.access.sessionState(claims.sessionId, claims.id);
      state = { userId: claims.id, isAdmin: row?.isAdmin === true, live: row?.live === true };
      this.cache.set(claims.sessionId, state, this.cacheMs());
    }
    return state.live ? { id: claims.id, isAdmin: state.isAdmin, sessionId: claims.sessionId } : null;
  }
}
