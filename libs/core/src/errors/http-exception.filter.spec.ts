import { BadRequestException, HttpStatus } from '@nestjs/common';
import { CommonError, CommonErrorCode } from './domain-error';
import { HttpExceptionFilter } from './http-exception.filter';
import { StorageUnavailableError } from './unavailable';

describe('error shape', () => {
  it('renders domain errors with their status, message and code', () => {
    expect(HttpExceptionFilter.toBody(new CommonError(CommonErrorCode.NotFound, 'Thread not found'))).toEqual({
      statusCode: 404,
      error: 'Not Found',
      message: 'Thread not found',
      code: 'not_found',
    });
  });

  it('joins validation messages into one readable message', () => {
    expect(
      HttpExceptionFilter.toBody(new BadRequestException(['a must be a string', 'b should not exist'])),
    ).toMatchObject({
      statusCode: 400,
      message: 'a must be a string; b should not exist',
    });
  });

  it('hides internal errors behind an error id that is logged', () => {
    const logged: unknown[] = [];
    const body = HttpExceptionFilter.toBody(new Error('password=hunter2 leaked'), {
      error: (e: unknown) => logged.push(e),
    } as never);
    expect(body.statusCode).toBe(HttpStatus.INTERNAL_SERVER_ERROR);
    expect(body.message).not.toContain('hunter2');
    expect(body.message).toContain(body.errorId);
    expect(JSON.stringify(logged)).toContain(body.errorId);
  });
});

describe('dependency trouble is a 503 with Retry-After, a full disk a logged 507', () => {
  const pgError = (code: string, message = 'pg error') => Object.assign(new Error(message), { code });

  it.each([
    [new Error('timeout exceeded when trying to connect'), 'pool_exhausted'],
    [pgError('57014', 'canceling statement due to statement timeout'), 'statement_timeout'],
    [pgError('55P03', 'canceling statement due to lock timeout'), 'lock_timeout'],
    [pgError('57P01', 'terminating connection due to administrator command'), 'database_unavailable'],
    [pgError('ECONNREFUSED', 'connect ECONNREFUSED 127.0.0.1:5432'), 'database_unavailable'],
    [new Error('Connection terminated unexpectedly'), 'database_unavailable'],
    [pgError('55000', 'database "cophub" is not currently accepting connections'), 'database_unavailable'],
    [
      Object.assign(new Error('Reached the max retries per request limit'), { name: 'MaxRetriesPerRequestError' }),
      'redis_unavailable',
    ],
    [
      new StorageUnavailableError('upload', Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' })),
      'storage_unavailable',
    ],
  ])('%s → 503 %s', (error, reason) => {
    const body = HttpExceptionFilter.toBody(error, { warn: () => undefined } as never);
    expect(body).toMatchObject({ statusCode: 503, code: reason });
    expect(body.retryAfterSeconds).toBeGreaterThan(0);
  });

  it('answers 507 with an error id, logged at error level', () => {
    const logged: Array<{ errorId: string }> = [];
    const body = HttpExceptionFilter.toBody(pgError('ENOSPC', 'ENOSPC: no space left on device, write'), {
      error: (e: { errorId: string }) => logged.push(e),
    } as never);
    expect(body).toMatchObject({ statusCode: 507, code: 'storage_full', errorId: expect.any(String) });
    expect(logged).toEqual([expect.objectContaining({ errorId: body.errorId })]);
  });

  it('a value the database refuses (NUL in text, number out of range, NULL into NOT NULL) is a 400', () => {
    const { QueryFailedError } = jest.requireActual<typeof import('typeorm')>('typeorm');
    for (const code of ['22021', '22003', '22P02', '23502']) {
      const error = new QueryFailedError('UPDATE x', [], pgError(code));
      expect(HttpExceptionFilter.toBody(error, { warn: () => undefined } as never)).toMatchObject({ statusCode: 400 });
    }
  });

  it('a unique violation is not mistaken for a busy database', () => {
    expect(HttpExceptionFilter.toBody(pgError('23505'), { error: () => undefined } as never).statusCode).toBe(500);
  });
});
