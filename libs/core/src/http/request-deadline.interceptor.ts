import { CallHandler, ExecutionContext, Inject, Injectable, NestInterceptor, SetMetadata } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { Observable } from 'rxjs';
import { APP_CONFIG } from '../config/config.module';
import type { AppConfig } from '../config/app-config';
import { RequestDeadline, requestDeadlines, runningRequests } from '../db/request-deadline';
import { RequestDeadlineError } from '../errors/unavailable';

const REQUEST_TIMEOUT = 'cophub:request-timeout';

/**
 * A route's own deadline in milliseconds, for work that is long by nature (an upload streams for as
 * long as the client's connection needs); `null` lifts the deadline.
 */
export const RequestTimeout = (ms: number | null) => SetMetadata(REQUEST_TIMEOUT, ms);

/** The deadline that applies to a route: its own, or `REQUEST_TIMEOUT_MS`; null when lifted. */
export function routeTimeoutMs(reflector: Reflector, context: ExecutionContext, config: AppConfig): number | null {
  const own = reflector.getAllAndOverride<number | null | undefined>(REQUEST_TIMEOUT, [
    context.getHandler(),
    context.getClass(),
  ]);
  return own === undefined ? config.http.requestTimeoutMs : own;
}

/**
 * Every HTTP request gets `REQUEST_TIMEOUT_MS`. Past it the client gets 503 with `Retry-After`, and
 * the request's remaining queries and its COMMIT are refused (see `RequestDeadline`), so nothing is
 * half-applied behind a 503. A request whose write already committed answers its real outcome.
 */
@Injectable()
export class RequestDeadlineInterceptor implements NestInterceptor {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly reflector: Reflector,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() !== 'http') return next.handle();
    const timeoutMs = routeTimeoutMs(this.reflector, context, this.config);
    return new Observable((subscriber) => {
      const deadline = new RequestDeadline(timeoutMs ?? 0, () =>
        subscriber.error(new RequestDeadlineError(timeoutMs ?? 0)),
      );
      runningRequests.add(deadline);
      const timer = timeoutMs === null ? undefined : setTimeout(() => deadline.expireWhenSafe(), timeoutMs);
      timer?.unref();
      const finish = () => {
        clearTimeout(timer);
        runningRequests.delete(deadline);
      };
      const inner = requestDeadlines.run(deadline, () =>
        next.handle().subscribe({
          next: (value) => subscriber.next(value),
          error: (error) => {
            finish();
            subscriber.error(error);
          },
          complete: () => {
            finish();
            subscriber.complete();
          },
        }),
      );
      return () => {
        finish();
        inner.unsubscribe();
      };
    });
  }
}
