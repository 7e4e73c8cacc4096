import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import { Observable } from 'rxjs';
import { IdempotencyInterceptor } from '../idempotency/idempotency.interceptor';
import { RequestDeadlineInterceptor } from './request-deadline.interceptor';

/**
 * The API's interceptors, outermost first: the idempotency claim (bookkeeping outside the request's
 * deadline), then the deadline. Registered as one global interceptor: Nest wraps every interceptor
 * it calls in a deferred observable and a bound async resource, and with each registered separately
 * every request paid that twice although only POSTs with an `Idempotency-Key` use the first.
 */
@Injectable()
export class RequestInterceptors implements NestInterceptor {
  constructor(
    private readonly idempotency: IdempotencyInterceptor,
    private readonly deadline: RequestDeadlineInterceptor,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    return this.idempotency.intercept(context, { handle: () => this.deadline.intercept(context, next) });
  }
}
