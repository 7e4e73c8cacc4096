import { CanActivate, ExecutionContext, Inject, Injectable, SetMetadata } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyRequest } from 'fastify';
import { APP_CONFIG } from '../config/config.module';
import type { AppConfig } from '../config/app-config';
import { RateLimiter } from './rate-limiter';

export interface RateLimitRule {
  bucket: string;
  /** What is counted: the client address, the signed-in user, or the email address in the body. */
  by: 'ip' | 'user' | 'body.email';
  limit: (config: AppConfig) => number;
  windowSeconds: number;
  /** Plural noun for the 429 message, e.g. "sign-in attempts". */
  what: string;
}

export const RATE_LIMIT = Symbol('RATE_LIMIT');

export const RateLimit = (...rules: RateLimitRule[]) => SetMetadata(RATE_LIMIT, rules);

/** Applies `@RateLimit` rules; runs after authentication so `by: 'user'` can count per person. */
@Injectable()
export class RateLimitGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly limiter: RateLimiter,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Synchronous for routes without rules: they cost no Redis round trip and no extra promise. */
  canActivate(context: ExecutionContext): boolean | Promise<boolean> {
    const rules = this.reflector.getAllAndOverride<RateLimitRule[] | undefined>(RATE_LIMIT, [
      context.getHandler(),
      context.getClass(),
    ]);
    if (!rules?.length || context.getType() !== 'http') return true;
    return this.consume(context, rules);
  }

  private async consume(context: ExecutionContext, rules: RateLimitRule[]): Promise<boolean> {
    const request = context
      .switchToHttp()
      .getRequest<FastifyRequest & { user?: { id: string }; body?: { email?: unknown } }>();
    for (const rule of rules) {
      const subject =
        rule.by === 'ip'
          ? (request.ip ?? 'unknown')
          : rule.by === 'user'
            ? request.user?.id
            : typeof request.body?.email === 'string'
              ? request.body.email.trim()
              : undefined;
      if (!subject) continue;
      await this.limiter.consume(rule.bucket, subject, rule.limit(this.config), rule.windowSeconds, rule.what);
    }
    return true;
  }
}
