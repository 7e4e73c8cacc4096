import { Inject, Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { createSecretKey } from 'node:crypto';
import { APP_CONFIG, AppConfig } from '@cophub/core';

/** Who is making a request, as carried by the access token. */
export interface AuthUser {
  id: string;
  isAdmin: boolean;
  /** The sign-in (refresh token family) this access token belongs to. */
  sessionId: string;
}

interface AccessClaims {
  sub: string;
  adm: boolean;
  sid: string;
}

/** Verified tokens kept per process (about 300 bytes each). */
const VERIFIED_TOKENS_KEPT = 10_000;

/**
 * Short-lived signed access tokens (HS256). The API and the socket.io handshake verify them the same
 * way; long-lived state (revocation, rotation) lives in the refresh tokens.
 */
@Injectable()
export class AccessTokenService {
  private readonly jwt: JwtService;
  private readonly verified = new Map<string, { user: AuthUser; expiresAtMs: number }>();

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {
    this.jwt = new JwtService({
      // A prepared key, not the string: given a string, jsonwebtoken first tries to parse it as a
      // PEM public key on every verify (about 0.4 ms of CPU per request); a KeyObject skips that.
      secret: createSecretKey(Buffer.from(config.auth.jwtSecret, 'utf8')),
      signOptions: { algorithm: 'HS256', expiresIn: config.auth.accessTokenTtlSeconds, issuer: 'cophub' },
      verifyOptions: { algorithms: ['HS256'], issuer: 'cophub' },
    });
  }

  get ttlSeconds(): number {
    return this.config.auth.accessTokenTtlSeconds;
  }

  sign(user: AuthUser): string {
    const claims: AccessClaims = { sub: user.id, adm: user.isAdmin, sid: user.sessionId };
    return this.jwt.sign(claims);
  }

  /** Returns the user, or null for a missing, malformed, forged or expired token. */
  verify(token: string | undefined | null): AuthUser | null {
    if (!token) return null;
    const known = this.verified.get(token);
    if (known) {
      if (Date.now() < known.expiresAtMs) return { ...known.user };
      this.verified.delete(token);
    }
    try {
      const claims = this.jwt.verify<AccessClaims & { exp: number }>(token);
      if (typeof claims.sub !== 'string' || typeof claims.sid !== 'string') return null;
      const user = { id: claims.sub, isAdmin: claims.adm === true, sessionId: claims.sid };
      this.remember(token, user, claims.exp * 1000);
      return { ...user };
    } catch {
      return null;
    }
  }

  /**
   * A client sends the same token on every request until it expires, and the signature check
   * (HMAC, two base64 and JSON decodes) was a tenth of a light request's CPU. A token already
   * verified here is recognised by its exact text, signature included, and still refused once its
   * `exp` has passed; the oldest entries go first when the map is full.
   */
  private remember(token: string, user: AuthUser, expiresAtMs: number): void {
    if (!Number.isFinite(expiresAtMs)) return;
    if (this.verified.size >= VERIFIED_TOKENS_KEPT) {
      const oldest = this.verified.keys().next();
      if (!oldest.done) this.verified.delete(oldest.value);
    }
    this.verified.set(token, { user, expiresAtMs });
  }
}
