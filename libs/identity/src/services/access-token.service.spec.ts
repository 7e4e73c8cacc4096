import { createHmac, randomUUID } from 'node:crypto';
import type { AppConfig } from '@cophub/core';
import { AccessTokenService } from './access-token.service';

const SECRET = 'a-test-secret-that-is-long-enough-for-hs256';
const service = (secret = SECRET, ttl = 900) =>
  new AccessTokenService({ auth: { jwtSecret: secret, accessTokenTtlSeconds: ttl } } as unknown as AppConfig);

function base64url(value: object | Buffer): string {
  return (Buffer.isBuffer(value) ? value : Buffer.from(JSON.stringify(value))).toString('base64url');
}

describe('AccessTokenService', () => {
  const user = { id: randomUUID(), isAdmin: true, sessionId: randomUUID() };

  it('accepts its own tokens and reads the user back', () => {
    expect(service().verify(service().sign(user))).toEqual(user);
  });

  it('accepts a token signed with the same secret by plain HS256 (the key is the secret bytes)', () => {
    const now = Math.floor(Date.now() / 1000);
    const head = `${base64url({ alg: 'HS256', typ: 'JWT' })}.${base64url({ sub: user.id, adm: false, sid: user.sessionId, iss: 'cophub', iat: now, exp: now + 60 })}`;
    const token = `${head}.${base64url(createHmac('sha256', SECRET).update(head).digest())}`;
    expect(service().verify(token)).toEqual({ ...user, isAdmin: false });
  });

  it('refuses tokens signed with another secret, unsigned, or expired', () => {
    expect(service().verify(service('another-secret-that-is-long-enough-for-hs256').sign(user))).toBeNull();
    const [head, body] = service().sign(user).split('.');
    expect(service().verify(`${base64url({ alg: 'none', typ: 'JWT' })}.${body}.`)).toBeNull();
    expect(service().verify(`${head}.${body}.`)).toBeNull();
    expect(service().verify(service(SECRET, -10).sign(user))).toBeNull();
    expect(service().verify('not a token')).toBeNull();
  });

  it('recognises a token it verified before, and refuses it once it expires', () => {
    jest.useFakeTimers({ now: new Date('2026-01-01T10:00:00Z'), doNotFake: ['nextTick', 'setImmediate'] });
    try {
      const tokens = service(SECRET, 60);
      const token = tokens.sign(user);
      expect(tokens.verify(token)).toEqual(user);
      const first = tokens.verify(token);
      first!.isAdmin = false;
      expect(tokens.verify(token)).toEqual(user);
      jest.setSystemTime(new Date('2026-01-01T10:01:01Z'));
      expect(tokens.verify(token)).toBeNull();
      const [head, body, signature] = token.split('.');
      jest.setSystemTime(new Date('2026-01-01T10:00:00Z'));
      expect(tokens.verify(`${head}.${body}.${signature.slice(0, -2)}AA`)).toBeNull();
    } finally {
      jest.useRealTimers();
    }
  });
});
