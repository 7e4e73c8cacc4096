import { clientDataErrorMessage } from '../db/pg-errors';
import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { STATUS_CODES } from 'node:http';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { DomainError } from './domain-error';
import { isRefusedValue, isStorageFull, unavailabilityOf } from './unavailable';

export interface ErrorBody {
  statusCode: number;
  error: string;
  message: string;
  code?: string;
  errorId?: string;
  /** Seconds a client should wait before retrying (sent as the `Retry-After` header, not in the body). */
  retryAfterSeconds?: number;
}

function messageOf(response: unknown, fallback: string): string {
  if (typeof response === 'string') return response;
  if (response && typeof response === 'object' && 'message' in response) {
    const message = (response as { message: unknown }).message;
    if (Array.isArray(message)) return message.join('; ');
    if (typeof message === 'string') return message;
  }
  return fallback;
}

/** Fastify's own request errors (malformed JSON, body too large) carry a 4xx `statusCode` and an `FST_` code. */
function bodyParserStatus(error: unknown): number | null {
  if (error && typeof error === 'object' && 'statusCode' in error && 'code' in error) {
    const code = String((error as { code: unknown }).code);
    const status = Number((error as { statusCode: unknown }).statusCode);
    if (code.startsWith('FST_') && status >= 400 && status < 500) return status;
  }
  return null;
}

/**
 * One error shape for the whole API. Domain errors keep their message and code; unexpected errors are
 * logged with an error id that is also returned, so a user's report can be found in the logs.
 */
@Catch()
export class HttpExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('HttpExceptionFilter');

  static toBody(exception: unknown, logger?: Logger, context?: string, requestId?: string): ErrorBody {
    if (exception instanceof DomainError) {
      return {
        statusCode: exception.status,
        error: STATUS_CODES[exception.status] ?? 'Error',
        message: exception.message,
        code: exception.code,
      };
    }
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      return {
        statusCode: status,
        error: STATUS_CODES[status] ?? 'Error',
        message: messageOf(exception.getResponse(), exception.message),
      };
    }
    const parserStatus = bodyParserStatus(exception);
    if (parserStatus) {
      const message =
        parserStatus === HttpStatus.PAYLOAD_TOO_LARGE
          ? 'Request body is too large'
          : parserStatus === HttpStatus.BAD_REQUEST
            ? 'Request body is not valid JSON'
            : (exception as Error).message;
      return { statusCode: parserStatus, error: STATUS_CODES[parserStatus] ?? 'Error', message };
    }
    const dataError = clientDataErrorMessage(exception);
    if (dataError) {
      logger?.warn({ err: exception, requestId, context }, `refused bad data: ${dataError}`);
      return { statusCode: HttpStatus.BAD_REQUEST, error: 'Bad Request', message: dataError };
    }
    if (isRefusedValue(exception)) {
      // The database refused a value the client sent (NUL in text, a number out of range, a missing
      // value): the request is wrong, not the server. DTO validation should have caught it first.
      logger?.warn({ err: exception, context }, 'Value refused by the database');
      return {
        statusCode: HttpStatus.BAD_REQUEST,
        error: 'Bad Request',
        message: 'A value in the request is not acceptable (out of range, wrong type, or contains control characters)',
        code: 'invalid_value',
      };
    }
    const unavailable = unavailabilityOf(exception);
    if (unavailable) {
      logger?.warn({ reason: unavailable.reason, err: exception, context }, `Answered 503: ${unavailable.reason}`);
      return {
        statusCode: HttpStatus.SERVICE_UNAVAILABLE,
        error: 'Service Unavailable',
        message: unavailable.message,
        code: unavailable.reason,
        retryAfterSeconds: unavailable.retryAfterSeconds,
      };
    }
    const errorId = randomUUID();
    if (isStorageFull(exception)) {
      logger?.error({ err: exception, errorId, requestId, context }, `Storage full ${errorId}`);
      return {
        statusCode: HttpStatus.INSUFFICIENT_STORAGE,
        error: 'Insufficient Storage',
        message: `The server has no room to store this file right now. Quote error id ${errorId} if you report it.`,
        code: 'storage_full',
        errorId,
      };
    }
    logger?.error({ err: exception, errorId, requestId, context }, `Unhandled error ${errorId}`);
    return {
      statusCode: HttpStatus.INTERNAL_SERVER_ERROR,
      error: 'Internal Server Error',
      message: `Something went wrong on our side. Quote error id ${errorId} if you report it.`,
      errorId,
    };
  }

  catch(exception: unknown, host: ArgumentsHost): void {
    if (host.getType() !== 'http') throw exception;
    const http = host.switchToHttp();
    const response = http.getResponse<FastifyReply>();
    const request = http.getRequest<FastifyRequest>();
    const { retryAfterSeconds, ...body } = HttpExceptionFilter.toBody(
      exception,
      this.logger,
      `${request.method} ${request.url}`,
      request.id,
    );
    let retryAfter = retryAfterSeconds;
    if (exception instanceof DomainError) {
      retryAfter = (exception as DomainError & { retryAfterSeconds?: number }).retryAfterSeconds;
    }
    if (response.sent || response.raw.headersSent) return;
    if (retryAfter) void response.header('Retry-After', String(retryAfter));
    // A handler may have set its own type (`@Header('Content-Type', 'text/csv')`) before failing;
    // the error is JSON whatever the route would have produced.
    void response.status(body.statusCode).type('application/json; charset=utf-8').send(body);
  }
}
