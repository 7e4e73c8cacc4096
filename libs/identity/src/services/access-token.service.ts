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

/**
 * Short-lived signed access tokens (HS256). The API and the socket.io handshake verify them the same
 * way; long-lived state (revocation, rotation) lives in the refresh tokens.
 */
@Injectable()
export class AccessTokenService {
  private readonly jwt: JwtService;

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
    try {
      const claims = this.jwt.verify<AccessClaims>(token);
      if (typeof claims.sub !== 'string' || typeof claims.sid !== 'string') return null;
      return { id: claims.sub, isAdmin: claims.adm === true, sessionId: claims.sid };
    } catch {
      return null;
    }
  }
}
