import {
  CallHandler,
  ExecutionContext,
  HttpStatus,
  Inject,
  Injectable,
  Logger,
  NestInterceptor,
  SetMetadata,
} from '@nestjs/common';
import { HTTP_CODE_METADATA } from '@nestjs/common/constants';
import { Reflector } from '@nestjs/core';
import { ApiExtension } from '@nestjs/swagger';
import { createHash } from 'node:crypto';
import { from, Observable, of } from 'rxjs';
import { catchError, mergeMap } from 'rxjs/operators';
import { APP_CONFIG } from '../config/config.module';
import type { AppConfig } from '../config/app-config';
import { defineDomainError } from '../errors/domain-error';
import { routeTimeoutMs } from '../http/request-deadline.interceptor';
import { IdempotencyStore } from './idempotency.store';

export const IDEMPOTENCY_HEADER = 'idempotency-key';
const NOT_STORED = 'cophub:idempotency-not-stored';
/** OpenAPI extension the document builder reads to leave the header off a route. */
export const IDEMPOTENCY_EXTENSION = 'x-idempotency-not-stored';

/**
 * A POST whose answer must not be stored against the caller (ballots: a stored row would be a
 * per-member record of when and how they voted). The header is accepted and ignored; the route must
 * be safe to retry on its own.
 */
export const IdempotencyNotStored =
  (why: string) => (target: object, key?: string | symbol, descriptor?: PropertyDescriptor) => {
    SetMetadata(NOT_STORED, why)(target, key as string, descriptor as PropertyDescriptor);
    ApiExtension(IDEMPOTENCY_EXTENSION, why)(target, key as string, descriptor as PropertyDescriptor);
  };

export enum IdempotencyErrorCode {
  InvalidKey = 'idempotency_key_invalid',
  Mismatch = 'idempotency_key_reused',
  InFlight = 'idempotency_key_in_flight',
}

export class IdempotencyError extends defineDomainError<IdempotencyErrorCode>('IdempotencyError', {
  [IdempotencyErrorCode.InvalidKey]: HttpStatus.BAD_REQUEST,
  [IdempotencyErrorCode.Mismatch]: HttpStatus.UNPROCESSABLE_ENTITY,
  [IdempotencyErrorCode.InFlight]: HttpStatus.CONFLICT,
}) {
  /** The filter sends this as `Retry-After` (the first attempt is still running). */
  retryAfterSeconds?: number;
}

/** Printable ASCII without spaces, as UUIDs and the usual client-generated keys are. */
const KEY_SHAPE = /^[\x21-\x7e]{1,255}$/;

/** JSON with object keys sorted, so `{a,b}` and `{b,a}` are the same request. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.keys(value as object)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical((value as Record<string, unknown>)[k])}`);
    return `{${entries.join(',')}}`;
  }
  return JSON.stringify(value ?? null);
}

interface HttpRequestLike {
  method: string;
  url: string;
  originalUrl?: string;
  headers: Record<string, string | string[] | undefined>;
  body?: unknown;
  user?: { id: string };
}

interface HttpResponseLike {
  header(name: string, value: string): unknown;
}

/**
 * `Idempotency-Key` on POSTs: the first answer (2xx) is stored for the caller and key; a retry with
 * the same key and request gets that answer again and runs nothing; the same key with another request
 * is 422; a retry while the first is still running is 409 with `Retry-After`. Failures free the key,
 * so a retry after a 4xx or 503 runs again (those changed nothing). Requests without the header, or
 * without a signed-in caller, pass through.
 */
@Injectable()
export class IdempotencyInterceptor implements NestInterceptor {
  private readonly logger = new Logger('Idempotency');

  constructor(
    private readonly store: IdempotencyStore,
    private readonly reflector: Reflector,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() !== 'http') return next.handle();
    const request = context.switchToHttp().getRequest<HttpRequestLike>();
    const header = request.headers[IDEMPOTENCY_HEADER];
    if (request.method !== 'POST' || header === undefined || !request.user) return next.handle();
    if (this.reflector.get<string>(NOT_STORED, context.getHandler())) return next.handle();
    const key = Array.isArray(header) ? header[0] : header;
    if (!KEY_SHAPE.test(key)) {
      throw new IdempotencyError(
        IdempotencyErrorCode.InvalidKey,
        'Idempotency-Key must be 1 to 255 printable characters without spaces (a UUID is ideal)',
      );
    }
    const userId = request.user.id;
    const path = (request.originalUrl ?? request.url).slice(0, 2000);
    const contentType = String(request.headers['content-type'] ?? '');
    // A multipart body is a stream the handler consumes: uploads are matched on key and route only.
    const requestHash = contentType.startsWith('multipart/')
      ? null
      : createHash('sha256').update(canonical(request.body)).digest('hex');
    const status = this.reflector.get<number>(HTTP_CODE_METADATA, context.getHandler()) ?? HttpStatus.CREATED;
    // Longer than the first attempt can possibly run, so a retry never takes over a live attempt.
    const timeoutMs = routeTimeoutMs(this.reflector, context, this.config) ?? 3_600_000;
    const leaseMs = timeoutMs + 2 * this.config.database.statementTimeoutMs;
    const leaseEnds = Date.now() + leaseMs;

    return from(this.store.claim({ userId, key, method: request.method, path, requestHash, leaseMs })).pipe(
      mergeMap((claim) => {
        if (claim.outcome === 'replay') {
          context.switchToHttp().getResponse<HttpResponseLike>().header('Idempotent-Replayed', 'true');
          return of(claim.body ?? undefined);
        }
        if (claim.outcome === 'mismatch') {
          throw new IdempotencyError(
            IdempotencyErrorCode.Mismatch,
            'This Idempotency-Key was already used for a different request; use a new key for a new request',
          );
        }
        if (claim.outcome === 'in_flight') {
          const error = new IdempotencyError(
            IdempotencyErrorCode.InFlight,
            'A request with this Idempotency-Key is still being processed; retry shortly',
          );
          error.retryAfterSeconds = 1;
          throw error;
        }
        return next.handle().pipe(
          mergeMap(async (body: unknown) => {
            await this.complete(userId, key, status, body, leaseEnds);
            return body;
          }),
          catchError(async (error: unknown) => {
            await this.store.release(userId, key).catch((releaseError: Error) => {
              this.logger.warn(`could not release an idempotency key: ${releaseError.message}`);
            });
            throw error;
          }),
        );
      }),
    );
  }

  /**
   * Stores the answer, which the handler built from its own transaction. The write is committed, so
   * this must not fail the request: if PostgreSQL is unreachable right now (the connection was lost
   * just after the commit), the answer still goes to the client and is stored as soon as PostgreSQL
   * answers again, before the lease would let a retry run the request a second time. Until then a
   * retry is told 409 with Retry-After.
   */
  private async complete(userId: string, key: string, status: number, body: unknown, until: number): Promise<void> {
    try {
      await this.store.complete(userId, key, status, body);
      return;
    } catch (error) {
      this.logger.warn(`could not store the answer for an idempotency key yet: ${(error as Error).message}`);
    }
    let delayMs = 250;
    const retry = () => {
      this.store.complete(userId, key, status, body).then(
        () => this.logger.log('stored the answer for an idempotency key after a retry'),
        (error: Error) => {
          delayMs = Math.min(delayMs * 2, 5_000);
          if (Date.now() + delayMs < until) setTimeout(retry, delayMs).unref();
          // The answer stands; once the lease runs out a retry runs the request again.
          else this.logger.warn(`gave up storing the answer for an idempotency key: ${error.message}`);
        },
      );
    };
    setTimeout(retry, delayMs).unref();
  }
}
