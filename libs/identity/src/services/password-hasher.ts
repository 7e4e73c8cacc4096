import { Inject, Injectable } from '@nestjs/common';
import * as argon2 from 'argon2';
import { APP_CONFIG, AppConfig } from '@cophub/core';
import { IdentityError, IdentityErrorCode } from '../errors/identity.error';

export const MIN_PASSWORD_LENGTH = 10;
export const MAX_PASSWORD_LENGTH = 256;

/** Passwords people pick first; refused whatever their length. */
const COMMON_PASSWORDS = new Set([
  'password',
  'password1',
  'password12',
  'password123',
  'password1234',
  'passw0rd',
  '1234567890',
  '12345678910',
  'qwertyuiop',
  'qwerty1234',
  'qwerty12345',
  'iloveyou12',
  'letmein123',
  'welcome123',
  'welcome1234',
  'abcdefghij',
  'abc1234567',
  '0123456789',
  '1111111111',
  'aaaaaaaaaa',
  'football12',
  'monkey1234',
  'sunshine12',
  'princess12',
  'changeme12',
  'nhspassword',
  'password!1',
  'administrator',
]);

/** Explains why a password is too weak, or returns null. */
export function passwordProblem(
  password: string,
  context: { email?: string; displayName?: string } = {},
): string | null {
  if (password.length < MIN_PASSWORD_LENGTH) return `Password must be at least ${MIN_PASSWORD_LENGTH} characters`;
  if (password.length > MAX_PASSWORD_LENGTH) return `Password must be at most ${MAX_PASSWORD_LENGTH} characters`;
  const lower = password.toLowerCase();
  if (COMMON_PASSWORDS.has(lower)) return 'Password is too common; choose something less guessable';
  if (new Set(lower).size < 4) return 'Password uses too few different characters';
  const local = context.email?.split('@')[0]?.toLowerCase();
  if (local && local.length >= 4 && lower.includes(local)) return 'Password must not contain your email address';
  return null;
}

@Injectable()
export class PasswordHasher {
  private readonly options: argon2.Options & { raw?: false };

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    // OWASP's argon2id baseline: 19 MiB, 2 iterations, 1 lane.
    this.options = { type: argon2.argon2id, memoryCost: config.auth.argon2MemoryKiB, timeCost: 2, parallelism: 1 };
  }

  assertStrong(password: string, context: { email?: string; displayName?: string }): void {
    const problem = passwordProblem(password, context);
    if (problem) throw new IdentityError(IdentityErrorCode.WeakPassword, problem);
  }

  hash(password: string): Promise<string> {
    return argon2.hash(password, this.options);
  }

  async verify(hash: string, password: string): Promise<boolean> {
    try {
      return await argon2.verify(hash, password);
    } catch {
      return false;
    }
  }
}
