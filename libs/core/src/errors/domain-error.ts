import { HttpStatus } from '@nestjs/common';

/**
 * Base for every module's domain errors. Each module declares one small subclass with a code enum and
 * the HTTP status for each code; the global filter turns them into `{statusCode, error, message}`.
 */
export abstract class DomainError<Code extends string = string> extends Error {
  abstract readonly status: HttpStatus;
  constructor(
    readonly code: Code,
    message: string,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** Builds a module error class from a code → status table, so modules stay one-liners. */
export function defineDomainError<Code extends string>(name: string, statuses: Record<Code, HttpStatus>) {
  const ErrorClass = class extends DomainError<Code> {
    get status(): HttpStatus {
      return statuses[this.code];
    }
  };
  Object.defineProperty(ErrorClass, 'name', { value: name });
  return ErrorClass;
}

/** Errors shared by every module: bad input, missing things, authorisation. */
export enum CommonErrorCode {
  BadRequest = 'bad_request',
  Unauthenticated = 'unauthenticated',
  Forbidden = 'forbidden',
  NotFound = 'not_found',
  Conflict = 'conflict',
  TooManyRequests = 'too_many_requests',
}

export class CommonError extends defineDomainError<CommonErrorCode>('CommonError', {
  [CommonErrorCode.BadRequest]: HttpStatus.BAD_REQUEST,
  [CommonErrorCode.Unauthenticated]: HttpStatus.UNAUTHORIZED,
  [CommonErrorCode.Forbidden]: HttpStatus.FORBIDDEN,
  [CommonErrorCode.NotFound]: HttpStatus.NOT_FOUND,
  [CommonErrorCode.Conflict]: HttpStatus.CONFLICT,
  [CommonErrorCode.TooManyRequests]: HttpStatus.TOO_MANY_REQUESTS,
}) {}
